using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Workload;

/// <summary>
/// Registrations at a pool seat go to the member with the most spare capacity, through the real host: the exact member
/// for a given pool state, turns among equals, leave and capacity, and a burst of concurrent registrations spread evenly.
/// </summary>
public sealed class PoolAssignmentTests : HostedTest
{
    private PoolWorld _w = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _w = new PoolWorld(Host);
        await _w.InitializeAsync();
    }

    [Fact]
    public async Task Equal_members_take_turns_by_officer_id_and_the_timeline_says_who_and_why()
    {
        var members = await _w.MakePoolAsync(more: 3);

        var given = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            given.Add((await _w.RegisterAsync()).Officer);
        }

        Assert.Equal([.. members, .. members], given);
        var (timeline, officer, _) = await _w.ReadAsync((await _w.RegisterAsync()).Reference);
        Assert.Equal(members[0], officer);
        Assert.Equal(["REGISTERED", "ROUTED", "ASSIGNED"], timeline.Select(t => t.Type));
        Assert.Equal($"Given to officer {members[0]} of the pool Block Development Officer ({_w.Seat}): 2 open of capacity 20, least loaded of 4.", timeline[2].Note);
    }

    [Fact]
    public async Task A_member_on_leave_or_at_capacity_gets_nothing_new_while_others_can_take_it()
    {
        var members = await _w.MakePoolAsync(more: 2, capacity: 2);
        var (onLeave, capped, other) = (members[0], members[1], members[2]);
        var from = Host.Clock.GetUtcNow();
        var leave = await Host.GraphQLAsync(
            "mutation($o: String!, $c: String!, $f: DateTimeOffset!, $t: DateTimeOffset!) { recordLeave(input: { officerId: $o, from: $f, to: $t, chargeOfficerId: $c }) { id } }",
            new { o = onLeave, c = other, f = from, t = from.AddDays(3) },
            bearer: PoolWorld.Admin);
        Assert.Null(leave.Errors);
        Assert.Null((await Host.GraphQLAsync($"mutation {{ setOfficerCapacity(officerId: \"{capped}\", capacity: 1) {{ id }} }}", bearer: PoolWorld.Admin)).Errors);

        var given = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            given.Add((await _w.RegisterAsync()).Officer);
        }

        // 1: spare 2 beats 1. 2: spare 1 each, the one holding fewer. 3: the capped member is full. 4: both full, the one holding fewer.
        Assert.Equal([other, capped, other, capped], given);
        Assert.Equal(0, await _w.OpenAsync(onLeave));
        var (timeline, _, _) = await _w.ReadAsync((await _w.RegisterAsync()).Reference);
        Assert.EndsWith("least loaded of the 2 of 3 not on leave; every member is at capacity.", timeline[^1].Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_of_concurrent_registrations_spreads_evenly_over_the_pool()
    {
        var members = await _w.MakePoolAsync(more: 3);

        var given = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _w.RegisterAsync()));

        Assert.All(members, m => Assert.Equal(5, given.Count(g => g.Officer == m)));
        foreach (var m in members)
        {
            Assert.Equal(5, await _w.OpenAsync(m));
        }
    }

    [Fact]
    public async Task An_escalation_into_a_pool_seat_goes_to_the_least_loaded_member_of_that_pool()
    {
        // The district's seat above the block becomes a pool of two, both holding nothing.
        var (first, _) = await DistrictPoolOfTwoAsync(mobile: "9450010099");

        var g = await _w.RegisterAsync();
        var due = (await _w.ReadAsync(g.Reference)).DueAt;
        Host.Clock.SetUtcNow(due.AddSeconds(1));

        var escalated = await Wait.UntilAsync(() => _w.ReadAsync(g.Reference), r => r.Timeline.Any(t => t.Type == "ESCALATED"), "the escalation to the district's pool");
        Assert.Equal(first, escalated.Officer); // both hold nothing: the lower id
        Assert.Equal("ASSIGNED", escalated.Timeline[^1].Type);
        Assert.StartsWith($"Given to officer {first} of the pool ", escalated.Timeline[^1].Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_member_of_a_pool_supervisor_seat_at_work_may_act_for_the_team_below_it()
    {
        // The district's seat above the block becomes a pool of two; escalations would go to the lower id, but both supervise.
        var (_, second) = await DistrictPoolOfTwoAsync(mobile: "9450010098");

        var g = await _w.RegisterAsync();
        var resolved = await Host.GraphQLAsync(
            "mutation($r: String!) { resolveGrievance(referenceNumber: $r, actionTakenReport: \"Job card issued by the district\") { status } }",
            new { r = g.Reference }, bearer: DefaultCallers.TokenOf(Role.Supervisor, second));

        Assert.True(resolved.Errors is null, resolved.Errors?.ToString());
        Assert.Equal("RESOLVED", resolved.Get("resolveGrievance.status").GetValue<string>());
        Assert.Equal(g.Officer, (await _w.ReadAsync(g.Reference)).Officer); // acted for the holder; it stays theirs
    }

    // The district's seat above the pool's block made a pool, and a second officer posted to it: the two, lower id first.
    private async Task<(string First, string Second)> DistrictPoolOfTwoAsync(string mobile)
    {
        Assert.Null((await Host.GraphQLAsync($"mutation {{ setPool(positionId: \"{PoolWorld.Supervisor}\", capacity: 20) {{ id }} }}", bearer: PoolWorld.Admin)).Errors);
        var holder = await _w.HolderAsync(PoolWorld.Supervisor);
        var added = (await Host.GraphQLAsync(
            "mutation($i: AddOfficerInput!) { addOfficer(input: $i) { id } }",
            new { i = new { clientRequestId = "pool-district-" + Guid.NewGuid().ToString("N"), name = "Deputy Commissioner (Dev)", mobile } },
            bearer: PoolWorld.Admin)).Get("addOfficer.id").GetValue<string>();
        Assert.Null((await Host.GraphQLAsync("mutation($o: String!, $p: String!) { postOfficer(input: { officerId: $o, positionId: $p }) { id } }", new { o = added, p = PoolWorld.Supervisor }, bearer: PoolWorld.Admin)).Errors);
        return string.CompareOrdinal(holder, added) < 0 ? (holder, added) : (added, holder);
    }
}
