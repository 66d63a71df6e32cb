using Helpline.Officers.Workload;
using Helpline.Workload.Boards;
using Helpline.Workload.Rebalancing;

namespace Helpline.Tests.Workload;

public sealed class RebalancePlannerTests
{
    private const string Pool = "revenue@tehsil:T1";
    private static readonly string[] PoolMates = ["OFF-A", "OFF-B", "OFF-C"];
    private static readonly string[] Receivers = ["OFF-B", "OFF-C"];
    private readonly PlannerWorld _w = new();

    private RebalancePlan Plan(IReadOnlyList<TeamMember> team, int maxMoves = 100) => new RebalancePlanner(new MoveRules(_w, _w)).Plan(team, PlannerWorld.Now, maxMoves);

    [Fact]
    public void Moves_go_only_where_the_rules_allow_and_narrow_the_spread()
    {
        var team = new[]
        {
            _w.Member("OFF-A", Pool, open: _w.Open(Pool, 12)),
            _w.Member("OFF-B", Pool, open: _w.Open(Pool, 2)),
            _w.Member("OFF-C", Pool),
            _w.Member("OFF-T2", "revenue@tehsil:T2"), // same department and level, another tehsil: the grievances' places are not in it
            _w.Member("OFF-H", "health@tehsil:T1"), // same tehsil, another department
            _w.Member("OFF-ADM", "revenue@district:D"), // same department, covers the place, but one level up
        };

        var plan = Plan(team);

        Assert.NotEmpty(plan.Moves);
        Assert.All(plan.Moves, m => Assert.Contains(m.To.Officer.Id, Receivers));
        Assert.All(plan.Moves, m => Assert.True(m.FromLoadBefore - m.ToLoadBefore > m.Weight, "each move must narrow the gap between the two officers"));
        Assert.True(plan.After.StandardDeviation < plan.Before.StandardDeviation);
        var finalLoads = PoolMates.Select(id =>
            team.Single(t => t.Officer.Id == id).Open.Count
            - plan.Moves.Count(m => m.From.Officer.Id == id) + plan.Moves.Count(m => m.To.Officer.Id == id)).ToArray();
        Assert.Equal([5, 5, 4], finalLoads); // 14 open among three: as even as whole grievances allow
        Assert.Equal(12, plan.Before.Max);
        Assert.Equal(0, plan.Before.Min);
    }

    [Fact]
    public void An_officer_with_no_move_gets_one_once_another_move_lightens_a_colleague()
    {
        // D's grievances (village V1) may go only to A, its pool mate, one lighter: no move. A also holds two grievances
        // raised in tehsil T2, which Y's seat serves; once A gives one to Y, D may give to A.
        var team = new[]
        {
            _w.Member("OFF-D", Pool, open: _w.Open(Pool, 6)),
            _w.Member("OFF-A", Pool, open: [.. _w.Open(Pool, 3), .. _w.Open(Pool, 2, place: "tehsil:T2")]),
            _w.Member("OFF-Y", "revenue@tehsil:T2"),
        };

        var plan = Plan(team);

        Assert.Equal(["OFF-A>OFF-Y", "OFF-D>OFF-A", "OFF-A>OFF-Y"], plan.Moves.Select(m => $"{m.From.Officer.Id}>{m.To.Officer.Id}"));
        Assert.Equal((5, 2), (plan.After.Max, plan.After.Min)); // D 5, A 4, Y 2; stopping after the first move left D at 6
    }

    [Fact]
    public void Grievances_not_yet_at_risk_are_moved_before_those_at_risk_or_overdue()
    {
        var heavy = _w.Open(Pool, 3, urgency: Urgency.AtRisk).Concat(_w.Open(Pool, 2, urgency: Urgency.Overdue)).Concat(_w.Open(Pool, 4)).ToArray();
        var plan = Plan([_w.Member("OFF-A", Pool, open: heavy), _w.Member("OFF-B", Pool)]);

        // A: 3×3 + 2×4 + 4×1 = 21. The four open ones (weight 1) go first; then the gap (17 - 4 = 13) still exceeds an at-risk weight.
        Assert.Equal([Urgency.Open, Urgency.Open, Urgency.Open, Urgency.Open], plan.Moves.Take(4).Select(m => m.Urgency));
        Assert.DoesNotContain(plan.Moves.Take(4), m => m.Urgency is Urgency.AtRisk or Urgency.Overdue);
    }

    [Fact]
    public void An_officer_on_leave_hands_on_what_others_may_take_and_receives_nothing()
    {
        var plan = Plan([
            _w.Member("OFF-A", Pool, onLeave: true, open: _w.Open(Pool, 3)),
            _w.Member("OFF-B", Pool, open: _w.Open(Pool, 6)),
            _w.Member("OFF-C", Pool, onLeave: true)]);

        Assert.Equal(3, plan.Moves.Count);
        Assert.All(plan.Moves, m => Assert.Equal(("OFF-A", "OFF-B"), (m.From.Officer.Id, m.To.Officer.Id)));
        Assert.All(plan.Moves, m => Assert.StartsWith("officer OFF-A is on leave", m.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void An_officer_at_capacity_receives_nothing()
    {
        var plan = Plan([
            _w.Member("OFF-A", Pool, open: _w.Open(Pool, 10)),
            _w.Member("OFF-B", Pool, capacity: 2, open: _w.Open(Pool, 1))]);

        Assert.Single(plan.Moves); // B takes one and is then at its capacity of 2
        Assert.Equal(2, plan.Moves[0].ToLoadAfter);
    }

    [Fact]
    public void A_balanced_team_gets_no_moves_and_the_same_team_always_gets_the_same_plan()
    {
        Assert.Empty(Plan([_w.Member("OFF-A", Pool, open: _w.Open(Pool, 3)), _w.Member("OFF-B", Pool, open: _w.Open(Pool, 2))]).Moves);

        var team = new[] { _w.Member("OFF-A", Pool, open: _w.Open(Pool, 9)), _w.Member("OFF-B", Pool, open: _w.Open(Pool, 1)), _w.Member("OFF-C", Pool, open: _w.Open(Pool, 1)) };
        var first = Plan(team).Moves.Select(m => (m.Grievance.ReferenceNumber, m.To.Officer.Id));
        var again = Plan(team).Moves.Select(m => (m.Grievance.ReferenceNumber, m.To.Officer.Id));
        Assert.Equal(first, again);
    }

    [Fact]
    public void The_limit_on_moves_is_kept()
    {
        Assert.Equal(2, Plan([_w.Member("OFF-A", Pool, open: _w.Open(Pool, 20)), _w.Member("OFF-B", Pool)], maxMoves: 2).Moves.Count);
    }
}
