using CsCheck;
using Orleans.Core.Internal;
using Helpline.Officers.Workload;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Officers;

/// <summary>
/// Boards read officers' figures from the snapshots their grains publish on the silo instead of calling 1,000 grains:
/// a snapshot must give exactly what the grain would answer at the same moment, after every kind of change, and must go
/// with its activation so that nothing is read from a grain that is no longer there.
/// </summary>
public sealed class OfficerSnapshotTests(GrainCluster world) : IClassFixture<GrainCluster>
{
    private static readonly TimeSpan Ist = WorkloadScore.Ist;

    private LocalOfficerSnapshots Snapshots => world.SiloService<LocalOfficerSnapshots>();

    private IOfficerWorkloads Workloads => world.SiloService<IOfficerWorkloads>();

    private static TrackedGrievance Tracked(string key, DateTimeOffset dueAt, DateTimeOffset? atRiskAt = null, bool onHold = false) =>
        new(key, "260000000014", dueAt, !onHold, atRiskAt, onHold, RegisteredAt: dueAt.AddDays(-7));

    [Fact]
    public async Task The_snapshot_gives_the_grains_own_figures_after_every_change_and_as_time_passes()
    {
        var officerId = GrainCluster.NewId("OFF-snap");
        var officer = world.Officer(officerId);
        var now = world.Clock.GetUtcNow();
        var (kept, moved, disposed) = (DueDateProbe.NewKey(), DueDateProbe.NewKey(), DueDateProbe.NewKey());

        await officer.Track(Tracked(kept, now.AddHours(30), atRiskAt: now.AddHours(6)));
        await AssertSameAsGrain(officerId, open: 1);
        await officer.Track(Tracked(moved, now.AddHours(3)));
        await officer.Track(Tracked(disposed, now.AddDays(4), onHold: true));
        await officer.Track(Tracked(DueDateProbe.NewKey(), now.AddDays(-1))); // overdue already
        await AssertSameAsGrain(officerId, open: 4);

        await officer.Release(moved);
        await officer.ReleaseDisposed(disposed, now);
        var after = await AssertSameAsGrain(officerId, open: 2);
        Assert.Equal(1, after.DisposedLast7Days);

        // Nothing changes in the grain, yet the figures do: at risk, then a new IST day, then the disposal ages out.
        foreach (var step in new[] { TimeSpan.FromHours(7), TimeSpan.FromHours(20), TimeSpan.FromDays(7) })
        {
            world.Clock.Advance(step);
            await AssertSameAsGrain(officerId, open: 2);
        }

        Assert.Equal(0, (await officer.GetWorkload()).DisposedLast7Days);
    }

    [Fact]
    public async Task An_officer_whose_grain_is_not_active_here_is_asked_through_the_grain()
    {
        var officerId = GrainCluster.NewId("OFF-away");
        var due = world.Clock.GetUtcNow().AddDays(2);
        world.ReadModel.Seed(officerId, Tracked(DueDateProbe.NewKey(), due));
        Assert.Null(Snapshots.Find(officerId));

        // Another silo's view of the same officer: no snapshot of it there, so the grain answers.
        var elsewhere = new OfficerWorkloads(new LocalOfficerSnapshots(), world.Client, world.Clock);
        var figures = Assert.Single(await elsewhere.WorkloadsOfAsync([officerId]));

        Assert.Equal(1, figures.Open);
        Assert.Equal(due, figures.NextDueAt);
        Assert.Equal(figures, Assert.Single(await Workloads.WorkloadsOfAsync([officerId])), WorkloadComparer.Instance);
        Assert.NotNull(Snapshots.Find(officerId)); // the call activated it here
    }

    [Fact]
    public async Task A_deactivated_grain_takes_its_snapshot_with_it_and_a_new_activation_publishes_afresh()
    {
        var officerId = GrainCluster.NewId("OFF-gone");
        var officer = world.Officer(officerId);
        var key = DueDateProbe.NewKey();
        await officer.Track(Tracked(key, world.Clock.GetUtcNow().AddDays(3)));
        var first = Snapshots.Find(officerId);
        Assert.NotNull(first);

        await officer.Cast<IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => Task.FromResult(Snapshots.Find(officerId)), s => s is null, $"the snapshot of {officerId} withdrawn");

        // The read model holds nothing for this officer: the new activation starts empty, and says so.
        var workload = Assert.Single(await Workloads.WorkloadsOfAsync([officerId]));
        Assert.Equal(0, workload.Open);
        var second = Snapshots.Find(officerId);
        Assert.NotNull(second);
        Assert.NotSame(first.Owner, second.Owner);
        Assert.Empty(second.Open);
    }

    [Fact]
    public async Task Figures_and_open_lists_come_back_in_the_order_asked_mixing_snapshots_and_calls()
    {
        var active = GrainCluster.NewId("OFF-here");
        var inactive = GrainCluster.NewId("OFF-cold");
        var now = world.Clock.GetUtcNow();
        await world.Officer(active).Track(Tracked(DueDateProbe.NewKey(), now.AddDays(1)));
        world.ReadModel.Seed(inactive, Tracked(DueDateProbe.NewKey(), now.AddDays(2)));
        world.ReadModel.Seed(inactive, Tracked(DueDateProbe.NewKey(), now.AddDays(3)));

        var workloads = await Workloads.WorkloadsOfAsync([inactive, active, inactive]);
        var open = await Workloads.OpenOfAsync([active, inactive]);

        Assert.Equal([inactive, active, inactive], workloads.Select(w => w.OfficerId));
        Assert.Equal([2, 1, 2], workloads.Select(w => w.Open));
        Assert.Equal([1, 2], open.Select(o => o.Count));
    }

    [Fact]
    public async Task A_pools_expected_loads_from_snapshots_equal_the_grains_answer()
    {
        var officerId = GrainCluster.NewId("OFF-pool");
        var (held, coming) = (DueDateProbe.NewKey(), DueDateProbe.NewKey());
        await world.Officer(officerId).Track(Tracked(held, world.Clock.GetUtcNow().AddDays(2)));
        await world.Officer(officerId).Track(Tracked(DueDateProbe.NewKey(), world.Clock.GetUtcNow().AddDays(3)));
        IReadOnlyCollection<string> expected = [held, coming];

        var fromGrain = await world.Officer(officerId).LoadExpecting(expected);
        var fromSnapshot = Assert.Single(await Workloads.LoadsExpectingAsync([officerId], [expected]));
        var elsewhere = new OfficerWorkloads(new LocalOfficerSnapshots(), world.Client, world.Clock);
        var fromCall = Assert.Single(await elsewhere.LoadsExpectingAsync([officerId], [expected]));

        foreach (var load in new[] { fromGrain, fromSnapshot, fromCall })
        {
            Assert.Equal(3, load.Open); // 2 held + the one not there yet
            Assert.Equal([held], load.Held);
        }
    }

    [Fact]
    public void Today_in_India_is_the_same_whether_computed_per_grievance_or_once_for_many()
    {
        // Instants within a day of an IST midnight, at tick precision, against the calendar-date definition.
        var midnight = new DateTimeOffset(2026, 12, 5, 0, 0, 0, Ist);
        var near = Gen.Long[-TimeSpan.TicksPerDay, TimeSpan.TicksPerDay].Select(t => midnight.AddTicks(t));
        Gen.Select(near, near).Sample((now, instant) =>
        {
            var clock = new UrgencyClock(now);
            return clock.IsToday(instant) == (instant.ToOffset(Ist).Date == now.ToOffset(Ist).Date)
                && clock.IsToday(instant.ToUniversalTime()) == clock.IsToday(instant);
        });
    }

    [Fact]
    public void Figures_kept_until_their_horizon_are_the_figures_of_every_instant_before_it()
    {
        var origin = new DateTimeOffset(2026, 12, 5, 18, 29, 59, TimeSpan.Zero); // 23:59:59 in India
        var instant = Gen.Long[-4 * TimeSpan.TicksPerDay, 4 * TimeSpan.TicksPerDay].Select(t => origin.AddTicks(t));
        var grievance = Gen.Select(instant, Gen.Long[0, 3 * TimeSpan.TicksPerDay], Gen.Bool, Gen.Int[0, 99])
            .Select((due, lead, onHold, n) => new TrackedGrievance(
                $"k{n}", $"2600000000{n:00}", due, !onHold, lead == 0 ? null : due.AddTicks(-lead), onHold, RegisteredAt: due.AddDays(-9)));
        var recent = OfficerGrain.RecentDisposals;
        Gen.Select(grievance.Array[0, 8], instant.Array[0, 4], instant).Sample((open, disposals, now) =>
        {
            var horizon = WorkloadCount.Horizon(open, disposals, recent, now);
            var kept = WorkloadCount.Of("OFF-1", open, now, disposals.Count(d => d >= now - recent));
            return horizon > now && new[] { now.AddTicks((horizon - now).Ticks / 2), horizon.AddTicks(-1) }.All(t =>
                WorkloadComparer.Instance.Equals(kept, WorkloadCount.Of("OFF-1", open, t, disposals.Count(d => d >= t - recent))));
        });
    }

    // Both ways, at the same (fake) instant.
    private async Task<OfficerWorkload> AssertSameAsGrain(string officerId, int open)
    {
        var fromGrain = await world.Officer(officerId).GetWorkload();
        var snapshot = Snapshots.Find(officerId) ?? throw new InvalidOperationException($"No snapshot of {officerId} on the silo.");
        var fromSnapshot = snapshot.WorkloadAt(officerId, world.Clock.GetUtcNow());
        Assert.Equal(open, fromGrain.Open);
        Assert.Equal(fromGrain, fromSnapshot, WorkloadComparer.Instance);
        Assert.Equal(fromGrain, Assert.Single(await Workloads.WorkloadsOfAsync([officerId])), WorkloadComparer.Instance);
        return fromGrain;
    }

    // Records compare their attention lists by reference; these compare them item by item.
    private sealed class WorkloadComparer : IEqualityComparer<OfficerWorkload>
    {
        public static readonly WorkloadComparer Instance = new();

        public bool Equals(OfficerWorkload? x, OfficerWorkload? y) =>
            x is not null && y is not null
            && x with { Attention = null } == y with { Attention = null }
            && (x.Attention ?? []).SequenceEqual(y.Attention ?? []);

        public int GetHashCode(OfficerWorkload obj) => obj.OfficerId.GetHashCode(StringComparison.Ordinal);
    }
}
