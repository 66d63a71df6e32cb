using Helpline.Grievances;
using Helpline.Grievances.Events;
using Helpline.Tests.Infrastructure;
using Helpline.Workload.Alerts;

namespace Helpline.Tests.Workload;

/// <summary>Which alerts grievance events give (the subscriber <c>workload.alerts</c>, without the database).</summary>
public sealed class AlertDerivationTests
{
    private const string Reference = "260000001237";
    private const string Place = "block:1";
    private static readonly DateTimeOffset At = new(2026, 11, 7, 10, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Since = At.AddDays(-90);
    private readonly TestWorld _world = new();

    private static GrievanceEvent Event(TimelineEventType type, int sequence, string? officer, int level, string? note = null) =>
        new(Guid.NewGuid(), type, Reference, sequence, At, "system", note, GrievanceKind.Complaint, officer,
            TestWorld.PositionOf("water", level, Place), level, "water", TestWorld.WaterCategory, Place, At.AddDays(2));

    [Fact]
    public void An_at_risk_event_tells_the_holder_and_whoever_acts_for_the_supervisor_seat_in_the_lifecycles_words()
    {
        var holder = TestWorld.OfficerOf("water", 1, Place);
        var e = Event(TimelineEventType.AtRisk, 3, holder, 1, "75% of the L1 allowance (2 calendar days) is used; due 2026-11-09 04:30:00 UTC.");

        var rows = AlertSubscriber.AlertsOf([e], _world, Since);

        var message = "Grievance 2600 0000 1237 is at risk: 75% of the L1 allowance (2 calendar days) is used; due 2026-11-09 04:30:00 UTC.";
        Assert.Equal(
            [
                (holder, new OfficerAlert(At, Reference, "AT_RISK", message), e.EventId),
                (TestWorld.OfficerOf("water", 2, Place), new OfficerAlert(At, Reference, "SUBORDINATE_AT_RISK", message), e.EventId),
            ],
            rows);
    }

    [Fact]
    public void An_escalation_tells_the_officer_it_reached_unless_the_same_officer_held_it_before()
    {
        var l1 = TestWorld.OfficerOf("water", 1, Place);
        var l2 = TestWorld.OfficerOf("water", 2, Place);
        var escalated = Event(TimelineEventType.Escalated, 5, l2, 2);
        var rows = AlertSubscriber.AlertsOf([Event(TimelineEventType.Breached, 4, l1, 1), escalated], _world, Since);
        Assert.Equal([(l2, new OfficerAlert(At, Reference, "ESCALATED_TO_YOU", "Grievance 2600 0000 1237 breached its due date at L1 and is now yours at L2."), escalated.EventId)], rows);

        // An officer who also acts for the seat above keeps the grievance: nothing new to tell them.
        Assert.Empty(AlertSubscriber.AlertsOf([Event(TimelineEventType.Breached, 4, l2, 1), Event(TimelineEventType.Escalated, 5, l2, 2)], _world, Since));

        // Events older than the retention give none: a first run over the whole log does not fill the table with history.
        Assert.Empty(AlertSubscriber.AlertsOf([escalated], _world, At.AddTicks(1)));

        // Other events give no alert.
        Assert.Empty(AlertSubscriber.AlertsOf([Event(TimelineEventType.Registered, 1, l1, 1), Event(TimelineEventType.Breached, 4, l1, 1)], _world, Since));
    }
}
