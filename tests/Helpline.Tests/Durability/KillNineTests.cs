using System.Text.Json.Nodes;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Durability;

/// <summary>
/// The real service process (dotnet Helpline.Host.dll) killed with SIGKILL right after a registration was answered,
/// then started again on the same database and the same ports: what was answered must still be there, exactly once.
/// </summary>
public sealed class KillNineTests : IAsyncLifetime
{
    private const string Fields = """
        referenceNumber status level dueAt registeredAt breached
        officer { id } position { id } complainant { name mobile }
        timeline { sequence type at actor note officerId level dueAt }
        """;

    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_registered_grievance_survives_kill_9_and_a_retried_registration_returns_it_without_a_second_row()
    {
        var ct = TestContext.Current.CancellationToken;
        var dll = ServiceProcess.LocateHostDll();
        var (http, silo, gateway) = (ServiceProcess.FreePort(), ServiceProcess.FreePort(), ServiceProcess.FreePort());

        JsonObject input;
        JsonNode registered;
        await using (var first = await ServiceProcess.StartAsync(dll, _db.ConnectionString, http, silo, gateway, ct))
        {
            input = await InputAsync(first);
            registered = Data(await RegisterAsync(first, input), "registerGrievance", first);
            Assert.Equal(1, await CountRowsAsync());

            await first.KillNineAsync();
            Assert.True(first.HasExited);
            Assert.Equal(128 + 9, first.ExitCode); // terminated by SIGKILL, not a graceful stop
        }

        var reference = registered["referenceNumber"]!.GetValue<string>();
        var officerId = registered["officer"]!["id"]!.GetValue<string>();
        var dueAt = registered["dueAt"]!.GetValue<DateTimeOffset>();

        await using var second = await ServiceProcess.StartAsync(dll, _db.ConnectionString, http, silo, gateway, ct);

        var fetched = Data(await second.GraphQLAsync($"query($r: String!) {{ grievance(referenceNumber: $r) {{ {Fields} }} }}", new { r = reference }), "grievance", second);
        Assert.True(JsonNode.DeepEquals(registered, fetched), $"before the kill:\n{registered}\nafter the restart:\n{fetched}");
        Assert.Equal(["REGISTERED", "ROUTED"], fetched["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));

        // The officer's in-memory deadline list was rebuilt from the database by the restarted service.
        var workload = await Wait.UntilAsync(
            async () => Data(await second.GraphQLAsync("query($id: String!) { officer(id: $id) { workload { open nextDueAt } } }", new { id = officerId }), "officer", second)["workload"]!,
            w => w["open"]!.GetValue<int>() == 1,
            "the officer's workload after the restart");
        Assert.Equal(dueAt, workload["nextDueAt"]!.GetValue<DateTimeOffset>());

        var retried = Data(await RegisterAsync(second, input), "registerGrievance", second);
        Assert.Equal(reference, retried["referenceNumber"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(registered, retried), $"first answer:\n{registered}\nretry after the restart:\n{retried}");
        Assert.Equal(1, await CountRowsAsync());
    }

    private static async Task<JsonObject> InputAsync(ServiceProcess service)
    {
        var categories = Data(await service.GraphQLAsync("{ categories { id resolutionLevel } }"), "categories", service).AsArray();
        var category = categories.First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        var tree = Data(await service.GraphQLAsync("{ jurisdictions { children { children { id children { id kind } } } } }"), "jurisdictions", service);
        var block = tree[0]!["children"]![0]!["children"]![0]!["children"]!.AsArray().First(j => j!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        return new JsonObject
        {
            ["clientRequestId"] = "kill9-" + Guid.NewGuid().ToString("N"),
            ["kind"] = "COMPLAINT",
            ["channel"] = "PHONE",
            ["agentId"] = "agent-007",
            ["complainant"] = new JsonObject { ["name"] = "Sita Devi", ["mobile"] = "+91 94150 12345" },
            ["jurisdictionId"] = block,
            ["categoryId"] = category,
            ["description"] = "House sanctioned under PMAY-G but first instalment not received for four months",
        };
    }

    private static Task<JsonObject> RegisterAsync(ServiceProcess service, JsonObject input) =>
        service.GraphQLAsync($"mutation($input: RegisterGrievanceInput!) {{ registerGrievance(input: $input) {{ {Fields} }} }}", new { input });

    private static JsonNode Data(JsonObject response, string field, ServiceProcess service) =>
        response["errors"] is JsonArray { Count: > 0 } errors
            ? throw new InvalidOperationException($"GraphQL errors: {errors}\nservice output:\n{service.RecentOutput}")
            : response["data"]?[field] ?? throw new InvalidOperationException($"No data.{field} in {response}");

    private async Task<long> CountRowsAsync()
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("select count(*) from grievances.grievance", conn);
        return (long)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
