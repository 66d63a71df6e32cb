using System.Text.Json.Nodes;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Durability;

/// <summary>
/// The Feed module (a subscriber of grievance events in its own folder and schema) across a SIGKILL of the real
/// service process in the middle of traffic: afterwards every grievance's events are in the feed exactly once, in
/// timeline order, matching the timeline event for event.
/// </summary>
public sealed class GrievanceEventsKillNineTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_event_of_every_grievance_reaches_the_feed_once_in_order_across_a_kill_9()
    {
        var ct = TestContext.Current.CancellationToken;
        var dll = ServiceProcess.LocateHostDll();
        var (http, silo, gateway) = (ServiceProcess.FreePort(), ServiceProcess.FreePort(), ServiceProcess.FreePort());
        var held = new List<(string Reference, string Officer)>();
        string block, category;

        await using (var first = await ServiceProcess.StartAsync(dll, _db.ConnectionString, http, silo, gateway, ct))
        {
            (block, category) = await PlaceAsync(first);
            for (var i = 0; i < 6; i++)
            {
                var g = Data(await RegisterAsync(first, block, category, $"before-{i}"), "registerGrievance");
                var (reference, officer) = (g["referenceNumber"]!.GetValue<string>(), g["officer"]!["id"]!.GetValue<string>());
                Data(await first.GraphQLAsync("mutation($r: String!, $o: String!) { recordInterimReply(referenceNumber: $r, officerId: $o, reply: \"Visit on Monday\") { status } }", new { r = reference, o = officer }), "recordInterimReply");
                Data(await first.GraphQLAsync("mutation($r: String!, $o: String!) { pauseGrievance(referenceNumber: $r, officerId: $o, reason: \"Awaiting papers\") { status } }", new { r = reference, o = officer }), "pauseGrievance");
                Data(await first.GraphQLAsync("mutation($r: String!, $o: String!) { resumeGrievance(referenceNumber: $r, officerId: $o) { status } }", new { r = reference, o = officer }), "resumeGrievance");
                held.Add((reference, officer));
            }

            // Killed while registrations are in flight and the feed is still catching up.
            var inFlight = Enumerable.Range(0, 24).Select(i => RegisterAsync(first, block, category, $"during-{i}")).ToList();
            await Task.WhenAny(inFlight);
            await first.KillNineAsync();
            await Task.WhenAll(inFlight.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        await using var second = await ServiceProcess.StartAsync(dll, _db.ConnectionString, http, silo, gateway, ct);
        foreach (var (reference, officer) in held)
        {
            Data(await second.GraphQLAsync("mutation($r: String!, $o: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: \"Done\") { status } }", new { r = reference, o = officer }), "resolveGrievance");
            Data(await second.GraphQLAsync("mutation($r: String!) { reopenGrievance(referenceNumber: $r, actorId: \"callback-1\", reason: \"Not done\") { status } }", new { r = reference }), "reopenGrievance");
        }

        // The feed must end up equal to the read model's timelines (written in the same transaction as the events).
        var (timelines, feed) = await Wait.UntilAsync(
            async () => (await ReadAsync("select reference_number, seq, type from grievances.timeline_event order by reference_number, seq"),
                         await ReadAsync("select reference_number, sequence, type from feed.grievance_event order by reference_number, arrival")),
            x => x.Item1.Count > 0 && x.Item1.SequenceEqual(x.Item2),
            "the feed to match every timeline");

        Assert.True(timelines.Select(t => t.Reference).Distinct().Count() >= 7, "the grievances registered before the kill and at least one during it");
        Assert.Equal(0L, await ScalarAsync("select count(*) from feed.grievance_event where deliveries <> 1"));
        foreach (var (reference, _) in held)
        {
            var expected = Data(await second.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { timeline { type } } }", new { r = reference }), "grievance")["timeline"]!.AsArray()
                .Select(e => e!["type"]!.GetValue<string>().Replace("_", "", StringComparison.Ordinal)).ToList();
            Assert.Equal(expected, feed.Where(f => f.Reference == reference).Select(f => f.Type.ToUpperInvariant()));
            Assert.Equal(8, expected.Count); // registered, routed, interim reply, paused, resumed, resolved, reopened, routed
        }
    }

    private static async Task<(string Block, string Category)> PlaceAsync(ServiceProcess service)
    {
        var category = Data(await service.GraphQLAsync("{ categories { id resolutionLevel } }"), "categories").AsArray()
            .First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        var block = Data(await service.GraphQLAsync("{ jurisdictions { children { children { children { id kind } } } } }"), "jurisdictions")[0]!["children"]![0]!["children"]![0]!["children"]!.AsArray()
            .First(j => j!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        return (block, category);
    }

    private static Task<JsonObject> RegisterAsync(ServiceProcess service, string block, string category, string id) =>
        service.GraphQLAsync(
            "mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber officer { id } } }",
            new { i = new { clientRequestId = "feed-kill9-" + id, kind = "COMPLAINT", channel = "PHONE", agentId = "agent-5", complainant = new { name = "Ram Lal", mobile = "9415012345" }, jurisdictionId = block, categoryId = category, description = "Street light out for a month" } });

    private static JsonNode Data(JsonObject response, string field) =>
        response["errors"] is JsonArray { Count: > 0 } errors
            ? throw new InvalidOperationException($"GraphQL errors: {errors}")
            : response["data"]?[field] ?? throw new InvalidOperationException($"No data.{field} in {response}");

    private async Task<List<(string Reference, int Sequence, string Type)>> ReadAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, int, string)>();
        while (await r.ReadAsync())
        {
            rows.Add((r.GetString(0), r.GetInt32(1), r.GetString(2)));
        }

        return rows;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
