using System.Text.Json.Nodes;
using Helpline.Officers.Roster;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Officers;

/// <summary>
/// One real host over its own database for the routing-map tests (a class fixture), with helpers for the routing
/// fields. Each test uses its own categories and seats, so they do not see each other's rules.
/// </summary>
public sealed class RoutingMapWorld : IAsyncLifetime
{
    /// <summary>What a route outcome is asked for in every preview.</summary>
    public const string OutcomeFields =
        "source position { id title departmentId jurisdictionId } department { id } officer { id position { id } } rule { categoryId jurisdictionId positionId setBy lapsed } refusalCode refusalMessage";

    public const string RuleFields = "categoryId jurisdictionId positionId setBy setAt lapsed lapsedReason position { id }";

    private TestDatabase? _database;

    public HelplineTestHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Host = await HelplineTestHost.StartAsync(_database.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    public Task<GraphQLResponse> SetRoute(string categoryId, string jurisdictionId, string positionId, string? reason = null, string? bearer = null) =>
        Host.GraphQLAsync(
            $"mutation($i: SetRouteInput!) {{ setRoute(input: $i) {{ {RuleFields} }} }}",
            new { i = new { categoryId, jurisdictionId, positionId, reason } },
            bearer);

    public Task<GraphQLResponse> ClearRoute(string categoryId, string jurisdictionId, string? reason = null) =>
        Host.GraphQLAsync(
            $"mutation($i: ClearRouteInput!) {{ clearRoute(input: $i) {{ {RuleFields} }} }}",
            new { i = new { categoryId, jurisdictionId, reason } });

    public Task<GraphQLResponse> TryPreview(string categoryId, string jurisdictionId, (string JurisdictionId, string PositionId)? proposal = null) =>
        Host.GraphQLAsync(
            $"query($c: String!, $j: String!, $p: RouteProposalInput) {{ routePreview(categoryId: $c, jurisdictionId: $j, proposal: $p) {{ categoryId jurisdictionId now {{ {OutcomeFields} }} proposed {{ {OutcomeFields} }} }} }}",
            new { c = categoryId, j = jurisdictionId, p = proposal is { } x ? new { jurisdictionId = x.JurisdictionId, positionId = x.PositionId } : null });

    public async Task<JsonNode> Preview(string categoryId, string jurisdictionId, (string JurisdictionId, string PositionId)? proposal = null) =>
        (await TryPreview(categoryId, jurisdictionId, proposal)).Get("routePreview");

    public async Task<JsonArray> Map(string? categoryId, string? jurisdictionId = null) =>
        (await Host.GraphQLAsync(
            $"query($c: String, $j: String) {{ routingMap(categoryId: $c, jurisdictionId: $j) {{ {RuleFields} }} }}",
            new { c = categoryId, j = jurisdictionId })).Get("routingMap").AsArray();

    public Task<GraphQLResponse> Changes(string? categoryId, int? first = null) =>
        Host.GraphQLAsync(
            "query($c: String, $f: Int) { routeChanges(categoryId: $c, first: $f) { id at actor categoryId jurisdictionId positionBefore positionAfter reason } }",
            new { c = categoryId, f = first ?? 50 });

    public Task<GraphQLResponse> Register(string categoryId, string jurisdictionId, string clientRequestId) =>
        Host.GraphQLAsync(
            "mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber position { id } officer { id } } }",
            new
            {
                i = new
                {
                    clientRequestId,
                    kind = "COMPLAINT",
                    channel = "PHONE",
                    complainant = new { name = "Sita Devi", mobile = "9415012345" },
                    jurisdictionId,
                    categoryId,
                    description = "Routing map test",
                },
            });

    /// <summary>Takes the officer off a seat, so that nobody acts for it, and reloads this silo's directory.</summary>
    public async Task Vacate(string positionId)
    {
        await using (var dataSource = NpgsqlDataSource.Create(Host.ConnectionString))
        await using (var command = dataSource.CreateCommand("delete from officers.officer where position_id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = positionId });
            Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        await Host.Services.GetRequiredService<OfficerDirectory>().RefreshAsync(Host.Services.GetRequiredService<RosterStore>(), TestContext.Current.CancellationToken);
    }
}
