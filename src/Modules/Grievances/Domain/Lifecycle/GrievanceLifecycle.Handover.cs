using Helpline.Grievances.Grains;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>Handing a grievance to the officer now acting for its position.</summary>
internal sealed partial class GrievanceLifecycle
{
    /// <summary>
    /// Whether <see cref="HandOver"/> would move it: open (on hold included), still at <paramref name="positionId"/>,
    /// and held by someone other than <paramref name="toOfficerId"/>.
    /// </summary>
    public static bool WouldHandOver(GrievanceState s, string positionId, string toOfficerId) =>
        IsRegistered(s)
        && s.Status == GrievanceStatus.Open
        && string.Equals(s.PositionId, positionId, StringComparison.Ordinal)
        && !string.Equals(s.OfficerId, toOfficerId, StringComparison.Ordinal);

    /// <summary>
    /// The officer acting for the position changed (a transfer, a posting, a leave begun or ended): the grievance goes
    /// to <paramref name="toOfficerId"/>. Only the holding officer changes: the SLA clock belongs to the grievance, so
    /// level, position, due date, at-risk instant, pauses and breaches stay. The former holder releases it and the new
    /// one tracks it, so the deadline timer moves with it. Nothing happens unless <see cref="WouldHandOver"/>: an
    /// event delivered again, or one overtaken by an escalation, a forward or a disposal, is harmless.
    /// </summary>
    public Transition HandOver(GrievanceState current, string positionId, string toOfficerId, string actor, string reason, DateTimeOffset now)
    {
        if (!WouldHandOver(current, positionId, toOfficerId))
        {
            return Transition.None(current);
        }

        var change = new Change(current);
        var s = change.S;
        s.OfficerId = toOfficerId;
        var seat = lookups.FindPosition(positionId) is { } p ? $"{p.Title} ({p.Id})" : positionId;
        var due = s.DueAt is { } d ? $"the due date stays {Format(d)}" : "it has no due date";
        Append(s, TimelineEventType.HandedOver, now, actor, $"Handed over from officer {current.OfficerId} to officer {toOfficerId} at {seat}, L{s.Level}: {reason}; {due}.");
        return change.Moved(current.OfficerId);
    }
}
