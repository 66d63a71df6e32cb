namespace Helpline.Officers.Workload;

/// <summary>
/// The one rule for an SLA instant: a grievance disposed of at its due instant is on time; the instant has passed
/// (overdue, breach, escalation) only once the clock is strictly after it. Timers (at-risk warnings too), workloads, lists and
/// the grievance's own fields all use this comparison.
/// </summary>
internal static class DueInstantRule
{
    /// <summary>
    /// The resolution instants are stored to: PostgreSQL keeps microseconds, and the grains truncate their clock to them,
    /// so "just after" an instant is one microsecond after it.
    /// </summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromTicks(10);

    /// <summary>True when <paramref name="instant"/> has passed at <paramref name="now"/> (strictly after it).</summary>
    public static bool HasPassed(DateTimeOffset instant, DateTimeOffset now) => instant < now;

    /// <summary>The first instant, at the stored resolution, at which <paramref name="instant"/> has passed: when a timer for it fires.</summary>
    public static DateTimeOffset FirstInstantAfter(DateTimeOffset instant) => instant.AddTicks(Resolution.Ticks - (instant.Ticks % Resolution.Ticks));
}
