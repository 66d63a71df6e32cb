using Helpline.Grievances;
using Helpline.Platform.Events;

namespace Helpline.Accountability.Facts;

/// <summary>What each kind of grievance event means for accountability.</summary>
internal static class EventKinds
{
    /// <summary>
    /// The officer's own disposal: resolved, rejected, or closed specially with the L2 officer's approval (an answer an
    /// agent gives on the call is not the officer's work).
    /// </summary>
    public static bool IsOfficerDisposal(TimelineEventType t) => t is TimelineEventType.Resolved or TimelineEventType.Rejected or TimelineEventType.SpeciallyClosed;

    /// <summary>The grievance leaves every officer's hands: disposed of, or closed.</summary>
    public static bool EndsHolding(TimelineEventType t) =>
        t is TimelineEventType.Resolved or TimelineEventType.Rejected or TimelineEventType.DisposedOnCall or TimelineEventType.Closed or TimelineEventType.SpeciallyClosed;

    /// <summary>After it, someone holds the grievance (perhaps someone new, or with a new due date or hold).</summary>
    public static bool StartsHolding(TimelineEventType t) => t is TimelineEventType.Registered or TimelineEventType.Routed or TimelineEventType.Escalated
        or TimelineEventType.Paused or TimelineEventType.Resumed or TimelineEventType.Recomputed or TimelineEventType.Recategorised
        or TimelineEventType.Forwarded or TimelineEventType.Reopened or TimelineEventType.HandedOver or TimelineEventType.Assigned
        or TimelineEventType.Reassigned;

    /// <summary>
    /// After it the grievance is not on hold, as the lifecycle has it: resumed, its clock started afresh at another level
    /// or seat (escalated, forwarded, reopened), or out of every officer's hands. A re-categorisation keeps the hold.
    /// </summary>
    public static bool LeavesHold(TimelineEventType t) =>
        t is TimelineEventType.Resumed or TimelineEventType.Escalated or TimelineEventType.Forwarded or TimelineEventType.Reopened || EndsHolding(t);

    /// <summary>It moved the grievance to a seat (it may be the seat that returned it).</summary>
    public static bool Moves(TimelineEventType t) => t is TimelineEventType.Routed or TimelineEventType.Escalated or TimelineEventType.Recategorised
        or TimelineEventType.Forwarded or TimelineEventType.Reopened or TimelineEventType.Reassigned;

    /// <summary>The SLA was computed again and a breach that no longer holds was cleared (the event's breach flags say whether).</summary>
    public static bool MayClearBreach(TimelineEventType t) => t is TimelineEventType.Recomputed or TimelineEventType.Recategorised or TimelineEventType.Forwarded;

    /// <summary>A fact drawn from an event that also makes another: the grievance came back to the seat that returned it.</summary>
    public const int CameBack = 1;

    /// <summary>A stable id for a fact drawn from an event that is not the event's own fact (<see cref="CameBack"/>).</summary>
    public static Guid Derived(Guid eventId, int what) => EventIds.For("accountability", eventId.ToString(), what);
}
