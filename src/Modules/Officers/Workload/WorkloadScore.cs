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
    public static double Weight(TrackedGrievance g, DateTimeOffset now) => WeightOf(Classify(g, now));

    /// <summary>The weight of a grievance in class <paramref name="urgency"/>.</summary>
    public static double WeightOf(Urgency urgency) => urgency switch
    {
        Urgency.OnHold => OnHold,
        Urgency.Overdue => Overdue,
        Urgency.AtRisk => AtRisk,
        Urgency.DueToday => DueToday,
        _ => Open,
    };

    /// <summary>The load score of open grievances at <paramref name="now"/>: the sum of their weights.</summary>
    public static double Of(IEnumerable<TrackedGrievance> open, DateTimeOffset now)
    {
        var clock = new UrgencyClock(now);
        return open.Sum(g => WeightOf(clock.Classify(g)));
    }

    /// <summary>The most urgent class a grievance is in at <paramref name="now"/>.</summary>
    public static Urgency Classify(TrackedGrievance g, DateTimeOffset now) => new UrgencyClock(now).Classify(g);

    /// <summary>Whether <paramref name="instant"/> falls on the same calendar date in India as <paramref name="now"/>.</summary>
    public static bool IsToday(DateTimeOffset instant, DateTimeOffset now) => new UrgencyClock(now).IsToday(instant);
}

/// <summary>
/// The instants that class open grievances at one moment, worked out once for many grievances: a board classes tens of
/// thousands at a time, and converting each due date to India's calendar would cost more than everything else it does.
/// </summary>
internal readonly struct UrgencyClock
{
    /// <summary>Works out today's bounds in India (IST has no daylight saving: every day is 24 hours).</summary>
    /// <param name="now">The moment grievances are classed at.</param>
    public UrgencyClock(DateTimeOffset now)
    {
        Now = now;
        TodayStarts = new DateTimeOffset(now.ToOffset(WorkloadScore.Ist).Date, WorkloadScore.Ist);
        TomorrowStarts = TodayStarts.AddDays(1);
    }

    /// <summary>The moment grievances are classed at.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Midnight in India that began today.</summary>
    public DateTimeOffset TodayStarts { get; }

    /// <summary>Midnight in India that ends today.</summary>
    public DateTimeOffset TomorrowStarts { get; }

    /// <summary>Whether <paramref name="instant"/> falls on today's calendar date in India.</summary>
    public bool IsToday(DateTimeOffset instant) => instant >= TodayStarts && instant < TomorrowStarts;

    /// <summary>The most urgent class <paramref name="g"/> is in now.</summary>
    public Urgency Classify(TrackedGrievance g)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g.OnHold)
        {
            return Urgency.OnHold;
        }

        if (DueInstantRule.HasPassed(g.DueAt, Now))
        {
            return Urgency.Overdue;
        }

        if (g.AtRiskAt <= Now)
        {
            return Urgency.AtRisk;
        }

        return IsToday(g.DueAt) ? Urgency.DueToday : Urgency.Open;
    }
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
