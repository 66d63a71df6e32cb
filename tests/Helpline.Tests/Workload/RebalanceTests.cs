using System.Text.Json.Nodes;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.Workload;

/// <summary>
/// A supervisor's rebalancing through GraphQL on the real host: a proposal that evens out a pool, applied move by move
/// with REASSIGNED on each timeline and the due date kept; a proposal applied after the team changed refused move by
/// move with reasons; a retry applying nothing twice; and moves that would break a rule refused.
/// </summary>
public sealed class RebalanceTests : HostedTest
{
    private const string Proposal = "query($p: String!) { rebalanceProposal(positionId: $p, depth: 1) { officers openGrievances before { max min standardDeviation } after { max min standardDeviation } moves { referenceNumber fromOfficerId toOfficerId fromPositionId toPositionId urgency weight fromLoadBefore fromLoadAfter toLoadBefore toLoadAfter reason } } }";
    private const string Apply = "mutation($p: String!, $m: [MoveInput!]!) { applyRebalance(positionId: $p, depth: 1, moves: $m, note: \"Monday review\") { applied refused outcomes { referenceNumber outcome message } } }";

    private PoolWorld _w = null!;
    private string _supervisor = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _w = new PoolWorld(Host);
        await _w.InitializeAsync();
        _supervisor = DefaultCallers.TokenOf(Role.Supervisor, await _w.HolderAsync(PoolWorld.Supervisor));
    }

    [Fact]
    public async Task A_proposal_evens_out_the_pool_and_applying_it_moves_each_grievance_with_its_due_date()
    {
        // Six registered while the seat had one holder; then two more officers join it as a pool.
        var first = await _w.HolderAsync(_w.Seat);
        var registered = new List<(string Reference, string Officer)>();
        for (var i = 0; i < 6; i++)
        {
            registered.Add(await _w.RegisterAsync());
        }

        var members = await _w.MakePoolAsync(more: 2);
        var plan = (await Host.GraphQLAsync(Proposal, new { p = PoolWorld.Supervisor }, bearer: _supervisor)).Get("rebalanceProposal");
        var moves = plan["moves"]!.AsArray();
        Assert.Equal(4, moves.Count); // 6/0/0 becomes 2/2/2
        Assert.All(moves, m => Assert.Equal((first, _w.Seat, _w.Seat), (m!["fromOfficerId"]!.GetValue<string>(), m["fromPositionId"]!.GetValue<string>(), m["toPositionId"]!.GetValue<string>())));
        // The team is every block seat's officers below the district's: the others hold nothing here.
        Assert.Equal((6.0, 0.0, 2.0), (plan["before"]!["max"]!.GetValue<double>(), plan["before"]!["min"]!.GetValue<double>(), plan["after"]!["max"]!.GetValue<double>()));
        Assert.True(plan["after"]!["standardDeviation"]!.GetValue<double>() < plan["before"]!["standardDeviation"]!.GetValue<double>());
        Assert.Equal((6.0, 5.0, 0.0, 1.0), (moves[0]!["fromLoadBefore"]!.GetValue<double>(), moves[0]!["fromLoadAfter"]!.GetValue<double>(), moves[0]!["toLoadBefore"]!.GetValue<double>(), moves[0]!["toLoadAfter"]!.GetValue<double>()));
        Assert.Equal("OPEN", moves[0]!["urgency"]!.GetValue<string>());

        var before = await _w.ReadAsync(moves[0]!["referenceNumber"]!.GetValue<string>());

        // The same moves sent twice at once: each is applied by one request and reported ALREADY_APPLIED by the other.
        var twice = await Task.WhenAll(
            Host.GraphQLAsync(Apply, new { p = PoolWorld.Supervisor, m = AsInput(moves) }, bearer: _supervisor),
            Host.GraphQLAsync(Apply, new { p = PoolWorld.Supervisor, m = AsInput(moves) }, bearer: _supervisor));
        var results = twice.Select(r => r.Get("applyRebalance")).ToList();
        Assert.Equal(4, results.Sum(r => r["applied"]!.GetValue<int>()));
        Assert.All(results, r => Assert.Equal(0, r["refused"]!.GetValue<int>()));

        Assert.All(members, m => Assert.Equal(2, _w.OpenAsync(m).GetAwaiter().GetResult()));
        var after = await _w.ReadAsync(moves[0]!["referenceNumber"]!.GetValue<string>());
        Assert.Equal(before.DueAt, after.DueAt);
        Assert.Equal(moves[0]!["toOfficerId"]!.GetValue<string>(), after.Officer);
        var reassigned = after.Timeline[^1];
        Assert.Equal("REASSIGNED", reassigned.Type);
        Assert.Contains($"Moved from officer {first} to officer {after.Officer} at", reassigned.Note, StringComparison.Ordinal);
        Assert.Contains("(Monday review)", reassigned.Note, StringComparison.Ordinal);
        Assert.Contains("the due date stays", reassigned.Note, StringComparison.Ordinal);

        // The same moves again: nothing is moved twice.
        var again = (await Host.GraphQLAsync(Apply, new { p = PoolWorld.Supervisor, m = AsInput(moves) }, bearer: _supervisor)).Get("applyRebalance");
        Assert.All(again["outcomes"]!.AsArray(), o => Assert.Equal("ALREADY_APPLIED", o!["outcome"]!.GetValue<string>()));
        Assert.Single((await _w.ReadAsync(moves[0]!["referenceNumber"]!.GetValue<string>())).Timeline, t => t.Type == "REASSIGNED");
    }

    [Fact]
    public async Task A_proposal_applied_after_the_team_changed_is_checked_again_move_by_move()
    {
        var first = await _w.HolderAsync(_w.Seat);
        for (var i = 0; i < 6; i++)
        {
            await _w.RegisterAsync();
        }

        var members = await _w.MakePoolAsync(more: 2);
        var moves = (await Host.GraphQLAsync(Proposal, new { p = PoolWorld.Supervisor }, bearer: _supervisor)).Get("rebalanceProposal.moves").AsArray();
        Assert.Equal(4, moves.Count);

        // Since the proposal: the first grievance was resolved, and the officer meant to take the second went on leave.
        var gone = moves[0]!["referenceNumber"]!.GetValue<string>();
        Assert.Null((await Host.GraphQLAsync("mutation($r: String!) { resolveGrievance(referenceNumber: $r, actionTakenReport: \"Done\") { status } }", new { r = gone }, bearer: DefaultCallers.TokenOf(Role.Officer, first))).Errors);
        var away = moves[1]!["toOfficerId"]!.GetValue<string>();
        var stayer = members.First(m => m != first && m != away);
        var from = Host.Clock.GetUtcNow();
        Assert.Null((await Host.GraphQLAsync(
            "mutation($o: String!, $c: String!, $f: DateTimeOffset!, $t: DateTimeOffset!) { recordLeave(input: { officerId: $o, from: $f, to: $t, chargeOfficerId: $c }) { id } }",
            new { o = away, c = stayer, f = from, t = from.AddDays(2) }, bearer: PoolWorld.Admin)).Errors);

        var outcomes = (await Host.GraphQLAsync(Apply, new { p = PoolWorld.Supervisor, m = AsInput(moves) }, bearer: _supervisor)).Get("applyRebalance.outcomes").AsArray();

        Assert.Equal("GRIEVANCE_NOT_HELD", outcomes[0]!["outcome"]!.GetValue<string>());
        Assert.Equal("TARGET_ON_LEAVE", outcomes[1]!["outcome"]!.GetValue<string>());
        Assert.Contains($"Officer {away} is on leave", outcomes[1]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(first, (await _w.ReadAsync(moves[1]!["referenceNumber"]!.GetValue<string>())).Officer); // refused: not moved
        foreach (var (outcome, move) in outcomes.Zip(moves).Skip(2))
        {
            var code = outcome!["outcome"]!.GetValue<string>();
            var holder = (await _w.ReadAsync(move!["referenceNumber"]!.GetValue<string>())).Officer;
            Assert.True(code is "APPLIED" or "TARGET_ON_LEAVE" or "NO_LONGER_BALANCES", code);
            Assert.Equal(code == "APPLIED" ? move["toOfficerId"]!.GetValue<string>() : first, holder);
        }
    }

    [Fact]
    public async Task Moves_that_would_break_a_rule_are_refused_and_change_nothing()
    {
        var held = await _w.RegisterAsync();
        await _w.RegisterAsync();
        var elsewhere = await _w.HolderAsync($"{PoolWorld.Department}@{_w.OtherBlock}"); // same department and level, another block
        var outcomes = (await Host.GraphQLAsync(
            Apply,
            new
            {
                p = PoolWorld.Supervisor,
                m = new object[]
                {
                    new { referenceNumber = held.Reference, fromOfficerId = held.Officer, toOfficerId = elsewhere },
                    new { referenceNumber = held.Reference, fromOfficerId = held.Officer, toOfficerId = "OFF-999999" },
                    new { referenceNumber = "260000000000", fromOfficerId = held.Officer, toOfficerId = elsewhere },
                    new { referenceNumber = held.Reference, fromOfficerId = held.Officer, toOfficerId = held.Officer },
                },
            },
            bearer: _supervisor)).Get("applyRebalance.outcomes").AsArray();

        Assert.Equal(["OUTSIDE_JURISDICTION", "NOT_IN_TEAM", "GRIEVANCE_NOT_HELD", "SAME_OFFICER"], outcomes.Select(o => o!["outcome"]!.GetValue<string>()));

        // The grievance itself refuses a receiver who does not serve the seat named (a posting ended a moment ago).
        var grain = Host.Services.GetRequiredService<IGrainFactory>().GetGrain<Helpline.Grievances.IGrievanceGrain>(_w.GrainKeys[held.Reference]);
        var notServing = await Assert.ThrowsAsync<Helpline.Platform.Errors.HelplineException>(() => grain.Reassign(held.Officer, _w.Seat, elsewhere, "supervisor", "test"));
        Assert.Equal("TARGET_NOT_SERVING", notServing.Code);

        // A malformed reference number refuses the whole request before anything moves.
        var malformed = await Host.GraphQLAsync(
            Apply,
            new { p = PoolWorld.Supervisor, m = new object[] { new { referenceNumber = "abc'; drop table x;--", fromOfficerId = held.Officer, toOfficerId = elsewhere } } },
            bearer: _supervisor);
        Assert.Equal(("INVALID_REFERENCE_NUMBER", "moves[0].referenceNumber"), (malformed.FirstErrorCode, malformed.FirstErrorField));
        Assert.Equal(held.Officer, (await _w.ReadAsync(held.Reference)).Officer);

        var outside = await Host.GraphQLAsync(Proposal, new { p = PoolWorld.Supervisor }, bearer: DefaultCallers.TokenOf(Role.Supervisor, held.Officer));
        Assert.Equal(("OUT_OF_SCOPE", "positionId"), (outside.FirstErrorCode, outside.FirstErrorField));
    }

    private static object[] AsInput(JsonArray moves) =>
        [.. moves.Select(m => new { referenceNumber = m!["referenceNumber"]!.GetValue<string>(), fromOfficerId = m["fromOfficerId"]!.GetValue<string>(), toOfficerId = m["toOfficerId"]!.GetValue<string>() })];
}
