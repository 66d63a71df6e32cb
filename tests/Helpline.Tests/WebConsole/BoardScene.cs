using System.Text.Json.Nodes;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.WebConsole;

/// <summary>
/// Scenes for the supervisor board and public page tests, set through the API: complaints registered at a block of a
/// district the other console tests leave alone (they use Lucknow's block:1330), each from its own mobile.
/// </summary>
internal sealed class BoardScene(ConsoleService console)
{
    public const string Category = "rd-pmayg-not-sanctioned";

    private const string Register = """
        mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber
          officer { id name } position { id supervisor { id holder { id } } } } }
        """;

    public static string Agent { get; } = TestTokens.Mint(Role.Agent, "agent-board");

    public static string Admin { get; } = TestTokens.Mint(Role.Administrator, "admin-board");

    /// <summary>The blocks of the <paramref name="index"/>th district by id (Lucknow and Agra left out), with the district.</summary>
    public async Task<(string District, IReadOnlyList<string> Blocks)> DistrictAsync(int index)
    {
        var divisions = Data(await console.GraphQLAsync("{ jurisdictions { children { children { id kind children { id kind } } } } }", bearer: Admin))["jurisdictions"]!.AsArray();
        var districts = divisions.SelectMany(s => s!["children"]!.AsArray()).SelectMany(d => d!["children"]!.AsArray())
            .Where(d => d!["kind"]!.GetValue<string>() == "DISTRICT" && d["id"]!.GetValue<string>() is not ("district:162" or "district:118"))
            .OrderBy(d => d!["id"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
        var district = districts[index]!;
        var blocks = district["children"]!.AsArray().Where(c => c!["kind"]!.GetValue<string>() == "BLOCK").Select(c => c!["id"]!.GetValue<string>()).ToList();
        return (district["id"]!.GetValue<string>(), blocks);
    }

    /// <summary>Registers a complaint at <paramref name="block"/> from a mobile of its own: (reference, officer, officer's name, seat, supervisor's seat, supervisor).</summary>
    public async Task<Registered> RegisterAsync(string block, string? mobile = null)
    {
        var r = Data(await console.GraphQLAsync(Register, new
        {
            i = new
            {
                clientRequestId = "board-" + Guid.NewGuid().ToString("N"),
                kind = "COMPLAINT",
                channel = "PHONE",
                complainant = new { name = "Kamla Devi", mobile = mobile ?? "94" + Random.Shared.Next(10_000_000, 99_999_999) },
                jurisdictionId = block,
                categoryId = Category,
                description = "First instalment of the house not received",
            },
        }, bearer: Agent))["registerGrievance"]!;
        return new Registered(
            r["referenceNumber"]!.GetValue<string>(),
            r["officer"]!["id"]!.GetValue<string>(),
            r["officer"]!["name"]!.GetValue<string>(),
            r["position"]!["id"]!.GetValue<string>(),
            r["position"]!["supervisor"]!["id"]!.GetValue<string>(),
            r["position"]!["supervisor"]!["holder"]!["id"]!.GetValue<string>());
    }

    /// <summary>Makes <paramref name="seat"/> a pool and posts a new officer to it; the new officer's id.</summary>
    public async Task<string> AddPoolMemberAsync(string seat, string name)
    {
        Data(await console.GraphQLAsync($"mutation {{ setPool(positionId: \"{seat}\", capacity: 20) {{ id }} }}", bearer: Admin));
        var id = Data(await console.GraphQLAsync(
            "mutation($i: AddOfficerInput!) { addOfficer(input: $i) { id } }",
            new { i = new { clientRequestId = "board-officer-" + Guid.NewGuid().ToString("N"), name, mobile = "94500" + Random.Shared.Next(10_000, 99_999) } },
            bearer: Admin))["addOfficer"]!["id"]!.GetValue<string>();
        Data(await console.GraphQLAsync("mutation($o: String!, $p: String!) { postOfficer(input: { officerId: $o, positionId: $p }) { id } }", new { o = id, p = seat }, bearer: Admin));
        return id;
    }

    /// <summary>The officer holding a grievance now, as the administrator reads it.</summary>
    public async Task<string> HolderOfAsync(string reference) =>
        Data(await console.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { officer { id } } }", new { r = reference }, bearer: Admin))["grievance"]!["officer"]!["id"]!.GetValue<string>();

    /// <summary>An officer's open grievances, as the administrator reads them.</summary>
    public async Task<int> OpenAsync(string officer) =>
        Data(await console.GraphQLAsync("query($o: String!) { officer(id: $o) { workload { open } } }", new { o = officer }, bearer: Admin))["officer"]!["workload"]!["open"]!.GetValue<int>();

    /// <summary>The holder of a seat now.</summary>
    public async Task<string> HolderOfSeatAsync(string seat) =>
        Data(await console.GraphQLAsync("query($p: String!) { position(id: $p) { holder { id } } }", new { p = seat }, bearer: Admin))["position"]!["holder"]!["id"]!.GetValue<string>();

    /// <summary>The data of a response that must have no errors.</summary>
    public static JsonNode Data(JsonObject body) =>
        body["errors"] is { } errors ? throw new InvalidOperationException("GraphQL errors: " + errors.ToJsonString()) : body["data"]!;
}

/// <summary>A complaint registered for a scene, with who holds it and who supervises that seat.</summary>
internal sealed record Registered(string Reference, string Officer, string OfficerName, string Seat, string SupervisorSeat, string Supervisor);
