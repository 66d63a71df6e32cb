namespace Helpline.Officers.Workload;

/// <summary>
/// An officer's workload from their open grievances: the grain counts all it holds; a caller with a limited scope gets
/// the same counts over the grievances inside their scope only.
/// </summary>
internal static class WorkloadCount
{
    public static OfficerWorkload Of(string officerId, IReadOnlyCollection<TrackedGrievance> open, DateTimeOffset now)
    {
        int overdue = 0, soon = 0, atRisk = 0, onHold = 0;
        DateTimeOffset? next = null;
        foreach (var g in open)
        {
            if (g.OnHold)
            {
                onHold++;
                continue;
            }

            if (DueInstantRule.HasPassed(g.DueAt, now))
            {
                overdue++;
                continue;
            }

            if (g.AtRiskAt <= now)
            {
                atRisk++;
            }

            if (g.DueAt <= now.AddHours(24))
            {
                soon++;
            }

            if (next is null || g.DueAt < next)
            {
                next = g.DueAt;
            }
        }

        return new OfficerWorkload(officerId, open.Count, overdue, soon, next, atRisk, onHold);
    }
}
