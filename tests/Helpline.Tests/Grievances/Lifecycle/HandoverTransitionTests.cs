using Helpline.Grievances;
using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Grievances.Grains;
using static Helpline.Tests.Grievances.Lifecycle.FakeLookups;
using static Helpline.Tests.Grievances.Lifecycle.LifecycleWorld;

namespace Helpline.Tests.Grievances.Lifecycle;

/// <summary>Handing a grievance to the officer now acting for its position, on the pure lifecycle (no cluster).</summary>
public sealed class HandoverTransitionTests
{
    private const string Charge = "OFF-charge-1";

    private readonly LifecycleWorld _w = new();

    private GrievanceLifecycle L => _w.Lifecycle;

    private static (string Position, int Level, DateTimeOffset? Due, DateTimeOffset? AtRisk, DateTimeOffset SlaStart, bool Breached, bool AtTop, DateTimeOffset? OnHold, int Pauses, bool Announced, GrievanceStatus Status) Clock(GrievanceState s) =>
        (s.PositionId, s.Level, s.DueAt, s.AtRiskAt, s.SlaStartedAt, s.Breached, s.BreachedAtTop, s.OnHoldSince, s.Pauses.Count, s.AtRiskAnnounced, s.Status);

    [Fact]
    public void An_open_grievance_goes_to_the_new_holder_with_its_clock_untouched()
    {
        var s = _w.Registered();
        var now = T0.AddHours(5);
        var t = L.HandOver(s, Seat("water", 1), Charge, "admin-7", "officer OFF-charge-1 was posted to the position", now);

        Assert.True(t.Changed);
        Assert.Equal(Charge, t.State.OfficerId);
        Assert.Equal(Clock(s), Clock(t.State));
        Assert.Equal([(TimelineEventType.HandedOver, now, "admin-7", (string?)Charge, (int?)1, s.DueAt)], t.Appended.Select(Shape));
        Assert.Equal(
            "Handed over from officer OFF-water-L1 to officer OFF-charge-1 at water seat L1 (water@L1), L1: officer OFF-charge-1 was posted to the position; the due date stays 2026-11-04 04:30:00 UTC.",
            t.Appended[0].Note);
        Assert.Equal(Seat("water", 1), t.Appended[0].PositionId);
        Assert.Equal([new ReleaseFrom(OfficerAt("water", 1))], t.Effects);
        Assert.True(t.Track); // the new holder tracks it: the deadline timer moves with it
        Assert.Equal(OfficerAt("water", 1), s.OfficerId); // the state given is not changed
        Assert.Equal(2, s.Timeline.Count);
    }

    [Fact]
    public void A_grievance_on_hold_moves_and_stays_on_hold()
    {
        var held = L.Pause(_w.Registered(), OfficerAt("water", 1), "Waiting for the complainant.", T0.AddHours(1)).State;
        var t = L.HandOver(held, Seat("water", 1), Charge, "system", "leave began", T0.AddHours(2));

        Assert.Equal(Charge, t.State.OfficerId);
        Assert.Equal(T0.AddHours(1), t.State.OnHoldSince);
        Assert.Equal(Clock(held), Clock(t.State));
        var resumed = L.Resume(t.State, Charge, T0.AddHours(3)).State; // the new holder may act on it
        Assert.Equal(held.DueAt!.Value.AddHours(2), resumed.DueAt);
    }

    [Fact]
    public void A_breached_and_escalated_grievance_keeps_its_breach_and_announced_warning()
    {
        var s = _w.Registered();
        var atL2 = L.OnDueDatePassed(s, s.DueAt!.Value, s.DueAt.Value).State;
        atL2 = L.OnAtRisk(atL2, atL2.AtRiskAt!.Value, atL2.AtRiskAt.Value).State;
        var t = L.HandOver(atL2, Seat("water", 2), Charge, "system", "leave began", atL2.AtRiskAt!.Value.AddHours(1));

        Assert.True(t.Changed);
        Assert.Equal((true, true, 2), (t.State.Breached, t.State.AtRiskAnnounced, t.State.Level));
        Assert.Equal(Clock(atL2), Clock(t.State));
        Assert.Equal([new ReleaseFrom(OfficerAt("water", 2))], t.Effects);
    }

    [Fact]
    public void A_repeated_stale_or_misdirected_handover_changes_nothing()
    {
        var s = _w.Registered();
        var once = L.HandOver(s, Seat("water", 1), Charge, "system", "posted", T0.AddHours(1)).State;
        var resolved = L.Resolve(s, OfficerAt("water", 1), "Supply restored.", T0.AddHours(1)).State;
        var escalated = L.OnDueDatePassed(s, s.DueAt!.Value, s.DueAt.Value).State;
        var cases = new (GrievanceState State, string Position, string To)[]
        {
            (once, Seat("water", 1), Charge), // delivered again: already with the new holder
            (s, Seat("water", 1), OfficerAt("water", 1)), // already held by that officer
            (resolved, Seat("water", 1), Charge), // disposed of
            (escalated, Seat("water", 1), Charge), // no longer at the position
            (new GrievanceState(), Seat("water", 1), Charge), // never registered
        };
        foreach (var (state, position, to) in cases)
        {
            var none = L.HandOver(state, position, to, "system", "posted", T0.AddHours(2));
            Assert.False(none.Changed);
            Assert.Same(state, none.State);
            Assert.Empty(none.Effects);
            Assert.False(GrievanceLifecycle.WouldHandOver(state, position, to));
        }

        Assert.True(GrievanceLifecycle.WouldHandOver(s, Seat("water", 1), Charge));
    }

    [Fact]
    public void A_grievance_without_a_due_date_says_so()
    {
        var s = _w.Registered();
        s.DueAt = null; // as an import whose source set no due date
        var t = L.HandOver(s, Seat("water", 1), Charge, "system", "leave ended", T0);
        Assert.EndsWith("L1: leave ended; it has no due date.", t.Appended[0].Note, StringComparison.Ordinal);
    }
}
