using Helpline.Grievances.Grains;
using Helpline.Officers;
using Helpline.Platform.Errors;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>Pools (several officers posted to one seat) and supervisors' rebalancing moves.</summary>
internal sealed partial class GrievanceLifecycle
{
    /// <summary>
    /// Records on the timeline which member of the pool <paramref name="transition"/> gave the grievance to, and why,
    /// when the grievance ended up with that member at that seat; otherwise the transition is returned as it is.
    /// </summary>
    public static Transition NoteAssignment(Transition transition, Position pool, PoolChoice choice, DateTimeOffset at)
    {
        var s = transition.State;
        if (!transition.Changed || s.PositionId != pool.Id || s.OfficerId != choice.Officer.Id)
        {
            return transition;
        }

        // The transition's state is its own copy, so the event is appended to it in place.
        Append(s, TimelineEventType.Assigned, at, SystemActor, $"Given to officer {choice.Officer.Id} of the pool {pool.Title} ({pool.Id}): {choice.Reason}.");
        return transition with { Appended = [.. transition.Appended, s.Timeline[^1]] };
    }

    /// <summary>
    /// A supervisor moves the grievance from <paramref name="fromOfficerId"/> to <paramref name="toOfficerId"/> at
    /// <paramref name="toPositionId"/> to balance their team's load. The SLA clock belongs to the grievance: level, due
    /// date, at-risk instant, pauses and breaches stay. The Workload module checks the team's rules (same level,
    /// jurisdiction, capacity); this checks what only the grievance knows, atomically with the move.
    /// </summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION, HOLDER_CHANGED, INVALID_VALUE.</exception>
    public Transition Reassign(GrievanceState current, string fromOfficerId, string toPositionId, string toOfficerId, string actor, string reason, DateTimeOffset now)
    {
        RequireOpen(current, "move");
        if (current.OfficerId == toOfficerId && current.PositionId == toPositionId)
        {
            return Transition.None(current); // a retried move: already done
        }

        if (current.OfficerId != fromOfficerId)
        {
            throw new HelplineException(
                GrievanceErrorCodes.HolderChanged,
                $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is now held by officer {current.OfficerId} at {current.PositionId}, not {fromOfficerId}; nothing was moved.",
                "referenceNumber");
        }

        var seat = lookups.FindPosition(toPositionId)
            ?? throw new HelplineException(ErrorCodes.Invalid, $"No seat has id '{toPositionId}'.", "toPositionId");
        if (current.DepartmentId.Length > 0 && seat.DepartmentId != current.DepartmentId)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"Seat {toPositionId} is of department {seat.DepartmentId}; grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is with {current.DepartmentId}.",
                "toPositionId");
        }

        var change = new Change(current);
        var s = change.S;
        s.PositionId = seat.Id;
        s.OfficerId = toOfficerId;
        var due = s.DueAt is { } d ? $"the due date stays {Format(d)}" : "it has no due date";
        var where = current.PositionId == seat.Id ? $"at {seat.Title} ({seat.Id})" : $"from {current.PositionId} to {seat.Title} ({seat.Id})";
        Append(s, TimelineEventType.Reassigned, now, actor, $"Moved from officer {fromOfficerId} to officer {toOfficerId} {where}, L{s.Level}, to balance the team's load: {reason}; {due}.");
        return change.Moved(fromOfficerId);
    }
}
