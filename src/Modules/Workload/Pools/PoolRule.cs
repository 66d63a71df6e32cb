using System.Globalization;
using Helpline.Officers;

namespace Helpline.Workload.Pools;

/// <summary>A member of a pool as the choice sees them: their load now and their capacity.</summary>
/// <param name="Member">The member (officer, capacity, on leave).</param>
/// <param name="Open">Open grievances they hold, with those just given to them and not yet tracked.</param>
internal sealed record PoolCandidate(PoolMember Member, int Open);

/// <summary>
/// Which member of a pool takes the next grievance. Members on leave get nothing new. Among the others, those below
/// their capacity come first; the one with the most spare capacity (capacity minus open) wins; ties go to the one
/// holding fewer, then to the lowest officer id. Whoever takes one has one more next time, so equal members take
/// turns: the work spreads evenly, and the same pool state always gives the same choice.
/// </summary>
internal static class PoolRule
{
    /// <summary>The member chosen and the reason in words; null when every member is on leave (or there are none).</summary>
    public static (PoolCandidate Chosen, string Reason)? Choose(IReadOnlyList<PoolCandidate> candidates)
    {
        var available = candidates.Where(c => !c.Member.OnLeave).ToList();
        if (available.Count == 0)
        {
            return null;
        }

        var below = available.Where(c => c.Open < c.Member.Capacity).ToList();
        var field = below.Count > 0 ? below : available;
        var chosen = field
            .OrderByDescending(c => c.Member.Capacity - c.Open)
            .ThenBy(c => c.Open)
            .ThenBy(c => c.Member.Officer.Id, StringComparer.Ordinal)
            .First();
        return (chosen, Reason(chosen, candidates.Count, available.Count, below.Count));
    }

    private static string Reason(PoolCandidate chosen, int members, int available, int below)
    {
        var load = string.Create(CultureInfo.InvariantCulture, $"{chosen.Open} open of capacity {chosen.Member.Capacity}");
        var among = available == members
            ? $"least loaded of {members}"
            : $"least loaded of the {available} of {members} not on leave";
        return below > 0 ? $"{load}, {among}" : $"{load}, {among}; every member is at capacity";
    }
}
