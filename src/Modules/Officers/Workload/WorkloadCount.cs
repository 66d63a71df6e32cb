namespace Helpline.Officers.Workload;

/// <summary>
/// An officer's workload from their open grievances: the grain counts all it holds; a caller with a limited scope gets
/// the same counts over the grievances inside their scope only.
/// </summary>
internal static class WorkloadCount
{
    public static OfficerWorkload Of(string officerId, IReadOnlyCollection<TrackedGrievance> open, DateTimeOffset now, int? disposedLast7Days = null)
    {
        int overdue = 0, soon = 0, atRisk = 0, onHold = 0, today = 0;
        double score = 0;
        DateTimeOffset? next = null, oldest = null;
        var attention = new List<AttentionItem>();
        foreach (var g in open)
        {
            var urgency = WorkloadScore.Classify(g, now);
            score += WorkloadScore.Weight(g, now);
            if (g.RegisteredAt is { } registered && (oldest is null || registered < oldest))
            {
                oldest = registered;
            }

            switch (urgency)
            {
                case Urgency.OnHold:
                    onHold++;
                    continue;
                case Urgency.Overdue:
                    overdue++;
                    attention.Add(new AttentionItem(g.ReferenceNumber, g.DueAt, true, g.Level));
                    continue;
                case Urgency.AtRisk:
                    atRisk++;
                    attention.Add(new AttentionItem(g.ReferenceNumber, g.DueAt, false, g.Level));
                    break;
            }

            if (WorkloadScore.IsToday(g.DueAt, now))
            {
                today++;
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

        attention.Sort(static (x, y) => x.DueAt != y.DueAt ? x.DueAt.CompareTo(y.DueAt) : string.CompareOrdinal(x.ReferenceNumber, y.ReferenceNumber));
        return new OfficerWorkload(officerId, open.Count, overdue, soon, next, atRisk, onHold, today, disposedLast7Days, oldest, score, attention);
    }
}
