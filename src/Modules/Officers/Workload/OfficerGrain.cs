using Microsoft.Extensions.Logging;

namespace Helpline.Officers.Workload;

// The grain type is part of every officer grain's id; pinned so that renaming the class changes nothing.
[GrainType("officer")]
internal sealed partial class OfficerGrain(IOfficerCaseload caseload, TimeProvider clock, ILogger<OfficerGrain> logger) : Grain, IOfficerGrain
{
    // Timers longer than this are re-armed on expiry: System.Threading timers cap near 49 days, and a shorter
    // horizon keeps a clock change (NTP step) from leaving a deadline far off.
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromHours(6);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private const int MaxAlerts = 200;
    private const int FiringParallelism = 32;

    private readonly Dictionary<string, TrackedGrievance> _open = new(StringComparer.Ordinal);

    // Armed instants ordered by time: due dates and at-risk instants. Ties broken by key and kind so entries are unique.
    private readonly SortedSet<(DateTimeOffset At, string Key, bool AtRisk)> _deadlines = new();
    private readonly LinkedList<OfficerAlert> _alerts = new();
    private IGrainTimer? _timer;
    private DateTimeOffset? _timerDueAt;
    private bool _firing;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var g in await caseload.OpenGrievancesOfAsync(this.GetPrimaryKeyString(), cancellationToken))
        {
            Put(g);
        }

        Reschedule();
    }

    public Task Track(TrackedGrievance grievance)
    {
        Put(grievance);
        Reschedule();
        return Task.CompletedTask;
    }

    public Task Release(string grievanceKey)
    {
        if (Remove(grievanceKey))
        {
            Reschedule();
        }

        return Task.CompletedTask;
    }

    public Task<OfficerWorkload> GetWorkload()
    {
        var now = clock.GetUtcNow();
        int overdue = 0, soon = 0, atRisk = 0, onHold = 0;
        DateTimeOffset? next = null;
        foreach (var g in _open.Values)
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

        return Task.FromResult(new OfficerWorkload(this.GetPrimaryKeyString(), _open.Count, overdue, soon, next, atRisk, onHold));
    }

    public Task Arm() => Task.CompletedTask;

    public Task Notify(OfficerAlert alert)
    {
        _alerts.AddFirst(alert);
        while (_alerts.Count > MaxAlerts)
        {
            _alerts.RemoveLast();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OfficerAlert>> GetAlerts() => Task.FromResult<IReadOnlyList<OfficerAlert>>(_alerts.ToList());

    private void Put(TrackedGrievance g)
    {
        Remove(g.GrievanceKey);
        _open[g.GrievanceKey] = g;
        if (g.DeadlineArmed)
        {
            _deadlines.Add((g.DueAt, g.GrievanceKey, false));
            if (g.AtRiskAt is { } atRisk && !g.AtRiskAnnounced && atRisk < g.DueAt)
            {
                _deadlines.Add((atRisk, g.GrievanceKey, true));
            }
        }
    }

    private bool Remove(string key)
    {
        if (!_open.Remove(key, out var old))
        {
            return false;
        }

        _deadlines.Remove((old.DueAt, key, false));
        if (old.AtRiskAt is { } atRisk && !old.AtRiskAnnounced)
        {
            _deadlines.Remove((atRisk, key, true));
        }

        return true;
    }

    private void Reschedule(TimeSpan? retryIn = null)
    {
        if (_firing)
        {
            return; // the running callback reschedules when it finishes
        }

        if (_deadlines.Count == 0)
        {
            _timer?.Dispose();
            _timer = null;
            _timerDueAt = null;
            return;
        }

        var now = clock.GetUtcNow();
        var target = retryIn is { } r ? now + r : DueInstantRule.FirstInstantAfter(_deadlines.Min.At);
        if (_timer is not null && _timerDueAt == target)
        {
            return;
        }

        var delay = target - now;
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }
        else if (delay > MaxTimerDelay)
        {
            delay = MaxTimerDelay;
        }

        _timer?.Dispose();
        _timerDueAt = target;

        // KeepAlive: an officer with armed deadlines must stay active, or nothing would fire until the next sweep.
        _timer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        _timerDueAt = null;
        var now = clock.GetUtcNow();
        var due = _deadlines.TakeWhile(d => DueInstantRule.HasPassed(d.At, now)).ToList();
        var failed = false;
        _firing = true;
        try
        {
            // Many of one officer's grievances can fall due at the same instant (everything registered out of hours
            // with the same working-day allowance); they are told in parallel chunks, not one after another.
            // One grievance's instants (at risk, then due) stay in order; different grievances go in parallel.
            foreach (var chunk in due.GroupBy(d => d.Key, StringComparer.Ordinal).Chunk(FiringParallelism))
            {
                var outcomes = await Task.WhenAll(chunk.Select(FireInOrderAsync));
                failed |= outcomes.Contains(false);
            }
        }
        finally
        {
            _firing = false;
        }

        Reschedule(failed ? RetryDelay : null);
    }

    private async Task<bool> FireInOrderAsync(IEnumerable<(DateTimeOffset At, string Key, bool AtRisk)> instants)
    {
        var ok = true;
        foreach (var d in instants)
        {
            ok &= await FireAsync(d);
        }

        return ok;
    }

    private async Task<bool> FireAsync((DateTimeOffset At, string Key, bool AtRisk) d)
    {
        var (at, key, isAtRisk) = d;
        try
        {
            var handler = GrainFactory.GetGrain<IDueDateHandler>(key);
            if (isAtRisk)
            {
                await handler.OnAtRisk(at);
            }
            else
            {
                await handler.OnDueDatePassed(at);
            }

            // The handler moves the grievance on (Release/Track interleave); if it left the entry untouched,
            // take this instant off so that it cannot fire again.
            if (_open.TryGetValue(key, out var current))
            {
                if (isAtRisk && current.AtRiskAt == at && !current.AtRiskAnnounced)
                {
                    Put(current with { AtRiskAnnounced = true });
                }
                else if (!isAtRisk && current.DueAt == at && current.DeadlineArmed)
                {
                    Put(current with { DeadlineArmed = false });
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDueDateFailed(ex, key, at);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acting on the SLA instant {At} of grievance {GrievanceKey} failed; retrying shortly")]
    private partial void LogDueDateFailed(Exception ex, string grievanceKey, DateTimeOffset at);
}
