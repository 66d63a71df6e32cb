using Helpline.Officers.Workload;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Officers;

/// <summary>
/// The officer grain's deadline list and its one grain timer, driven by the fake clock. The grievances it tells are
/// answered by <see cref="DueDateProbe"/>, which records each call.
/// </summary>
/// <remarks>
/// "Not (yet) fired" is checked after a barrier: Advance runs due timer callbacks on the calling thread, which queue
/// the tick on the officer's activation; <see cref="IOfficerGrain.Arm"/> does not interleave, so once it returns any
/// tick queued before it has run, and the calls a tick starts (without waiting for them) are then awaited through the
/// silo's outgoing-call counter.
/// </remarks>
public sealed class OfficerGrainTests(GrainCluster world) : IClassFixture<GrainCluster>
{
    private static TrackedGrievance Tracked(string key, DateTimeOffset dueAt, bool armed = true) => new(key, "260000000014", dueAt, armed);

    private Task Barrier(string officerId) => world.OfficerCallsSettledAsync(officerId);

    private Task<IReadOnlyList<DueDateCall>> CallsEventually(string key, int count) =>
        Wait.UntilAsync(() => Task.FromResult(world.Probe.CallsTo(key)), c => c.Count >= count, $"{count} due-date call(s) to {key}");

    [Fact]
    public async Task The_earliest_deadline_fires_just_after_its_due_instant_and_not_at_or_before_it()
    {
        var officerId = GrainCluster.NewId("OFF-earliest");
        var officer = world.Officer(officerId);
        var t0 = world.Clock.GetUtcNow();
        var (first, second, third) = (DueDateProbe.NewKey(), DueDateProbe.NewKey(), DueDateProbe.NewKey());
        await officer.Track(Tracked(second, t0.AddHours(2)));
        await officer.Track(Tracked(first, t0.AddHours(1)));
        await officer.Track(Tracked(third, t0.AddHours(3)));

        world.Clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        await Barrier(officerId);
        Assert.Empty(world.Probe.CallsTo(first));

        // Rule 1: at exactly the due instant (t0 + 1 h) it has not passed, so nothing fires: a resolve then is on time.
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        await Barrier(officerId);
        Assert.Empty(world.Probe.CallsTo(first));

        world.Clock.Advance(DueInstantRule.Resolution); // t0 + 1 h + 1 µs: the first stored instant after it
        var calls = await CallsEventually(first, 1);
        Assert.Equal(t0.AddHours(1), calls[0].DueAt);
        Assert.True(calls[0].FromOfficer);
        Assert.True(calls[0].At > t0.AddHours(1));
        await Barrier(officerId);
        Assert.Single(world.Probe.CallsTo(first));
        Assert.Empty(world.Probe.CallsTo(second));
        Assert.Empty(world.Probe.CallsTo(third));

        world.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(t0.AddHours(2), (await CallsEventually(second, 1))[0].DueAt);
        await Barrier(officerId);
        Assert.Empty(world.Probe.CallsTo(third));
        Assert.Single(world.Probe.CallsTo(first)); // a fired deadline does not fire again
    }

    [Fact]
    public async Task A_deadline_days_away_fires_on_time_through_the_re_armed_timer()
    {
        var officerId = GrainCluster.NewId("OFF-far");
        var key = DueDateProbe.NewKey();
        var due = world.Clock.GetUtcNow().AddDays(9).AddMinutes(7);
        await world.Officer(officerId).Track(Tracked(key, due));

        for (var step = 0; step < 9 * 4; step++)
        {
            world.Clock.Advance(TimeSpan.FromHours(6));
            await Barrier(officerId);
        }

        Assert.Empty(world.Probe.CallsTo(key));
        world.Clock.Advance(TimeSpan.FromMinutes(7) + DueInstantRule.Resolution);
        Assert.Equal(due, (await CallsEventually(key, 1))[0].DueAt);
    }

    [Fact]
    public async Task Re_tracking_with_another_due_date_moves_the_timer()
    {
        var officerId = GrainCluster.NewId("OFF-moved");
        var officer = world.Officer(officerId);
        var t0 = world.Clock.GetUtcNow();
        var (later, earlier) = (DueDateProbe.NewKey(), DueDateProbe.NewKey());
        await officer.Track(Tracked(earlier, t0.AddHours(5)));
        await officer.Track(Tracked(earlier, t0.AddHours(2))); // the only deadline moves earlier: so must the timer
        await officer.Track(Tracked(later, t0.AddHours(1)));
        await officer.Track(Tracked(later, t0.AddHours(3)));
        Assert.Equal(new OfficerWorkload(officerId, 2, 0, 2, t0.AddHours(2)), Counts(await officer.GetWorkload()));

        world.Clock.Advance(TimeSpan.FromHours(1.5));
        await Barrier(officerId);
        Assert.Empty(world.Probe.CallsTo(later));

        world.Clock.Advance(TimeSpan.FromHours(0.5) + DueInstantRule.Resolution);
        Assert.Equal(t0.AddHours(2), (await CallsEventually(earlier, 1))[0].DueAt);
        await Barrier(officerId);
        Assert.Empty(world.Probe.CallsTo(later));

        world.Clock.Advance(TimeSpan.FromHours(1));
        var calls = await CallsEventually(later, 1);
        Assert.Equal(t0.AddHours(3), Assert.Single(calls).DueAt);

        world.Clock.Advance(TimeSpan.FromHours(3));
        await Barrier(officerId);
        Assert.Single(world.Probe.CallsTo(later));
        Assert.Single(world.Probe.CallsTo(earlier));
    }

    [Fact]
    public async Task Release_cancels_the_deadline_and_is_idempotent()
    {
        var officerId = GrainCluster.NewId("OFF-release");
        var officer = world.Officer(officerId);
        var t0 = world.Clock.GetUtcNow();
        var (released, kept) = (DueDateProbe.NewKey(), DueDateProbe.NewKey());
        await officer.Track(Tracked(released, t0.AddHours(1)));
        await officer.Track(Tracked(kept, t0.AddHours(4)));
        await officer.Release(released);
        await officer.Release(released);
        await officer.Release("never-tracked");
        Assert.Equal(new OfficerWorkload(officerId, 1, 0, 1, t0.AddHours(4)), Counts(await officer.GetWorkload()));

        world.Clock.Advance(TimeSpan.FromHours(2));
        await Barrier(officerId);
        Assert.Empty(world.Probe.CallsTo(released));

        await officer.Release(kept);
        world.Clock.Advance(TimeSpan.FromHours(3));
        await Barrier(officerId);
        Assert.Empty(world.Probe.CallsTo(kept));
        Assert.Equal(new OfficerWorkload(officerId, 0, 0, 0, null), Counts(await officer.GetWorkload()));
    }

    [Fact]
    public async Task The_workload_counts_open_overdue_due_within_24_hours_and_the_next_due_date()
    {
        var officerId = GrainCluster.NewId("OFF-workload");
        var officer = world.Officer(officerId);
        Assert.Equal(new OfficerWorkload(officerId, 0, 0, 0, null), Counts(await officer.GetWorkload()));

        var now = world.Clock.GetUtcNow();
        await officer.Track(Tracked(DueDateProbe.NewKey(), now.AddDays(-2), armed: false)); // overdue, breached at the top
        await officer.Track(Tracked(DueDateProbe.NewKey(), now, armed: false)); // due this instant: not yet overdue (rule 1)
        await officer.Track(Tracked(DueDateProbe.NewKey(), now.AddSeconds(1)));
        await officer.Track(Tracked(DueDateProbe.NewKey(), now.AddHours(23).AddMinutes(59)));
        await officer.Track(Tracked(DueDateProbe.NewKey(), now.AddHours(24))); // the 24th hour counts
        await officer.Track(Tracked(DueDateProbe.NewKey(), now.AddHours(24).AddSeconds(1)));
        await officer.Track(Tracked(DueDateProbe.NewKey(), now.AddDays(6)));
        var tracked = DueDateProbe.NewKey();
        await officer.Track(Tracked(tracked, now.AddDays(3)));
        await officer.Track(Tracked(tracked, now.AddDays(5))); // an update, not a second grievance

        // Overdue: only the one 2 days past. Due within 24 h: now, +1 s, +23:59, +24 h. Next: the one due now.
        Assert.Equal(new OfficerWorkload(officerId, 8, 1, 4, now), Counts(await officer.GetWorkload()));

        world.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new OfficerWorkload(officerId, 8, 3, 3, now.AddHours(23).AddMinutes(59)), Counts(await officer.GetWorkload()));
    }

    [Fact]
    public async Task Deadlines_that_passed_before_activation_fire_at_once_and_the_rest_wait()
    {
        var officerId = GrainCluster.NewId("OFF-restart");
        var now = world.Clock.GetUtcNow();
        var (passed, passedLongAgo, atTop, future) = (DueDateProbe.NewKey(), DueDateProbe.NewKey(), DueDateProbe.NewKey(), DueDateProbe.NewKey());
        world.ReadModel.Seed(officerId, Tracked(passed, now.AddMinutes(-5)));
        world.ReadModel.Seed(officerId, Tracked(passedLongAgo, now.AddDays(-40)));
        world.ReadModel.Seed(officerId, Tracked(atTop, now.AddDays(-1), armed: false));
        world.ReadModel.Seed(officerId, Tracked(future, now.AddHours(2)));

        await world.Officer(officerId).Arm(); // activates: the list is rebuilt from the read model

        Assert.Equal(now.AddMinutes(-5), Assert.Single(await CallsEventually(passed, 1)).DueAt);
        Assert.Equal(now.AddDays(-40), Assert.Single(await CallsEventually(passedLongAgo, 1)).DueAt);
        await Barrier(officerId);
        Assert.Empty(world.Probe.CallsTo(atTop));
        Assert.Empty(world.Probe.CallsTo(future));
        Assert.Equal(new OfficerWorkload(officerId, 4, 3, 1, now.AddHours(2)), Counts(await world.Officer(officerId).GetWorkload()));

        world.Clock.Advance(TimeSpan.FromHours(2) + DueInstantRule.Resolution);
        await CallsEventually(future, 1);
        await Barrier(officerId);
        Assert.Single(world.Probe.CallsTo(passed));
        Assert.Empty(world.Probe.CallsTo(atTop));
    }

    [Fact]
    public async Task A_handler_that_throws_is_retried_until_it_succeeds_and_others_are_not_repeated()
    {
        var officerId = GrainCluster.NewId("OFF-retry");
        var officer = world.Officer(officerId);
        var due = world.Clock.GetUtcNow().AddHours(1);
        var (failing, healthy) = (DueDateProbe.NewKey(), DueDateProbe.NewKey());
        world.Probe.FailNext(failing, 2);
        await officer.Track(Tracked(failing, due));
        await officer.Track(Tracked(healthy, due));

        world.Clock.Advance(TimeSpan.FromHours(1) + DueInstantRule.Resolution);
        await CallsEventually(failing, 1);
        await CallsEventually(healthy, 1);
        await Barrier(officerId);
        Assert.Single(world.Probe.CallsTo(failing)); // no retry while the clock stands still: no hot loop

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await CallsEventually(failing, 2);
        await Barrier(officerId);
        Assert.Equal(2, world.Probe.CallsTo(failing).Count);

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var calls = await CallsEventually(failing, 3); // the third attempt succeeds
        Assert.All(calls, c => Assert.Equal(due, c.DueAt));

        world.Clock.Advance(TimeSpan.FromHours(6));
        await Barrier(officerId);
        Assert.Equal(3, world.Probe.CallsTo(failing).Count); // disarmed once handled
        Assert.Single(world.Probe.CallsTo(healthy)); // handled the first time, never repeated by the retries
        Assert.Equal(new OfficerWorkload(officerId, 2, 2, 0, null), Counts(await officer.GetWorkload()));
    }

    [Fact]
    public async Task One_unreachable_grievance_does_not_hold_up_the_officers_other_deadlines_and_is_told_again_until_it_answers()
    {
        var officerId = GrainCluster.NewId("OFF-stuck");
        var officer = world.Officer(officerId);
        var t0 = world.Clock.GetUtcNow();
        var (stuck, sameInstant, later) = (DueDateProbe.NewKey(), DueDateProbe.NewKey(), DueDateProbe.NewKey());
        await officer.Track(Tracked(stuck, t0.AddHours(1)));
        await officer.Track(Tracked(sameInstant, t0.AddHours(1)));
        await officer.Track(Tracked(later, t0.AddHours(1).AddSeconds(30)));
        world.Probe.Hold(stuck); // its grain's silo died: the call neither answers nor fails

        world.Clock.Advance(TimeSpan.FromHours(1) + DueInstantRule.Resolution);
        await CallsEventually(stuck, 1);
        Assert.Equal(t0.AddHours(1), Assert.Single(await CallsEventually(sameInstant, 1)).DueAt);

        // The stuck call is given up after FiringPolicy.CallTimeout; the next deadline fires at its own instant meanwhile.
        world.Clock.Advance(TimeSpan.FromSeconds(30));
        var laterCall = Assert.Single(await CallsEventually(later, 1));
        Assert.Equal(t0.AddHours(1).AddSeconds(30), laterCall.DueAt);
        Assert.Equal(t0.AddHours(1).AddSeconds(30) + DueInstantRule.Resolution, laterCall.At); // not a tick late
        Assert.Single(world.Probe.CallsTo(stuck)); // still waiting in the unreachable grain

        // Told again after its back-off while the first call still hangs (the retry queues behind it in the grain).
        await Wait.UntilAsync(
            () =>
            {
                world.Clock.Advance(TimeSpan.FromSeconds(1));
                return Task.FromResult(world.Outgoing.PendingFromOfficers);
            },
            n => n >= 2,
            "the officer's second call to the unreachable grievance");

        world.Probe.Unhold(stuck); // its silo is declared dead; the grain answers again
        await CallsEventually(stuck, 2);
        await Barrier(officerId);
        var told = world.Probe.CallsTo(stuck).Count;
        Assert.All(world.Probe.CallsTo(stuck), c => Assert.Equal(t0.AddHours(1), c.DueAt));

        world.Clock.Advance(TimeSpan.FromHours(1));
        await Barrier(officerId);
        Assert.Equal(told, world.Probe.CallsTo(stuck).Count); // answered: never told again
        Assert.Single(world.Probe.CallsTo(sameInstant));
        Assert.Single(world.Probe.CallsTo(later));
        Assert.Equal(new OfficerWorkload(officerId, 3, 3, 0, null), Counts(await officer.GetWorkload()));
    }

    [Fact]
    public async Task Recheck_tells_a_failed_grievance_again_at_once_instead_of_after_its_back_off()
    {
        var officerId = GrainCluster.NewId("OFF-recheck");
        var officer = world.Officer(officerId);
        var (failing, waiting) = (DueDateProbe.NewKey(), DueDateProbe.NewKey());
        var t0 = world.Clock.GetUtcNow();
        world.Probe.FailNext(failing, 1);
        await officer.Track(Tracked(failing, t0.AddHours(1)));
        await officer.Track(Tracked(waiting, t0.AddHours(3)));

        world.Clock.Advance(TimeSpan.FromHours(1) + DueInstantRule.Resolution);
        await CallsEventually(failing, 1);
        await Barrier(officerId);
        await Barrier(officerId); // the failure's bookkeeping ran after the call returned
        Assert.Single(world.Probe.CallsTo(failing)); // its back-off has not passed: the clock stands still

        await officer.Recheck(); // a silo was declared dead: try now
        Assert.Equal(2, (await CallsEventually(failing, 2)).Count);
        await Barrier(officerId);
        Assert.Equal(2, world.Probe.CallsTo(failing).Count);
        Assert.Empty(world.Probe.CallsTo(waiting)); // Recheck fires nothing that is not due

        await officer.Recheck();
        await Barrier(officerId);
        Assert.Equal(2, world.Probe.CallsTo(failing).Count); // answered: a recheck does not repeat it
    }

    [Fact]
    public async Task Recheck_activates_an_officer_lost_with_its_silo_and_fires_what_passed()
    {
        var officerId = GrainCluster.NewId("OFF-lost");
        var passed = DueDateProbe.NewKey();
        world.ReadModel.Seed(officerId, Tracked(passed, world.Clock.GetUtcNow().AddMinutes(-1)));

        await world.Officer(officerId).Recheck();

        Assert.Equal(world.Clock.GetUtcNow().AddMinutes(-1), Assert.Single(await CallsEventually(passed, 1)).DueAt);
    }

    // The counts these tests are about, without the score and lists the workload tests check.
    private static OfficerWorkload Counts(OfficerWorkload w) => w with { DueToday = 0, DisposedLast7Days = null, OldestOpenAt = null, LoadScore = 0, Attention = null };
}
