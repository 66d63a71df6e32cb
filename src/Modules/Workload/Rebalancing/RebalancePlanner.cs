using System.Globalization;
using Helpline.Officers.Workload;
using Helpline.Workload.Boards;

namespace Helpline.Workload.Rebalancing;

/// <summary>
/// Proposes moves that narrow the spread of load in a team. Greedy and deterministic: the heaviest officer (by load
/// score) gives one grievance to the lightest officer who may take it (<see cref="MoveRules"/>), when the gap between
/// them is larger than the grievance's weight (so the move lowers the spread: the two end closer than they began); then
/// again, until no such move is left or the limit is reached. Grievances not yet at risk go first (on hold, then open,
/// then due today, latest due first), because moving one whose warning has already gone out costs the new officer the
/// least time; at-risk and overdue ones move only when nothing else can. An officer on leave takes nothing, and
/// everything they hold that another may take is proposed to move, whatever the gap.
/// </summary>
internal sealed class RebalancePlanner(MoveRules rules)
{
    private static readonly Urgency[] Preference = [Urgency.OnHold, Urgency.Open, Urgency.DueToday, Urgency.AtRisk, Urgency.Overdue];

    public RebalancePlan Plan(IReadOnlyList<TeamMember> team, DateTimeOffset now, int maxMoves)
    {
        var load = team.ToDictionary(m => m.Officer.Id, m => WorkloadScore.Of(m.Open, now), StringComparer.Ordinal);
        var open = team.ToDictionary(m => m.Officer.Id, m => m.Open.Count, StringComparer.Ordinal);
        var before = LoadSpread.Of(load.Values);
        var held = team.ToDictionary(
            m => m.Officer.Id,
            m => m.Open
                .OrderBy(g => Array.IndexOf(Preference, WorkloadScore.Classify(g, now)))
                .ThenByDescending(g => g.DueAt)
                .ThenBy(g => g.ReferenceNumber, StringComparer.Ordinal)
                .ToList(),
            StringComparer.Ordinal);
        var moves = new List<PlannedMove>();
        var stuck = new HashSet<string>(StringComparer.Ordinal); // donors with nothing that helps, until a move changes that
        while (moves.Count < maxMoves && NextMove(team, load, open, held, stuck, now) is { } move)
        {
            moves.Add(move);
            held[move.From.Officer.Id].Remove(move.Grievance);
            load[move.From.Officer.Id] = move.FromLoadAfter;
            load[move.To.Officer.Id] = move.ToLoadAfter;
            open[move.From.Officer.Id]--;
            open[move.To.Officer.Id]++;

            // A move opens new moves only through its two officers: the giver is lighter (and further below its
            // capacity) so a stuck colleague may now give to it; the receiver is heavier, so it may now have a gap to give across.
            stuck.Remove(move.To.Officer.Id);
            stuck.RemoveWhere(id => CanGive(team.First(m => m.Officer.Id == id), move.From, load, open, held, now));
        }

        var total = team.Sum(m => m.Open.Count);
        return new RebalancePlan(moves, team.Count, total, before, LoadSpread.Of(load.Values), now);
    }

    private PlannedMove? NextMove(
        IReadOnlyList<TeamMember> team, Dictionary<string, double> load, Dictionary<string, int> open,
        Dictionary<string, List<TrackedGrievance>> held, HashSet<string> stuck, DateTimeOffset now)
    {
        // On leave first (their work waits while they are away), then heaviest first; the order is total, so the plan is too.
        foreach (var donor in team
            .Where(m => !stuck.Contains(m.Officer.Id))
            .OrderByDescending(m => m.OnLeave)
            .ThenByDescending(m => load[m.Officer.Id])
            .ThenBy(m => m.Officer.Id, StringComparer.Ordinal))
        {
            // Who may take a grievance depends only on its seat, department and place: found once per kind of grievance.
            var lightest = new Dictionary<(string?, string?, string?), TeamMember?>();
            foreach (var g in held[donor.Officer.Id])
            {
                var weight = WorkloadScore.Weight(g, now);
                if (!lightest.TryGetValue((g.PositionId, g.DepartmentId, g.JurisdictionId), out var target))
                {
                    target = team
                        .Where(t => rules.Check(g, donor, t, open[t.Officer.Id]) is null)
                        .OrderBy(t => load[t.Officer.Id])
                        .ThenBy(t => open[t.Officer.Id])
                        .ThenBy(t => t.Officer.Id, StringComparer.Ordinal)
                        .FirstOrDefault();
                    lightest[(g.PositionId, g.DepartmentId, g.JurisdictionId)] = target;
                }

                if (target is null || !(donor.OnLeave || load[donor.Officer.Id] - load[target.Officer.Id] > weight))
                {
                    continue;
                }

                var (fromBefore, toBefore) = (load[donor.Officer.Id], load[target.Officer.Id]);
                return new PlannedMove(
                    g, donor, target, WorkloadScore.Classify(g, now), weight,
                    fromBefore, fromBefore - weight, toBefore, toBefore + weight,
                    Reason(donor, target, fromBefore, toBefore, weight, WorkloadScore.Classify(g, now)));
            }

            stuck.Add(donor.Officer.Id);
        }

        return null;
    }

    private bool CanGive(
        TeamMember donor, TeamMember target, Dictionary<string, double> load, Dictionary<string, int> open,
        Dictionary<string, List<TrackedGrievance>> held, DateTimeOffset now)
    {
        var gap = load[donor.Officer.Id] - load[target.Officer.Id];
        if (!donor.OnLeave && gap <= WorkloadScore.OnHold)
        {
            return false; // not even the lightest grievance would narrow the gap
        }

        return held[donor.Officer.Id].Any(g =>
            (donor.OnLeave || gap > WorkloadScore.Weight(g, now)) && rules.Check(g, donor, target, open[target.Officer.Id]) is null);
    }

    internal static string Reason(TeamMember from, TeamMember to, double fromLoad, double toLoad, double weight, Urgency urgency)
    {
        var what = urgency switch
        {
            Urgency.OnHold => "a grievance on hold",
            Urgency.DueToday => "a grievance due today",
            Urgency.AtRisk => "an at-risk grievance",
            Urgency.Overdue => "an overdue grievance",
            _ => "an open grievance not at risk",
        };
        var f = CultureInfo.InvariantCulture;
        return from.OnLeave
            ? string.Create(f, $"officer {from.Officer.Id} is on leave; {what} (weight {weight}) goes to officer {to.Officer.Id}, the least loaded who may take it (load {toLoad} → {toLoad + weight})")
            : string.Create(f, $"officer {from.Officer.Id} carries load {fromLoad}, officer {to.Officer.Id} {toLoad}, the least loaded who may take it; {what} (weight {weight}) moves and the two end at {fromLoad - weight} and {toLoad + weight}");
    }
}
