namespace Helpline.Officers.Workload;

/// <summary>
/// How an officer grain tells its grievances that an SLA instant passed when some of them cannot be reached (their
/// grain lived on a silo that just died, or the database is down): each call is bounded, and a grievance whose call
/// failed is tried again soon, on its own, while the officer's other deadlines keep firing on time. Telling a
/// grievance twice is harmless: the grievance grain acts only on its current instant, once.
/// </summary>
internal static class FiringPolicy
{
    /// <summary>
    /// How long one call may take before the officer stops waiting and counts it as failed. A healthy call takes
    /// milliseconds (one state write); a grain on a dead silo answers only when the silo is declared dead, which the
    /// cluster settings bring under about 10 s. The call goes on underneath, and a retry waits behind it in the grievance grain.
    /// </summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Calls told at once by one officer (many of its deadlines can fall due at the same instant).</summary>
    public const int Parallelism = 32;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The wait before the next attempt after <paramref name="failures"/> failures in a row: 1 s, 2 s, then every 4 s,
    /// so that a grievance whose silo was declared dead is reached again within a few seconds without a hot loop.
    /// </summary>
    public static TimeSpan RetryDelay(int failures)
    {
        var delay = FirstRetry * Math.Pow(2, Math.Clamp(failures - 1, 0, 16));
        return delay < MaxRetry ? delay : MaxRetry;
    }
}
