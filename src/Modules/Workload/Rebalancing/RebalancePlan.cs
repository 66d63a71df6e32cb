using Helpline.Officers.Workload;
using Helpline.Workload.Boards;

namespace Helpline.Workload.Rebalancing;

/// <summary>One proposed move: which grievance, from whom, to whom, and the two officers' load scores before and after.</summary>
internal sealed record PlannedMove(
    TrackedGrievance Grievance,
    TeamMember From,
    TeamMember To,
    Urgency Urgency,
    double Weight,
    double FromLoadBefore,
    double FromLoadAfter,
    double ToLoadBefore,
    double ToLoadAfter,
    string Reason);

/// <summary>How far apart a team's load scores are.</summary>
/// <param name="Max">The heaviest load score.</param>
/// <param name="Min">The lightest.</param>
/// <param name="StandardDeviation">The population standard deviation of the scores: what the moves reduce.</param>
internal sealed record LoadSpread(double Max, double Min, double StandardDeviation)
{
    public static LoadSpread Of(IReadOnlyCollection<double> scores)
    {
        if (scores.Count == 0)
        {
            return new LoadSpread(0, 0, 0);
        }

        // Rounded to thousandths: scores are sums of halves, and a reader compares spreads, not binary fractions.
        var mean = scores.Average();
        return new LoadSpread(scores.Max(), scores.Min(), Math.Round(Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / scores.Count), 3));
    }
}

/// <summary>A rebalancing proposal for a team: the moves, in the order they are meant to be applied, and the spread before and after them.</summary>
internal sealed record RebalancePlan(IReadOnlyList<PlannedMove> Moves, int Officers, int OpenGrievances, LoadSpread Before, LoadSpread After, DateTimeOffset At);
