using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Helpline.Tests.Officers.Postings;
using Npgsql;

namespace Helpline.Tests.Officers.Pools;

/// <summary>Pools set up live through GraphQL: a seat made a pool, several officers posted to it, capacities, refusals, retries and history.</summary>
public sealed class PoolAdministrationTests : PostingTestBase
{
    private const string MembersQuery = "query($id: String!) { position(id: $id) { poolCapacity holder { id } postedHolder { id } members { officer { id capacity } capacity onLeave } } }";

    private Task<GraphQLResponse> SetPoolAsync(string positionId, int? capacity, string? bearer = null) => Host.GraphQLAsync(
        "mutation($p: String!, $c: Int) { setPool(positionId: $p, capacity: $c) { id poolCapacity } }", new { p = positionId, c = capacity }, bearer);

    private Task<GraphQLResponse> SetCapacityAsync(string officerId, int? capacity) => Host.GraphQLAsync(
        "mutation($o: String!, $c: Int) { setOfficerCapacity(officerId: $o, capacity: $c) { id capacity } }", new { o = officerId, c = capacity });

    private async Task<List<(string? Position, string? Officer, int? Before, int? After, string Actor)>> ChangesAsync(string? positionId = null, string? officerId = null) =>
        [.. (await Host.GraphQLAsync(
                "query($p: String, $o: String) { poolChanges(positionId: $p, officerId: $o) { positionId officerId capacityBefore capacityAfter actor at } }",
                new { p = positionId, o = officerId }))
            .Get("poolChanges").AsArray()
            .Select(c => (c!["positionId"]?.GetValue<string>(), c["officerId"]?.GetValue<string>(), c["capacityBefore"]?.GetValue<int>(), c["capacityAfter"]?.GetValue<int>(), c["actor"]!.GetValue<string>()))];

    private async Task<List<(string Officer, int Capacity, bool OnLeave)>> MembersAsync(string seat) =>
        [.. (await Host.GraphQLAsync(MembersQuery, new { id = seat })).Get("position.members").AsArray()
            .Select(m => (m!["officer"]!["id"]!.GetValue<string>(), m["capacity"]!.GetValue<int>(), m["onLeave"]!.GetValue<bool>()))];

    [Fact]
    public async Task A_seat_made_a_pool_takes_several_officers_each_with_a_capacity_and_every_change_is_recorded_once()
    {
        var (seat, holder, _, _) = await SeatsAsync();
        Assert.Equal([(holder, 20, false)], await MembersAsync(seat)); // a single seat: its holder, at the default capacity

        Assert.Equal(5, (await SetPoolAsync(seat, 5)).Get("setPool.poolCapacity").GetValue<int>());
        Assert.Equal(5, (await SetPoolAsync(seat, 5)).Get("setPool.poolCapacity").GetValue<int>()); // a retry records nothing
        Assert.Equal([(seat, null, null, 5, "admin-test")], await ChangesAsync(positionId: seat));

        var x = await AddOfficerAsync("pool-x");
        var y = await AddOfficerAsync("pool-y", "Bharat Singh", "9415012346");
        Assert.Equal(seat, (await PostAsync(y, seat)).Get("postOfficer.positionId").GetValue<string>());
        Assert.Equal(seat, (await PostAsync(x, seat, note: "Order 7/2026")).Get("postOfficer.positionId").GetValue<string>());
        Assert.Equal(seat, (await PostAsync(x, seat)).Get("postOfficer.positionId").GetValue<string>()); // retried: nothing new
        Assert.Equal([(holder, 5, false), (x, 5, false), (y, 5, false)], await MembersAsync(seat));
        Assert.Empty(await EventsOfAsync(seat)); // joining a pool with members moves nobody's grievances: no holder change
        Assert.Equal(3L, await CountAsync($"select count(*) from officers.officer where position_id = '{seat}'"));
        Assert.Equal(2L, await CountAsync($"select count(*) from officers.posting where position_id = '{seat}' and ended_at is null"));

        // The holder stays the first available member; new registrations go there until the Workload module chooses.
        Assert.Equal((holder, holder), await HolderOfAsync(seat));
        Assert.Equal(holder, (await RegisterAsync()).Get("registerGrievance.officer.id").GetValue<string>());

        // An officer's own capacity, then back to the pool's.
        Assert.Equal(8, (await SetCapacityAsync(x, 8)).Get("setOfficerCapacity.capacity").GetValue<int>());
        await SetCapacityAsync(x, 8);
        Assert.Equal([(holder, 5, false), (x, 8, false), (y, 5, false)], await MembersAsync(seat));
        Assert.Null((await SetCapacityAsync(x, null)).Get("setOfficerCapacity")["capacity"]);
        Assert.Equal([(null, x, 8, null, "admin-test"), (null, x, null, 8, "admin-test")], await ChangesAsync(officerId: x));

        await SetPoolAsync(seat, 12);
        Assert.Equal([(holder, 12, false), (x, 12, false), (y, 12, false)], await MembersAsync(seat));
        Assert.Equal([(seat, null, 5, 12, "admin-test"), (seat, null, null, 5, "admin-test")], await ChangesAsync(positionId: seat));
    }

    [Fact]
    public async Task Bad_capacities_unknown_ids_unpooling_with_members_relieving_in_a_pool_and_other_callers_are_refused_changing_nothing()
    {
        var (seat, holder, _, _) = await SeatsAsync();
        foreach (var bad in new[] { 0, -3, 10_001 })
        {
            var r = await SetPoolAsync(seat, bad);
            Assert.Equal(("INVALID_VALUE", "capacity"), (r.FirstErrorCode, r.FirstErrorField));
            var o = await SetCapacityAsync(holder, bad);
            Assert.Equal(("INVALID_VALUE", "capacity"), (o.FirstErrorCode, o.FirstErrorField));
        }

        var unknownSeat = await SetPoolAsync("revenue@nowhere:0", 3);
        Assert.Equal(("UNKNOWN_POSITION", "positionId"), (unknownSeat.FirstErrorCode, unknownSeat.FirstErrorField));
        var unknownOfficer = await SetCapacityAsync("OFF-999999", 3);
        Assert.Equal(("UNKNOWN_OFFICER", "officerId"), (unknownOfficer.FirstErrorCode, unknownOfficer.FirstErrorField));
        Assert.Equal(10_000, (await SetPoolAsync(seat, 10_000)).Get("setPool.poolCapacity").GetValue<int>()); // the bound itself is allowed

        // Only an administrator without scope limits.
        var auditor = await SetPoolAsync(seat, 3, TestTokens.Mint(Role.Auditor, "auditor-1"));
        Assert.Equal("FORBIDDEN", auditor.FirstErrorCode);
        var scoped = await SetPoolAsync(seat, 3, TestTokens.Mint(Role.Administrator, "admin-scoped", jurisdictions: [BlockId]));
        Assert.Equal("OUT_OF_SCOPE", scoped.FirstErrorCode);

        var x = await AddOfficerAsync("pool-x");
        var relieve = await PostAsync(x, seat, relieve: true);
        Assert.Equal(("INVALID_VALUE", "input.relieveHolder"), (relieve.FirstErrorCode, relieve.FirstErrorField));
        Assert.Equal((holder, holder), await HolderOfAsync(seat));
        await PostAsync(x, seat);

        var unpool = await SetPoolAsync(seat, null);
        Assert.Equal(("POOL_HAS_MEMBERS", "positionId"), (unpool.FirstErrorCode, unpool.FirstErrorField));
        Assert.Equal(10_000, (await Host.GraphQLAsync(MembersQuery, new { id = seat })).Get("position.poolCapacity").GetValue<int>());
        Assert.Equal([(seat, null, null, 10_000, "admin-test")], await ChangesAsync(positionId: seat));
        Assert.Empty(await ChangesAsync(officerId: holder));

        // With one member left it becomes a single seat again, and a second officer is refused as before.
        await EndPostingAsync(x);
        Assert.Null((await SetPoolAsync(seat, null)).Get("setPool")["poolCapacity"]);
        var held = await PostAsync(x, seat);
        Assert.Equal(("POSITION_HELD", "input.positionId"), (held.FirstErrorCode, held.FirstErrorField));

        // The database itself refuses a second holder on a single seat.
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand($"update officers.officer set position_id = '{seat}' where id = '{x}'", conn);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync(Ct));
        Assert.Equal((PostgresErrorCodes.UniqueViolation, "single_seat_one_holder"), (refused.SqlState, refused.ConstraintName));
    }

    [Fact]
    public async Task Concurrent_postings_to_one_vacant_single_seat_take_turns_so_exactly_one_wins()
    {
        var (seat, holder, _, _) = await SeatsAsync();
        await EndPostingAsync(holder);
        var officers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            officers.Add(await AddOfficerAsync($"race-{i}", "Asha Verma", $"941501234{i}"));
        }

        var results = await Task.WhenAll(officers.Select(o => PostAsync(o, seat)));
        Assert.Single(results, r => r.Errors is null);
        Assert.Equal(3, results.Count(r => r.FirstErrorCode == "POSITION_HELD"));
        Assert.Equal(1L, await CountAsync($"select count(*) from officers.officer where position_id = '{seat}'"));
    }
}
