namespace Helpline.Officers.Workload;

/// <summary>
/// An officer's workload from their open grievances: the grain counts all it holds; a caller with a limited scope gets
/// the same counts over the grievances inside their scope only.
/// </summary>
internal static class WorkloadCount
{
    public static OfficerWorkload Of(string officerId, IEnumerable<TrackedGrievance> open, DateTimeOffset now, int? disposedLast7Days = null)
    {
        int count = 0, overdue = 0, soon = 0, atRisk = 0, onHold = 0, today = 0;
        double score = 0;
        DateTimeOffset? next = null, oldest = null;
        var attention = new List<AttentionItem>();
        var clock = new UrgencyClock(now);
        var in24Hours = now.AddHours(24);
        foreach (var g in open)
        {
            count++;
            var urgency = clock.Classify(g);
            score += WorkloadScore.WeightOf(urgency);
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

            if (clock.IsToday(g.DueAt))
            {
                today++;
            }

            if (g.DueAt <= in24Hours)
            {
                soon++;
            }

            if (next is null || g.DueAt < next)
            {
                next = g.DueAt;
            }
        }

        attention.Sort(static (x, y) => x.DueAt != y.DueAt ? x.DueAt.CompareTo(y.DueAt) : string.CompareOrdinal(x.ReferenceNumber, y.ReferenceNumber));
        return new OfficerWorkload(officerId, count, overdue, soon, next, atRisk, onHold, today, disposedLast7Days, oldest, score, attention);
    }

    /// <summary>
    /// The first instant after <paramref name="now"/> at which <see cref="Of"/> may give other figures for the same
    /// grievances and disposals: a grievance becoming at risk, due within 24 hours or overdue, a new day in India, a
    /// disposal leaving the last 7 days. Until then the figures of <paramref name="now"/> hold, so they can be kept.
    /// </summary>
    public static DateTimeOffset Horizon(IEnumerable<TrackedGrievance> open, IEnumerable<DateTimeOffset> disposals, TimeSpan recentDisposals, DateTimeOffset now)
    {
        var clock = new UrgencyClock(now);
        var horizon = clock.TomorrowStarts;
        foreach (var g in open)
        {
            if (g.OnHold)
            {
                continue; // on hold counts the same whatever the time
            }

            if (g.AtRiskAt is { } atRisk && atRisk > now)
            {
                horizon = Min(horizon, atRisk);
            }

            if (g.DueAt.AddHours(-24) > now)
            {
                horizon = Min(horizon, g.DueAt.AddHours(-24));
            }

            if (!DueInstantRule.HasPassed(g.DueAt, now))
            {
                horizon = Min(horizon, g.DueAt.AddTicks(1)); // overdue strictly after its due instant
            }
        }

        foreach (var at in disposals)
        {
            if (at + recentDisposals >= now)
            {
                horizon = Min(horizon, (at + recentDisposals).AddTicks(1));
            }
        }

        return horizon;
    }

    private static DateTimeOffset Min(DateTimeOffset x, DateTimeOffset y) => x < y ? x : y;
}
