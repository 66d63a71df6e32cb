using System.Net;
using System.Collections.Immutable;
using Helpline.Grievances.Jobs;
using Helpline.Officers.Workload;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace Helpline.Tests.Grievances;

/// <summary>
/// The deadline sweep on a test silo: one officer that cannot be reached does not stop the others and is reported;
/// after a silo's death the survivors share the officers between them.
/// </summary>
public sealed class DeadlineSweepTests(GrainCluster world) : IClassFixture<GrainCluster>
{
    private sealed class Officers(params string[] ids) : IOfficersWithOpenDeadlines
    {
        public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(ids);
    }

    private static TrackedGrievance Passed(string key, DateTimeOffset now) => new(key, "260000000014", now.AddMinutes(-3), true);

    [Fact]
    public async Task The_sweep_continues_past_an_officer_that_fails_and_reports_it()
    {
        var now = world.Clock.GetUtcNow();
        var (first, failing, last) = (GrainCluster.NewId("OFF-sw1"), GrainCluster.NewId("OFF-sw2"), GrainCluster.NewId("OFF-sw3"));
        var (k1, k2, k3) = (DueDateProbe.NewKey(), DueDateProbe.NewKey(), DueDateProbe.NewKey());
        world.ReadModel.Seed(first, Passed(k1, now));
        world.ReadModel.Seed(failing, Passed(k2, now));
        world.ReadModel.Seed(last, Passed(k3, now));
        world.Probe.FailNextCalls(failing, nameof(IOfficerGrain.Arm)); // fails before reaching the grain (its silo is dying)
        world.Probe.FailNextCalls(failing, nameof(IOfficerGrain.Recheck));
        var sweep = new DeadlineSweep(new Officers(first, failing, last), world.Client, NullLogger<DeadlineSweep>.Instance);

        var outcome = await sweep.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3, outcome.Officers);
        Assert.Equal([failing], outcome.FailedIds);
        Assert.Equal(1, outcome.Failed);
        Assert.Equal([failing], outcome.FirstFailed);
        await Wait.UntilAsync(() => Task.FromResult(world.Probe.CallsTo(k1).Count + world.Probe.CallsTo(k3).Count), n => n == 2, "the armed officers' passed deadlines");

        // A recheck sweep (after a silo's death) fails the same officer once more; its retry of the failed ones reaches it.
        var again = await sweep.RunAsync(_ => true, recheck: true, TestContext.Current.CancellationToken);
        Assert.Equal([failing], again.FailedIds);
        var last3 = await sweep.ArmAsync(again.FailedIds, recheck: true, TestContext.Current.CancellationToken);
        Assert.Equal(0, last3.Failed);
        Assert.Equal(now.AddMinutes(-3), Assert.Single(await Wait.UntilAsync(() => Task.FromResult(world.Probe.CallsTo(k2)), c => c.Count >= 1, "the failing officer's deadline")).DueAt);
    }

    [Fact]
    public void After_a_death_the_survivors_share_every_officer_exactly_once()
    {
        var silos = Enumerable.Range(0, 3).Select(i => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111 + i), 100 + i)).ToList();
        var officers = Enumerable.Range(0, 3000).Select(i => $"OFF-{i}").ToList();

        var owners = officers.Select(o => silos.Count(s => SiloDeathDeadlineSweep.IsMine(o, silos, s))).ToList();
        Assert.All(owners, n => Assert.Equal(1, n));
        foreach (var silo in silos)
        {
            var share = officers.Count(o => SiloDeathDeadlineSweep.IsMine(o, silos, silo));
            Assert.InRange(share, 800, 1200); // roughly a third each
        }

        // A silo that does not find itself among the active ones (its view is behind) arms everything.
        var stranger = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 12000), 1);
        Assert.All(officers.Take(50), o => Assert.True(SiloDeathDeadlineSweep.IsMine(o, silos, stranger)));
    }

    [Fact]
    public void Only_silos_that_changed_to_dead_count_as_newly_dead()
    {
        var (self, other, third) = (Silo(1), Silo(2), Silo(3));
        var before = Snapshot(1, (self, SiloStatus.Active), (other, SiloStatus.Active), (third, SiloStatus.Dead));
        var after = Snapshot(2, (self, SiloStatus.Active), (other, SiloStatus.Dead), (third, SiloStatus.Dead));

        Assert.Equal([other], SiloDeathDeadlineSweep.NewlyDead(before, after, self));
        Assert.Empty(SiloDeathDeadlineSweep.NewlyDead(after, after, self));
        Assert.Empty(SiloDeathDeadlineSweep.NewlyDead(before, Snapshot(2, (self, SiloStatus.Dead), (other, SiloStatus.Active)), self));
    }

    private static SiloAddress Silo(int i) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + i), 7);

    private static ClusterMembershipSnapshot Snapshot(long version, params (SiloAddress Silo, SiloStatus Status)[] members) =>
        new(members.ToImmutableDictionary(m => m.Silo, m => new ClusterMember(m.Silo, m.Status, m.Silo.ToString())), new MembershipVersion(version));
}
