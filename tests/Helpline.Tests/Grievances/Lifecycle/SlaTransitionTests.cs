using Helpline.Catalogue;
using Helpline.Grievances;
using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Jurisdictions;
using Helpline.Officers.Workload;
using Helpline.Officers;
using Helpline.Platform.Errors;
using Helpline.Sla;
using static Helpline.Tests.Grievances.Lifecycle.FakeLookups;
using static Helpline.Tests.Grievances.Lifecycle.LifecycleWorld;

namespace Helpline.Tests.Grievances.Lifecycle;

/// <summary>Deadlines, warnings, holds, recomputation and moves between seats, on the pure lifecycle (no cluster).</summary>
public sealed class SlaTransitionTests
{
    private static readonly TimeSpan Ist = TimeSpan.FromHours(5.5);

    private readonly LifecycleWorld _w = new();

    private GrievanceLifecycle L => _w.Lifecycle;

    [Fact]
    public void A_passed_due_date_breaches_and_escalates_to_the_supervisor_and_the_former_holder_releases_it()
    {
        var s = _w.Registered();
        var due = s.DueAt!.Value;
        var now = due.AddMinutes(1);
        var t = L.OnDueDatePassed(s, due.ToOffset(Ist), now); // the same instant in another offset is the same due date
        var newDue = due.AddDays(3); // the L2 clock starts at the due instant, not when the service noticed (rule 5)

        Assert.Equal((2, OfficerAt("water", 2), Seat("water", 2), (DateTimeOffset?)newDue, true, false), (t.State.Level, t.State.OfficerId, t.State.PositionId, t.State.DueAt, t.State.Breached, t.State.BreachedAtTop));
        Assert.Equal(
            [(TimelineEventType.Breached, due, "system", OfficerAt("water", 1), (int?)1, (DateTimeOffset?)due), (TimelineEventType.Escalated, due, "system", OfficerAt("water", 2), 2, newDue)],
            t.Appended.Select(Shape));
        Assert.Equal("Due date 2026-11-04 04:30:00 UTC passed at L1 without disposal. The service acted on it at 2026-11-04 04:31:00 UTC, 0 h 01 min 00 s late; the record keeps the due instant.", t.Appended[0].Note);
        Assert.Equal("Escalated to supervisor water seat L2 (water@L2) at L2; SLA 3 calendar days (catalogue default), due 2026-11-07 04:30:00 UTC.", t.Appended[1].Note);
        Assert.Equal([new ReleaseFrom(OfficerAt("water", 1))], t.Effects); // the new holder is told from the Escalated event (Workload module)
        Assert.True(t.Track);
        Assert.Equal(1, s.Level); // the state given is not changed
    }

    [Fact]
    public void A_stale_repeated_or_held_due_date_changes_nothing()
    {
        var s = _w.Registered();
        var due = s.DueAt!.Value;
        foreach (var stale in new[] { due.AddTicks(1), due.AddMinutes(-1), s.RegisteredAt, default })
        {
            var none = L.OnDueDatePassed(s, stale, due);
            Assert.False(none.Changed);
            Assert.Same(s, none.State);
        }

        var escalated = L.OnDueDatePassed(s, due, due).State;
        Assert.False(L.OnDueDatePassed(escalated, due, due).Changed);

        var held = L.Pause(s, OfficerAt("water", 1), "Waiting for the complainant.", T0.AddHours(1)).State;
        Assert.False(L.OnDueDatePassed(held, due, due).Changed);
        var closed = L.Resolve(s, OfficerAt("water", 1), "Done.", T0.AddHours(1)).State;
        Assert.False(L.OnDueDatePassed(closed, due, due).Changed);
    }

    [Fact]
    public void At_the_top_of_the_chain_or_at_L4_the_breach_is_marked_and_it_stays()
    {
        var roads = _w.Registered(Roads);
        roads = L.OnDueDatePassed(roads, roads.DueAt!.Value, roads.DueAt.Value).State;
        var topDue = roads.DueAt!.Value;
        var t = L.OnDueDatePassed(roads, topDue, topDue.AddSeconds(30));
        Assert.Equal((2, OfficerAt("roads", 2), true, true, (DateTimeOffset?)topDue), (t.State.Level, t.State.OfficerId, t.State.Breached, t.State.BreachedAtTop, t.State.DueAt));
        Assert.Equal(
            [(TimelineEventType.Breached, topDue, "system", OfficerAt("roads", 2), (int?)2, (DateTimeOffset?)topDue), (TimelineEventType.BreachedAtTop, topDue, "system", OfficerAt("roads", 2), 2, topDue)],
            t.Appended.Select(Shape));
        Assert.Equal("Due date passed at the top of the chain (L2); it stays with roads@L2.", t.Appended[1].Note);
        Assert.Empty(t.Effects);
        Assert.True(t.Track);
        Assert.False(L.OnDueDatePassed(t.State, topDue, topDue.AddDays(1)).Changed);

        var water = _w.Registered(); // five seats: escalation stops at L4 all the same
        for (var i = 0; i < 4; i++)
        {
            water = L.OnDueDatePassed(water, water.DueAt!.Value, water.DueAt.Value).State;
        }

        Assert.Equal((4, OfficerAt("water", 4), true), (water.Level, water.OfficerId, water.BreachedAtTop));
        Assert.Equal(3, water.Timeline.Count(e => e.Type == TimelineEventType.Escalated));
    }

    [Fact]
    public void The_at_risk_warning_is_recorded_once_and_calls_no_officer()
    {
        var s = _w.Registered();
        var at = s.AtRiskAt!.Value;
        var t = L.OnAtRisk(s, at, at.AddSeconds(2));
        var message = $"{0.75m:P0} of the L1 allowance (2 calendar days) is used; due 2026-11-04 04:30:00 UTC.";
        Assert.Equal([(TimelineEventType.AtRisk, at.AddSeconds(2), "system", OfficerAt("water", 1), (int?)1, s.DueAt)], t.Appended.Select(Shape));
        Assert.Equal(message, t.Appended[0].Note);
        Assert.True(t.State.AtRiskAnnounced);
        Assert.Empty(t.Effects); // the holder and the supervisor are told from the AtRisk event (Workload module)
        Assert.True(t.Track);

        Assert.False(L.OnAtRisk(t.State, at, at.AddMinutes(1)).Changed);
        Assert.False(L.OnAtRisk(s, at.AddTicks(1), at).Changed);

        var top = _w.Registered(Roads);
        top = L.OnDueDatePassed(top, top.DueAt!.Value, top.DueAt.Value).State;
        var atTop = L.OnAtRisk(top, top.AtRiskAt!.Value, top.AtRiskAt.Value); // no supervisor above: recorded all the same
        Assert.Equal((true, TimelineEventType.AtRisk), (atTop.Changed, atTop.Appended.Single().Type));
    }

    [Fact]
    public void A_hold_stops_the_clock_and_resuming_moves_the_due_date_by_the_time_held()
    {
        var s = _w.Registered();
        var holder = OfficerAt("water", 1);
        var pausedAt = T0.AddHours(2);
        var paused = L.Pause(s, holder, "Waiting for the complainant's documents.", pausedAt);
        Assert.Equal((DateTimeOffset?)pausedAt, paused.State.OnHoldSince);
        Assert.Equal([(TimelineEventType.Paused, pausedAt, holder, holder, (int?)1, s.DueAt)], paused.Appended.Select(Shape));
        Assert.True(paused.Track);

        var again = Assert.Throws<HelplineException>(() => L.Pause(paused.State, holder, "Again.", pausedAt));
        Assert.Equal((GrievanceErrorCodes.InvalidTransition, "referenceNumber"), (again.Code, again.Field));
        Assert.EndsWith("is already on hold since 2026-11-02 06:30:00 UTC.", again.Message, StringComparison.Ordinal);
        var notHeld = Assert.Throws<HelplineException>(() => L.Resume(s, holder, pausedAt));
        Assert.EndsWith("is not on hold.", notHeld.Message, StringComparison.Ordinal);

        var resumedAt = pausedAt.AddHours(5);
        var resumed = L.Resume(paused.State, holder, resumedAt);
        var due = s.DueAt!.Value.AddHours(5);
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)due, s.AtRiskAt!.Value.AddHours(5)), (resumed.State.OnHoldSince, resumed.State.DueAt, resumed.State.AtRiskAt!.Value));
        Assert.Equal(TimeSpan.Zero, resumed.State.DueAt!.Value.Offset);
        Assert.Equal([new SlaPause(pausedAt, resumedAt)], resumed.State.Pauses);
        Assert.Equal([(TimelineEventType.Resumed, resumedAt, holder, holder, (int?)1, (DateTimeOffset?)due)], resumed.Appended.Select(Shape));
        Assert.Equal("On hold 5:00:00 of counted time (calendar time); due date moved from 2026-11-04 04:30:00 UTC to 2026-11-04 09:30:00 UTC.", resumed.Appended[0].Note);

        _w.Lookups.WorkingUnits.Add(Water);
        Assert.Contains("(working time)", L.Resume(paused.State, holder, resumedAt).Appended[0].Note, StringComparison.Ordinal);

        var top = _w.Registered(Roads);
        top = L.OnDueDatePassed(top, top.DueAt!.Value, top.DueAt.Value).State;
        top = L.OnDueDatePassed(top, top.DueAt!.Value, top.DueAt.Value).State;
        var noClock = Assert.Throws<HelplineException>(() => L.Pause(top, OfficerAt("roads", 2), "Waiting.", T0.AddDays(5)));
        Assert.EndsWith("has no running SLA clock to stop.", noClock.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recomputing_after_a_policy_change_moves_the_due_date_and_clears_a_breach_that_no_longer_holds()
    {
        var s = _w.Registered(Roads);
        Assert.False(L.RecomputeSla(s, "admin", "Nothing changed", T0).Changed);

        // Escalated to L2 (the top of the roads chain), then breached there.
        var atL2 = L.OnDueDatePassed(s, s.DueAt!.Value, s.DueAt.Value).State;
        atL2 = L.OnDueDatePassed(atL2, atL2.DueAt!.Value, atL2.DueAt.Value).State;
        Assert.True(atL2.BreachedAtTop);

        _w.Lookups.Overrides[Roads] = 5; // L2 now 7 days from the L2 clock's start
        var now = atL2.DueAt!.Value.AddHours(1);
        var t = L.RecomputeSla(atL2, "admin", "SLA policy of category roads-pothole changed", now);
        var due = atL2.SlaStartedAt.AddDays(7);
        Assert.Equal(((DateTimeOffset?)due, false, true), (t.State.DueAt, t.State.BreachedAtTop, t.State.Breached)); // the L1 breach that escalated stays
        Assert.Equal([(TimelineEventType.Recomputed, now, "admin", OfficerAt("roads", 2), (int?)2, (DateTimeOffset?)due)], t.Appended.Select(Shape));
        Assert.Equal(
            $"SLA policy of category roads-pothole changed: due date {GrievanceLifecycle.Format(atL2.DueAt.Value)} → {GrievanceLifecycle.Format(due)}; SLA 7 calendar days (category policy), due {GrievanceLifecycle.Format(due)}.",
            t.Appended[0].Note);
        Assert.True(t.Track);

        var closed = L.Resolve(s, OfficerAt("roads", 1), "Done.", T0).State;
        var refused = Assert.Throws<HelplineException>(() => L.RecomputeSla(closed, "admin", "x", T0));
        Assert.EndsWith("Cannot recompute the due date of grievance " + Helpline.Grievances.Domain.ReferenceNumber.Display(s.ReferenceNumber!) + ": it is already Resolved.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recategorising_routes_afresh_to_the_new_L1_and_the_former_holder_releases_it()
    {
        var s = _w.Registered();
        s = L.OnDueDatePassed(s, s.DueAt!.Value, s.DueAt.Value).State; // with water L2 since T0 + 2 d
        var now = T0.AddDays(3);
        var t = L.Recategorise(s, "agent-5", Roads, "It is a road matter", now);

        // Rule 4 (default): roads L1 allows 1 day, counted from when it reached L2 (T0 + 2 d): due T0 + 3 d = now.
        var due = T0.AddDays(2).AddDays(1);
        Assert.Equal((Roads, "roads", 1, OfficerAt("roads", 1), (DateTimeOffset?)due), (t.State.CurrentCategoryId, t.State.DepartmentId, t.State.Level, t.State.OfficerId, t.State.DueAt));
        Assert.Equal(
            [(TimelineEventType.Recategorised, now, "agent-5", OfficerAt("roads", 1), (int?)1, (DateTimeOffset?)due), (TimelineEventType.Recomputed, now, "system", OfficerAt("roads", 1), 1, due)],
            t.Appended.Select(Shape));
        Assert.Equal(("roads", Roads, Seat("roads", 1)), (t.Appended[0].DepartmentId, t.Appended[0].CategoryId, t.Appended[0].PositionId)); // recorded after the change
        Assert.Equal("Category water-no-supply → roads-pothole: It is a road matter", t.Appended[0].Note);
        Assert.EndsWith("the clock counts from 2026-11-04 04:30:00 UTC, when it reached its current level.", t.Appended[1].Note, StringComparison.Ordinal);
        Assert.True(t.State.Breached); // the L1 breach that escalated it stays on record
        Assert.Equal([new ReleaseFrom(OfficerAt("water", 2))], t.Effects);
        Assert.True(t.Track);

        var back = L.Recategorise(t.State, "agent-5", Water, "It was water after all", now);
        Assert.Null(back.State.CurrentCategoryId);

        var same = Assert.Throws<HelplineException>(() => L.Recategorise(s, "agent-5", Water, "x", now));
        Assert.Equal((ErrorCodes.Invalid, "categoryId"), (same.Code, same.Field));
        var unknown = Assert.Throws<HelplineException>(() => L.Recategorise(s, "agent-5", "nope", "x", now));
        Assert.Equal((CatalogueErrorCodes.UnknownCategory, "categoryId", "No category has id 'nope'."), (unknown.Code, unknown.Field, unknown.Message));

        var sameSeat = L.Recategorise(_w.Registered(), "agent-5", WaterMeter, "Meter fault", now);
        Assert.Empty(sameSeat.Effects); // the same officer keeps it
    }

    [Fact]
    public void Rule_4_a_policy_may_restart_the_clock_at_the_recategorisation_and_the_explanation_says_so()
    {
        var restarting = new GrievanceLifecycle(_w.Lookups, RecategorisationClock.Restart);
        var s = _w.Registered(); // T0 = 2026-11-02 04:30 UTC, water L1 2 days
        var now = T0.AddHours(30); // 2026-11-03 10:30 UTC
        var t = restarting.Recategorise(s, "agent-5", Roads, "Road matter", now);

        // Restart: roads L1 1 day from now = 2026-11-04 10:30 UTC. (The default would give T0 + 1 d = 2026-11-03 04:30.)
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 10, 30, 0, TimeSpan.Zero), t.State.DueAt);
        Assert.Equal(now, t.State.SlaStartedAt);
        Assert.EndsWith("the clock restarted at the re-categorisation, 2026-11-03 10:30:00 UTC.", t.Appended[1].Note, StringComparison.Ordinal);
        Assert.Equal("fake Re-categorised: the clock restarted at 2026-11-03 10:30:00 UTC.", restarting.ExplainDueDate(t.State)!.Summary);

        var byDefault = L.Recategorise(s, "agent-5", Roads, "Road matter", now).State;
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 4, 30, 0, TimeSpan.Zero), byDefault.DueAt);
        Assert.Equal("fake Re-categorised: the new allowance counts from 2026-11-02 04:30:00 UTC, when it reached its current level.", L.ExplainDueDate(byDefault)!.Summary);
    }

    [Fact]
    public void Rule_2_a_hold_lasts_through_a_recategorisation_and_the_paused_time_stays_out()
    {
        var s = _w.Registered(); // T0 = 2026-11-02 04:30 UTC; water L1: 2 days, due 2026-11-04 04:30
        var holder = OfficerAt("water", 1);

        // Held 10:30 to 16:30 on 2026-11-02 (6 h) and resumed; then held again from 2026-11-03 04:30.
        s = L.Pause(s, holder, "Waiting for the bill.", T0.AddHours(6)).State;
        s = L.Resume(s, holder, T0.AddHours(12)).State; // due 2026-11-04 10:30
        s = L.Pause(s, holder, "Waiting for the site photo.", T0.AddDays(1)).State;

        // Re-categorised to water-meter (same seat, same 2 days) on 2026-11-03 16:30 while on hold.
        var t = L.Recategorise(s, "agent-5", WaterMeter, "Meter fault", T0.AddDays(1).AddHours(12));
        Assert.Equal((DateTimeOffset?)T0.AddDays(1), t.State.OnHoldSince); // still on hold, since the same instant
        Assert.Equal("Category water-no-supply → water-meter: Meter fault (it stays on hold)", t.Appended[0].Note);
        // From the level start T0 with the closed 6 h pause kept out: T0 + 2 d + 6 h = 2026-11-04 10:30.
        Assert.Equal(T0.AddDays(2).AddHours(6), t.State.DueAt);

        // Resumed on 2026-11-04 04:30: held 24 h, so due 2026-11-04 10:30 + 24 h = 2026-11-05 10:30 UTC.
        var resumed = L.Resume(t.State, holder, T0.AddDays(2));
        Assert.Equal(new DateTimeOffset(2026, 11, 5, 10, 30, 0, TimeSpan.Zero), resumed.State.DueAt);
        Assert.Null(resumed.State.OnHoldSince);
    }

    [Fact]
    public void Rule_1_a_due_instant_that_has_not_passed_is_not_caught_up_and_one_that_has_is_acted_on_at_the_due_instant()
    {
        var s = _w.Registered(); // water L1: 2 days from T0 = 2026-11-02 04:30, due 2026-11-04 04:30 UTC
        var due = new DateTimeOffset(2026, 11, 4, 4, 30, 0, TimeSpan.Zero);
        Assert.Equal(due, s.DueAt);

        // Exactly at the due instant nothing has passed: the L1 officer still holds it and may resolve it on time.
        Assert.False(L.CatchUp(s, due).Changed);
        Assert.Equal(GrievanceStatus.Resolved, L.Resolve(L.CatchUp(s, due).State, OfficerAt("water", 1), "Done.", due).State.Status);

        // One microsecond later it has passed. After an outage of 4 days (noticed 2026-11-08 04:30) every due date
        // that passed is acted on at its own instant: L1 due 11-04 04:30; L2 (3 d) due 11-07 04:30; L3 (4 d) due 11-11.
        var t = L.CatchUp(s, due.AddDays(4));
        Assert.Equal(
            [(TimelineEventType.Breached, due), (TimelineEventType.Escalated, due), (TimelineEventType.Breached, due.AddDays(3)), (TimelineEventType.Escalated, due.AddDays(3))],
            t.Appended.Select(e => (e.Type, e.At)));
        Assert.Equal((3, (DateTimeOffset?)due.AddDays(3).AddDays(4)), (t.State.Level, t.State.DueAt));
        Assert.EndsWith("The service acted on it at 2026-11-08 04:30:00 UTC, 4 d 0 h 00 min 00 s late; the record keeps the due instant.", t.Appended[0].Note, StringComparison.Ordinal);
        Assert.EndsWith("The service acted on it at 2026-11-08 04:30:00 UTC, 1 d 0 h 00 min 00 s late; the record keeps the due instant.", t.Appended[2].Note, StringComparison.Ordinal);
        Assert.Equal(
            [new ReleaseFrom(OfficerAt("water", 1)), new ReleaseFrom(OfficerAt("water", 2))],
            t.Effects);
        var late = Assert.Throws<HelplineException>(() => L.Resolve(t.State, OfficerAt("water", 1), "Done.", due.AddDays(4)));
        Assert.Equal(GrievanceErrorCodes.NotAssignedOfficer, late.Code);
    }

    [Fact]
    public void Forwarding_up_the_chain_climbs_levels_sideways_keeps_the_level_and_bad_seats_are_refused()
    {
        var s = _w.Registered();
        var holder = OfficerAt("water", 1);
        var now = T0.AddHours(6);

        var up = L.Forward(s, holder, Seat("water", 3), "Needs the district", now);
        Assert.Equal((3, OfficerAt("water", 3), (DateTimeOffset?)now.AddDays(4)), (up.State.Level, up.State.OfficerId, up.State.DueAt));
        Assert.Equal([(TimelineEventType.Forwarded, now, holder, OfficerAt("water", 3), (int?)3, (DateTimeOffset?)now.AddDays(4))], up.Appended.Select(Shape));
        Assert.Equal("Forwarded from water@L1 to water seat L3 (water@L3) at L3: Needs the district; SLA 4 calendar days (catalogue default), due 2026-11-06 10:30:00 UTC.", up.Appended[0].Note);
        Assert.Equal([new ReleaseFrom(holder)], up.Effects);

        var aside = L.Forward(s, holder, FakeLookups.WaterAside.Id, "The next district's", now);
        Assert.Equal((1, "water", "OFF-water@aside"), (aside.State.Level, aside.State.DepartmentId, aside.State.OfficerId));

        var top = L.Forward(_w.Registered(), holder, Seat("water", 5), "Straight to the top", now);
        Assert.Equal(4, top.State.Level);

        var same = Assert.Throws<HelplineException>(() => L.Forward(s, holder, Seat("water", 1), "x", now));
        Assert.Equal((ErrorCodes.Invalid, "positionId"), (same.Code, same.Field));
        var unknown = Assert.Throws<HelplineException>(() => L.Forward(s, holder, "nowhere@seat", "x", now));
        Assert.Equal((ErrorCodes.Invalid, "positionId", "No seat has id 'nowhere@seat'."), (unknown.Code, unknown.Field, unknown.Message));
        _w.Lookups.Vacant.Add(Seat("water", 2));
        var vacant = Assert.Throws<HelplineException>(() => L.Forward(s, holder, Seat("water", 2), "x", now));
        Assert.Equal((OfficerErrorCodes.NoRoute, "positionId", "Seat water@L2 is vacant."), (vacant.Code, vacant.Field, vacant.Message));
        Assert.Equal(GrievanceErrorCodes.NotAssignedOfficer, Assert.Throws<HelplineException>(() => L.Forward(s, "OFF-x", Seat("water", 2), "x", now)).Code);
    }

    [Fact]
    public void Forwarding_stays_in_the_grievances_jurisdiction_tree_and_with_the_department_that_resolves_its_category()
    {
        var s = _w.Registered();
        var holder = OfficerAt("water", 1);
        var now = T0.AddHours(6);

        // Issue 8, defect 5: a seat under another root (an imported city's) was accepted.
        var foreign = Assert.Throws<HelplineException>(() => L.Forward(s, holder, FakeLookups.WaterElsewhere.Id, "x", now));
        Assert.Equal((ErrorCodes.Invalid, "positionId"), (foreign.Code, foreign.Field));
        Assert.Contains("another jurisdiction tree (root:other)", foreign.Message, StringComparison.Ordinal);

        var otherDepartment = Assert.Throws<HelplineException>(() => L.Forward(s, holder, Seat("roads", 2), "Road department's", now));
        Assert.Equal((ErrorCodes.Invalid, "positionId"), (otherDepartment.Code, otherDepartment.Field));
        Assert.Contains("recategorise", otherDepartment.Message, StringComparison.Ordinal);

        // After re-categorisation to a roads category, a roads seat is the right one.
        var roads = L.Recategorise(s, holder, Roads, "It is a road", now).State;
        var moved = L.Forward(roads, roads.OfficerId!, Seat("roads", 2), "Road department's", now);
        Assert.Equal("roads", moved.State.DepartmentId);
    }

    [Fact]
    public void A_lookup_that_fails_part_way_through_a_transition_leaves_the_state_given_as_it_was()
    {
        var s = _w.Registered();
        var closed = L.Resolve(s, OfficerAt("water", 1), "Done.", T0).State;
        _w.Lookups.FailCompute = true; // after the reopening has begun to change the copy

        var e = Assert.Throws<HelplineException>(() => L.Reopen(closed, "agent-3", "Still broken.", T0.AddDays(1)));
        Assert.Equal(JurisdictionErrorCodes.UnknownJurisdiction, e.Code);
        Assert.Equal((GrievanceStatus.Resolved, 1, 3), (closed.Status, closed.Level, closed.Timeline.Count));
        Assert.Equal("Done.", closed.Disposal);
    }
}
