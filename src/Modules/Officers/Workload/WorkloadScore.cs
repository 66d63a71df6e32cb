namespace Helpline.Officers.Workload;

/// <summary>
/// The load score: how much work an officer's open grievances are, for boards, pools and rebalancing. Each open
/// grievance counts once, in its most urgent class:
/// <list type="table">
/// <item><term>overdue: 4</term><description>already breached and counted against the officer; answering it cannot wait.</description></item>
/// <item><term>at risk: 3</term><description>most of the level's allowance is used; escalation is near.</description></item>
/// <item><term>due today (IST): 2</term><description>must be acted on before the day ends.</description></item>
/// <item><term>open: 1</term><description>a unit of work with time left.</description></item>
/// <item><term>on hold: 0.5</term><description>waiting on the complainant with the clock stopped: little to do until they answer.</description></item>
/// </list>
/// Overdue and at risk weigh more than open because a supervisor moving work must move it away from the officer
/// whose deadlines are failing; a sum of weights (not a maximum) keeps one urgent grievance from hiding many ordinary ones.
/// Moving a grievance moves exactly its weight, which is what rebalancing reasons with.
/// </summary>
public static class WorkloadScore
{
    /// <summary>Weight of an overdue grievance.</summary>
    public const double Overdue = 4;

    /// <summary>Weight of an at-risk grievance.</summary>
    public const double AtRisk = 3;

    /// <summary>Weight of a grievance due today (IST).</summary>
    public const double DueToday = 2;

    /// <summary>Weight of an open grievance with time left.</summary>
    public const double Open = 1;

    /// <summary>Weight of a grievance on hold.</summary>
    public const double OnHold = 0.5;

    /// <summary>India Standard Time: UTC+05:30 all year (India keeps no daylight saving time).</summary>
    public static readonly TimeSpan Ist = TimeSpan.FromMinutes(330);

    /// <summary>The weight of one open grievance at <paramref name="now"/>.</summary>
    public static double Weight(TrackedGrievance g, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(g);
        return Classify(g, now) switch
        {
            Urgency.OnHold => OnHold,
            Urgency.Overdue => Overdue,
            Urgency.AtRisk => AtRisk,
            Urgency.DueToday => DueToday,
            _ => Open,
        };
    }

    /// <summary>The load score of open grievances at <paramref name="now"/>: the sum of their weights.</summary>
    public static double Of(IEnumerable<TrackedGrievance> open, DateTimeOffset now) => open.Sum(g => Weight(g, now));

    /// <summary>The most urgent class a grievance is in at <paramref name="now"/>.</summary>
    public static Urgency Classify(TrackedGrievance g, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g.OnHold)
        {
            return Urgency.OnHold;
        }

        if (DueInstantRule.HasPassed(g.DueAt, now))
        {
            return Urgency.Overdue;
        }

        if (g.AtRiskAt <= now)
        {
            return Urgency.AtRisk;
        }

        return IsToday(g.DueAt, now) ? Urgency.DueToday : Urgency.Open;
    }

    /// <summary>Whether <paramref name="instant"/> falls on the same calendar date in India as <paramref name="now"/>.</summary>
    public static bool IsToday(DateTimeOffset instant, DateTimeOffset now) =>
        instant.ToOffset(Ist).Date == now.ToOffset(Ist).Date;
}

/// <summary>How urgent an open grievance is, most urgent last.</summary>
public enum Urgency
{
    /// <summary>On hold, clock stopped.</summary>
    OnHold = 0,

    /// <summary>Time left, not due today.</summary>
    Open = 1,

    /// <summary>Due later today (IST).</summary>
    DueToday = 2,

    /// <summary>Past its at-risk instant.</summary>
    AtRisk = 3,

    /// <summary>Past its due date.</summary>
    Overdue = 4,
}
