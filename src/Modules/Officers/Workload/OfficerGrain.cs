using Microsoft.Extensions.Logging;

namespace Helpline.Officers.Workload;

internal sealed partial class OfficerGrain(IOfficerCaseload caseload, TimeProvider clock, ILogger<OfficerGrain> logger) : Grain, IOfficerGrain
{
    // Timers longer than this are re-armed on expiry: System.Threading timers cap near 49 days, and a shorter
    // horizon keeps a clock change (NTP step) from leaving a deadline far off.
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromHours(6);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, TrackedGrievance> _open = new(StringComparer.Ordinal);

    // Armed deadlines ordered by due date; ties broken by key so that entries are unique.
    private readonly SortedSet<(DateTimeOffset DueAt, string Key)> _deadlines = new();
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
        if (_open.Remove(grievanceKey, out var old))
        {
            _deadlines.Remove((old.DueAt, old.GrievanceKey));
            Reschedule();
        }

        return Task.CompletedTask;
    }

    public Task<OfficerWorkload> GetWorkload()
    {
        var now = clock.GetUtcNow();
        int overdue = 0, soon = 0;
        DateTimeOffset? next = null;
        foreach (var g in _open.Values)
        {
            if (g.DueAt <= now)
            {
                overdue++;
                continue;
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

        return Task.FromResult(new OfficerWorkload(this.GetPrimaryKeyString(), _open.Count, overdue, soon, next));
    }

    public Task Arm() => Task.CompletedTask;

    private void Put(TrackedGrievance g)
    {
        if (_open.Remove(g.GrievanceKey, out var old))
        {
            _deadlines.Remove((old.DueAt, old.GrievanceKey));
        }

        _open[g.GrievanceKey] = g;
        if (g.DeadlineArmed)
        {
            _deadlines.Add((g.DueAt, g.GrievanceKey));
        }
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
        var target = retryIn is { } r ? now + r : _deadlines.Min.DueAt;
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
        var due = _deadlines.TakeWhile(d => d.DueAt <= now).ToList();
        var failed = false;
        _firing = true;
        try
        {
            foreach (var (dueAt, key) in due)
            {
                try
                {
                    await GrainFactory.GetGrain<IDueDateHandler>(key).OnDueDatePassed(dueAt);

                    // The handler moves the grievance on (Release/Track interleave); if it left the entry untouched,
                    // disarm it here so that it cannot fire again.
                    if (_open.TryGetValue(key, out var current) && current.DueAt == dueAt && current.DeadlineArmed)
                    {
                        Put(current with { DeadlineArmed = false });
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed = true;
                    LogDueDateFailed(ex, key, dueAt);
                }
            }
        }
        finally
        {
            _firing = false;
        }

        Reschedule(failed ? RetryDelay : null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acting on due date {DueAt} of grievance {GrievanceKey} failed; retrying shortly")]
    private partial void LogDueDateFailed(Exception ex, string grievanceKey, DateTimeOffset dueAt);
}
