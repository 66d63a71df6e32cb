namespace Helpline.Grievances.Grains;

/// <summary>
/// Wrong tries of the public status lookup for one reference number (the grain key: its digits). One activation in
/// the whole cluster, so the limit holds whichever silo a try reaches. Kept in memory only: a restart of its silo
/// starts the count afresh, which costs an attacker a restart to gain five tries.
/// </summary>
[Alias("helpline.IStatusLookupGuardGrain")]
public interface IStatusLookupGuardGrain : IGrainWithStringKey
{
    /// <summary>Whether the number is locked: 5 wrong tries within 15 minutes of the first.</summary>
    Task<bool> IsLocked();

    /// <summary>Counts a wrong try.</summary>
    Task Failed();
}

[GrainType("status-lookup-guard")]
internal sealed class StatusLookupGuardGrain(TimeProvider clock) : Grain, IStatusLookupGuardGrain
{
    internal const int MaxFailures = 5;
    internal static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private int _failures;
    private DateTimeOffset _since;

    public Task<bool> IsLocked() => Task.FromResult(_failures >= MaxFailures && clock.GetUtcNow() - _since < Window);

    public Task Failed()
    {
        var now = clock.GetUtcNow();
        if (_failures == 0 || now - _since >= Window)
        {
            (_failures, _since) = (0, now);
        }

        _failures++;
        return Task.CompletedTask;
    }
}
