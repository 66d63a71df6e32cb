using Helpline.Grievances.Grains;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Grievances.Grains;

public sealed class StatusLookupGuardGrainTests(GrainCluster world) : IClassFixture<GrainCluster>
{
    [Fact]
    public async Task Five_wrong_tries_lock_the_number_for_fifteen_minutes_from_the_first_and_then_it_counts_afresh()
    {
        var guard = world.Client.GetGrain<IStatusLookupGuardGrain>(GrainCluster.NewId("status:guard"));
        for (var i = 0; i < 4; i++)
        {
            await guard.Failed();
            world.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.False(await guard.IsLocked());
        await guard.Failed();
        Assert.True(await guard.IsLocked());

        world.Clock.Advance(TimeSpan.FromMinutes(10)); // 14 minutes after the first wrong try
        Assert.True(await guard.IsLocked());
        world.Clock.Advance(TimeSpan.FromMinutes(1)); // 15 minutes: the window is over
        Assert.False(await guard.IsLocked());

        await guard.Failed();
        Assert.False(await guard.IsLocked()); // a new window with one wrong try
    }

    [Fact]
    public async Task Tries_at_one_number_do_not_lock_another()
    {
        var one = world.Client.GetGrain<IStatusLookupGuardGrain>(GrainCluster.NewId("status:one"));
        var other = world.Client.GetGrain<IStatusLookupGuardGrain>(GrainCluster.NewId("status:other"));
        for (var i = 0; i < 5; i++)
        {
            await one.Failed();
        }

        Assert.True(await one.IsLocked());
        Assert.False(await other.IsLocked());
    }
}
