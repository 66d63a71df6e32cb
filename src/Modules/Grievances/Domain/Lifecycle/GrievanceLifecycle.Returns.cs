using Helpline.Grievances.Grains;
using Helpline.Platform.Errors;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>
/// Returns (UP practice): the L1 officer asks to return a grievance as not pertaining to their seat, or for a special
/// closure (sub judice, a personal dispute, a repeat); it takes effect only when the L2 officer approves.
/// </summary>
internal sealed partial class GrievanceLifecycle
{
    /// <summary>Appended to the note of the event that took the grievance away from the seat that asked.</summary>
    public const string LapsedNote = "; the pending return request lapsed";

    /// <summary>
    /// The holder (or their supervisor acting) asks to return it. Only the request is recorded: the officer still holds
    /// it and the SLA clock keeps running, since otherwise asking for a return would be a way to stop the clock. The
    /// same request (kind, reason, officer) repeated while pending changes nothing, so a retry never records a second.
    /// </summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION, NOT_ASSIGNED_OFFICER, RETURN_NOT_AT_LEVEL_ONE, RETURN_ALREADY_PENDING.</exception>
    public Transition RequestReturn(GrievanceState current, string officerId, ReturnKind kind, string reason, DateTimeOffset now)
    {
        RequireHolder(current, officerId, "return");

        // Only the L1 officer themself asks: a supervisor acting for them could then approve their own request, and one
        // person alone would close the grievance (or, refusing it, put a fault on the L1 officer's record).
        if (officerId != current.OfficerId && !lookups.ActsFor(current.PositionId!, officerId))
        {
            throw new HelplineException(
                GrievanceErrorCodes.NotAssignedOfficer,
                $"Only the officer holding grievance {ReferenceNumber.Display(current.ReferenceNumber!)} ({current.OfficerId}) may ask to return it; the L2 officer decides.",
                "officerId");
        }
        if (current.Level != 1)
        {
            throw new HelplineException(
                GrievanceErrorCodes.ReturnNotAtLevelOne,
                $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is at L{current.Level}; only the L1 officer may ask to return a grievance.",
                "referenceNumber");
        }

        if (current.PendingReturn is { } pending)
        {
            return pending.Kind == kind && pending.Reason == reason && pending.RequestedBy == officerId
                ? Transition.None(current)
                : throw new HelplineException(
                    GrievanceErrorCodes.ReturnAlreadyPending,
                    $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} already has a return ({Words(pending.Kind)}) asked for by officer {pending.RequestedBy} at {Format(pending.RequestedAt)}, awaiting the L2 officer's decision.",
                    "referenceNumber");
        }

        var change = new Change(current);
        change.S.PendingReturn = new PendingReturn(kind, reason, officerId, now, current.PositionId);
        Append(change.S, TimelineEventType.ReturnRequested, now, officerId, $"Return asked for ({Words(kind)}): {reason}; it stays here, the SLA clock running, until the L2 officer decides.", kind);
        return change.Done(track: false);
    }

    /// <summary>
    /// The officer acting for the seat above the one that asked decides. Refused: it stays with the L1 officer, due date
    /// unchanged. Approved: ReturnApproved is appended first, with the returning seat and officer as its holder; then a
    /// not-pertaining return moves exactly as a forward (to <paramref name="positionId"/>, at L1) or a re-categorisation
    /// (to <paramref name="categoryId"/>) does, with the approver as actor and a due date from now, and a special closure
    /// disposes of it (SpeciallyClosed). Once decided there is no pending request, so a repeated decision is refused
    /// with NO_PENDING_RETURN and never acts twice.
    /// </summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, NO_PENDING_RETURN, NOT_ASSIGNED_OFFICER, REQUIRED / INVALID_VALUE (positionId, categoryId), and the forward and re-categorisation refusals.</exception>
    public Transition DecideReturn(GrievanceState current, string officerId, bool approve, string reason, string? positionId, string? categoryId, DateTimeOffset now)
    {
        if (!IsRegistered(current))
        {
            throw new HelplineException(GrievanceErrorCodes.UnknownGrievance, "No such grievance.", "referenceNumber");
        }

        var pending = current.PendingReturn ?? throw NoPendingReturn(current);
        var deciding = lookups.SupervisorOf(pending.PositionId);

        // The one who asked never decides: while they hold the seat above too (its charge during a leave), the seat
        // above that decides, or the request would wait for ever.
        while (deciding is not null && (deciding.Officer.Id == pending.RequestedBy || lookups.ActsFor(deciding.Position.Id, pending.RequestedBy)))
        {
            deciding = lookups.SupervisorOf(deciding.Position.Id);
        }

        if (deciding is null || (deciding.Officer.Id != officerId && !lookups.ActsFor(deciding.Position.Id, officerId)))
        {
            throw new HelplineException(
                GrievanceErrorCodes.NotAssignedOfficer,
                deciding is null
                    ? $"Seat {pending.PositionId} has no seat above it, so nobody can decide the return of grievance {ReferenceNumber.Display(current.ReferenceNumber!)}."
                    : $"The return of grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is decided by the officer acting for {deciding.Position.Title} ({deciding.Position.Id}), above the seat that asked ({pending.PositionId}) and the one who asked; not {officerId}.",
                "officerId");
        }

        if (officerId == pending.RequestedBy)
        {
            throw new HelplineException(
                GrievanceErrorCodes.NotAssignedOfficer,
                $"Officer {officerId} asked for this return and cannot decide it too; the L2 officer decides.",
                "officerId");
        }

        var notPertaining = approve && pending.Kind == ReturnKind.NotPertaining;
        if (!notPertaining && (positionId ?? categoryId) is not null)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"'{(positionId is not null ? "positionId" : "categoryId")}' is given only when approving a not-pertaining return; this is {(approve ? "an approval" : "a refusal")} of a {Words(pending.Kind)} return.",
                positionId is not null ? "positionId" : "categoryId");
        }

        if (notPertaining && positionId is null && categoryId is null)
        {
            throw new HelplineException(ErrorCodes.Required, "Approving a not-pertaining return needs where it goes: a 'positionId' (another seat of the department) or a 'categoryId' (re-routed).", "positionId");
        }

        if (notPertaining && positionId is not null && categoryId is not null)
        {
            throw new HelplineException(ErrorCodes.Invalid, "Give either 'positionId' or 'categoryId' when approving a not-pertaining return, not both.", "categoryId");
        }

        var change = new Change(current);
        var s = change.S;
        s.PendingReturn = null;
        if (!approve)
        {
            var due = s.DueAt is { } d ? $"the due date stays {Format(d)}" : "it has no due date";
            Append(s, TimelineEventType.ReturnRefused, now, officerId, $"Return ({Words(pending.Kind)}) refused: {reason}; it stays with officer {s.OfficerId}, {due}.", pending.Kind);
            return change.Done(track: false);
        }

        // Recorded before the move, so its holder fields name the seat and officer that returned it.
        Append(s, TimelineEventType.ReturnApproved, now, officerId, $"Return ({Words(pending.Kind)}) approved: {reason}", pending.Kind);
        var approved = change.Done(track: false);

        // A special closure counts among the L1 officer's disposals (released as disposed by the holder): they asked for
        // it and the approval only lets it take effect, as a resolution by the supervisor acting for them would count.
        var then = pending.Kind switch
        {
            ReturnKind.NotPertaining when positionId is not null => MoveToSeat(approved.State, officerId, positionId, reason, now, level: 1),
            ReturnKind.NotPertaining => RerouteReturned(approved.State, officerId, categoryId!, reason, now),
            _ => Close(approved.State, GrievanceStatus.SpeciallyClosed, TimelineEventType.SpeciallyClosed, officerId, $"Specially closed ({Words(pending.Kind)}): {pending.Reason}", now, release: s.OfficerId, disposedByHolder: true, returnKind: pending.Kind),
        };
        return new Transition(then.State, true, [.. approved.Appended, .. then.Appended], [.. approved.Effects, .. then.Effects], then.Track);
    }

    /// <summary>
    /// Clears a pending return when <paramref name="after"/> has left the seat that asked (another seat, level or
    /// category, or no longer open), and says so in the note of the event that moved it.
    /// </summary>
    private static void LapsePendingReturn(GrievanceState before, GrievanceState after, int appendedFrom)
    {
        if (before.PendingReturn is null || after.PendingReturn is null
            || (after.PositionId == before.PositionId && after.Level == before.Level && after.Status == GrievanceStatus.Open && CategoryOf(after) == CategoryOf(before)))
        {
            return;
        }

        after.PendingReturn = null;
        var i = after.Timeline.FindLastIndex(e => e.Sequence > appendedFrom && e.Type is TimelineEventType.Escalated or TimelineEventType.Forwarded
            or TimelineEventType.Recategorised or TimelineEventType.Reassigned or TimelineEventType.Resolved or TimelineEventType.Rejected
            or TimelineEventType.DisposedOnCall);
        if (i < 0)
        {
            i = after.Timeline.Count - 1;
        }

        if (i >= appendedFrom)
        {
            after.Timeline[i] = after.Timeline[i] with { Note = after.Timeline[i].Note + LapsedNote };
        }
    }

    // The category must be one routed today, as for recategoriseGrievance (the service checks it is not retired), and
    // must take the grievance away from the seat that returned it: approved as not pertaining there, it cannot land
    // there again (that would count as an overturned return against the officer whose return was approved).
    private Transition RerouteReturned(GrievanceState s, string officerId, string categoryId, string reason, DateTimeOffset now) =>
        Reroute(s, officerId, categoryId, reason, now, restartClock: true, awayFrom: s.PositionId);

    private static HelplineException NoPendingReturn(GrievanceState s)
    {
        var last = s.Timeline.LastOrDefault(e => e.Type is TimelineEventType.ReturnRequested or TimelineEventType.ReturnApproved or TimelineEventType.ReturnRefused);
        var why = last?.Type switch
        {
            TimelineEventType.ReturnApproved => $" The last request was approved at {Format(last.At)} (a decision is made once).",
            TimelineEventType.ReturnRefused => $" The last request was refused at {Format(last.At)} (a decision is made once).",
            TimelineEventType.ReturnRequested => $" The last request lapsed: the grievance left the seat that asked before a decision.",
            _ => "",
        };
        return new HelplineException(
            GrievanceErrorCodes.NoPendingReturn,
            $"Grievance {ReferenceNumber.Display(s.ReferenceNumber!)} has no return awaiting a decision.{why}",
            "referenceNumber");
    }

    private static string Words(ReturnKind kind) => kind switch
    {
        ReturnKind.NotPertaining => "not pertaining",
        ReturnKind.SubJudice => "sub judice",
        ReturnKind.PersonalDispute => "personal dispute",
        ReturnKind.Repeat => "repeat",
        _ => kind.ToString(),
    };
}
