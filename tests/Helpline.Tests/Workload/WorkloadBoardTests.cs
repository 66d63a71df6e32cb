using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.Workload;

/// <summary>
/// Workload boards through GraphQL on the real host: a district's officers of one department and a supervisor's team,
/// heaviest first, with every figure of the live workload, the grievances needing attention, and the scope a
/// supervisor's token gives.
/// </summary>
public sealed class WorkloadBoardTests : HostedTest
{
    private const string District = PoolWorld.District;
    private const string Department = PoolWorld.Department;
    private const string Supervisor = PoolWorld.Supervisor;
    private const string Board = "officers { officer { id } position { id } capacity onLeave workload { open overdue atRisk onHold dueToday dueWithin24Hours disposedLast7Days oldestOpenAt loadScore attention { referenceNumber overdue level } } } open atRisk overdue spread { max min }";

    private PoolWorld _w = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _w = new PoolWorld(Host);
        await _w.InitializeAsync();
    }

    [Fact]
    public async Task A_team_board_lists_the_officers_below_a_supervisor_heaviest_first_with_every_figure()
    {
        var a = await Register(_w.Block);
        await Register(_w.Block);
        var held = await Register(_w.Block);
        var b = await Register(_w.OtherBlock);
        var officerA = a.Officer;
        await Act("mutation($r: String!) { pauseGrievance(referenceNumber: $r, reason: \"Waiting for the khatauni copy\") { status } }", held.Reference, officerA);
        await Act("mutation($r: String!) { resolveGrievance(referenceNumber: $r, actionTakenReport: \"Job card issued\") { status } }", b.Reference, b.Officer);

        var team = (await Host.GraphQLAsync($"{{ teamWorkload(positionId: \"{Supervisor}\", depth: 1) {{ {Board} }} }}")).Get("teamWorkload");
        var officers = team["officers"]!.AsArray();
        Assert.True(officers.Count > 2, "every block seat of the department below the district's is on the board");
        var first = officers[0]!;
        Assert.Equal((officerA, _w.Seat), (first["officer"]!["id"]!.GetValue<string>(), first["position"]!["id"]!.GetValue<string>()));
        var w = first["workload"]!;
        Assert.Equal((3, 0, 0, 1, 0), (w["open"]!.GetValue<int>(), w["overdue"]!.GetValue<int>(), w["atRisk"]!.GetValue<int>(), w["onHold"]!.GetValue<int>(), w["dueToday"]!.GetValue<int>()));
        Assert.Equal(2.5, w["loadScore"]!.GetValue<double>()); // two open (1 each) and one on hold (0.5)
        Assert.Equal(Host.Clock.GetUtcNow(), w["oldestOpenAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(20, first["capacity"]!.GetValue<int>());
        var bRow = officers.Single(o => o!["officer"]!["id"]!.GetValue<string>() == b.Officer)!;
        Assert.Equal((0, 1), (bRow["workload"]!["open"]!.GetValue<int>(), bRow["workload"]!["disposedLast7Days"]!.GetValue<int>()));
        Assert.Equal((3, 2.5, 0.0), (team["open"]!.GetValue<int>(), team["spread"]!["max"]!.GetValue<double>(), team["spread"]!["min"]!.GetValue<double>()));

        // Scores, then open counts, never rise down the list.
        var scores = officers.Select(o => o!["workload"]!["loadScore"]!.GetValue<double>()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.DoesNotContain(officers, o => o!["officer"]!["id"]!.GetValue<string>() == OfficerOf(Supervisor));
    }

    [Fact]
    public async Task The_district_board_shows_the_grievances_at_risk_or_overdue_as_time_passes()
    {
        var g = await Register(_w.Block);
        var atRiskAt = (await Host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { atRiskAt dueAt } }", new { r = g.Reference })).Get("grievance");
        Host.Clock.SetUtcNow(atRiskAt["atRiskAt"]!.GetValue<DateTimeOffset>().AddMinutes(1));

        var board = (await Host.GraphQLAsync($"{{ workloadBoard(jurisdictionId: \"{District}\", departmentId: \"{Department}\") {{ {Board} }} }}")).Get("workloadBoard");
        var officers = board["officers"]!.AsArray();
        Assert.Contains(officers, o => o!["officer"]!["id"]!.GetValue<string>() == OfficerOf(Supervisor)); // the district's own seat is on a district board
        var top = officers[0]!;
        Assert.Equal(g.Officer, top["officer"]!["id"]!.GetValue<string>());
        Assert.Equal((1, 3.0), (top["workload"]!["atRisk"]!.GetValue<int>(), top["workload"]!["loadScore"]!.GetValue<double>()));
        var item = Assert.Single(top["workload"]!["attention"]!.AsArray())!;
        Assert.Equal((g.Reference, false, 1), (item["referenceNumber"]!.GetValue<string>(), item["overdue"]!.GetValue<bool>(), item["level"]!.GetValue<int>()));
        Assert.Equal(1, board["atRisk"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_supervisor_sees_their_own_team_only()
    {
        var blockOfficer = OfficerOf(_w.Seat);
        var supervisor = DefaultCallers.TokenOf(Role.Supervisor, blockOfficer);
        var outside = await Host.GraphQLAsync($"{{ teamWorkload(positionId: \"{Supervisor}\") {{ open }} }}", bearer: supervisor);
        Assert.Equal(("OUT_OF_SCOPE", "positionId"), (outside.FirstErrorCode, outside.FirstErrorField));

        var districtSupervisor = DefaultCallers.TokenOf(Role.Supervisor, OfficerOf(Supervisor));
        var own = await Host.GraphQLAsync($"{{ teamWorkload(positionId: \"{Supervisor}\", depth: 1) {{ officers {{ officer {{ id }} }} }} }}", bearer: districtSupervisor);
        Assert.Contains(own.Get("teamWorkload.officers").AsArray(), o => o!["officer"]!["id"]!.GetValue<string>() == blockOfficer);

        var bad = await Host.GraphQLAsync($"{{ teamWorkload(positionId: \"{Supervisor}\", depth: 4) {{ open }} }}");
        Assert.Equal(("INVALID_VALUE", "depth"), (bad.FirstErrorCode, bad.FirstErrorField));
        var unknown = await Host.GraphQLAsync("{ workloadBoard(jurisdictionId: \"district:0\") { open } }");
        Assert.Equal(("UNKNOWN_JURISDICTION", "jurisdictionId"), (unknown.FirstErrorCode, unknown.FirstErrorField));
    }

    [Fact]
    public async Task Boards_count_at_their_size_toward_the_complexity_limit_and_an_overlong_id_is_refused_without_being_echoed()
    {
        const string board = "workloadBoard(jurisdictionId: \"district:162\") { officers { officer { id name } position { id } capacity onLeave workload { open overdue atRisk dueToday loadScore } } }";
        var many = await Host.GraphQLAsync("{ " + string.Join(" ", Enumerable.Range(1, 10).Select(i => $"b{i}: {board}")) + " }", bearer: PoolWorld.Admin);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", many.FirstErrorCode);
        Assert.Contains("complexity", many.Errors!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Null((await Host.GraphQLAsync("{ " + string.Join(" ", Enumerable.Range(1, 2).Select(i => $"b{i}: {board}")) + " }", bearer: PoolWorld.Admin)).Errors);

        var huge = new string('x', 129);
        foreach (var (query, field) in new[]
        {
            ($"{{ workloadBoard(jurisdictionId: \"{huge}\") {{ open }} }}", "jurisdictionId"),
            ($"{{ workloadBoard(jurisdictionId: \"district:162\", departmentId: \"{huge}\") {{ open }} }}", "departmentId"),
            ($"{{ teamWorkload(positionId: \"{huge}\") {{ open }} }}", "positionId"),
            ($"{{ rebalanceProposal(positionId: \"{huge}\") {{ officers }} }}", "positionId"),
        })
        {
            var refused = await Host.GraphQLAsync(query, bearer: PoolWorld.Admin);
            Assert.Equal(("TOO_LONG", field), (refused.FirstErrorCode, refused.FirstErrorField));
            Assert.DoesNotContain(huge, refused.Errors!.ToString(), StringComparison.Ordinal);
        }
    }

    private string OfficerOf(string positionId) =>
        Host.Services.GetRequiredService<Helpline.Officers.IOfficerDirectory>().HolderOf(positionId)!.Id;

    private async Task Act(string mutation, string reference, string officerId) =>
        Assert.Null((await Host.GraphQLAsync(mutation, new { r = reference }, bearer: DefaultCallers.TokenOf(Role.Officer, officerId))).Errors);

    private Task<(string Reference, string Officer)> Register(string block) => _w.RegisterAsync(block);
}
