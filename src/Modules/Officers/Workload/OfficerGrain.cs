using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Helpline.Officers.Workload;

// The grain type is part of every officer grain's id; pinned so that renaming the class changes nothing.
[GrainType("officer")]
internal sealed partial class OfficerGrain(IOfficerCaseload caseload, LocalOfficerSnapshots snapshots, FiringGate gate, TimeProvider clock, ILogger<OfficerGrain> logger)
    : Grain, IOfficerGrain
{
    // Timers longer than this are re-armed on expiry: System.Threading timers cap near 49 days, and a shorter
    // horizon keeps a clock change (NTP step) from leaving a deadline far off.
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromHours(6);

    /// <summary>How far back disposals count (<see cref="OfficerWorkload.DisposedLast7Days"/>).</summary>
    public static readonly TimeSpan RecentDisposals = TimeSpan.FromDays(7);

    // Immutable, so that each change can be published to this silo's snapshots (LocalOfficerSnapshots) without a copy.
    private ImmutableDictionary<string, TrackedGrievance> _open = ImmutableDictionary.Create<string, TrackedGrievance>(StringComparer.Ordinal);

    // Grievances the officer disposed of in the last 7 days, by grain key (a retried call counts once), pruned when read.
    private ImmutableDictionary<string, DateTimeOffset> _disposed = ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);

    // Armed instants ordered by time: due dates and at-risk instants. Ties broken by key (ordinal, whatever the culture) and kind so entries are unique.
    private readonly SortedSet<(DateTimeOffset At, string Key, bool AtRisk)> _deadlines = new(Comparer<(DateTimeOffset At, string Key, bool AtRisk)>.Create(
        static (x, y) => x.At != y.At ? x.At.CompareTo(y.At) : string.CompareOrdinal(x.Key, y.Key) is var k and not 0 ? k : x.AtRisk.CompareTo(y.AtRisk)));

    // Grievances being told now: one call at a time per grievance keeps its instants (at risk, then due) in order.
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);

    // Grievances whose last call failed: not tried again before NotBefore.
    private readonly Dictionary<string, (DateTimeOffset NotBefore, int Failures)> _retries = new(StringComparer.Ordinal);
    private IGrainTimer? _timer;
    private string? _officerId;
    private DateTimeOffset? _timerDueAt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var g in await caseload.OpenGrievancesOfAsync(OfficerId, cancellationToken))
        {
            Put(g);
        }

        _disposed = _disposed.SetItems((await caseload.DisposalsOfAsync(OfficerId, clock.GetUtcNow() - RecentDisposals, cancellationToken))
            .Select(d => KeyValuePair.Create(d.GrievanceKey, d.At)));
        Reschedule();
        Publish();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        snapshots.Withdraw(OfficerId, this);
        return Task.CompletedTask;
    }

    public Task Track(TrackedGrievance grievance)
    {
        _retries.Remove(grievance.GrievanceKey); // it answered: its instants need no back-off
        Put(grievance);
        Reschedule();
        Publish();
        return Task.CompletedTask;
    }

    public Task Release(string grievanceKey)
    {
        if (Remove(grievanceKey))
        {
            Reschedule();
            Publish();
        }

        return Task.CompletedTask;
    }

    public Task ReleaseDisposed(string grievanceKey, DateTimeOffset disposedAt)
    {
        _disposed = _disposed.SetItem(grievanceKey, disposedAt);
        if (Remove(grievanceKey))
        {
            Reschedule();
        }

        Publish();
        return Task.CompletedTask;
    }

    public Task<OfficerWorkload> GetWorkload()
    {
        var now = clock.GetUtcNow();
        var since = now - RecentDisposals;
        if (_disposed.Values.Any(at => at < since))
        {
            _disposed = _disposed.RemoveRange(_disposed.Where(d => d.Value < since).Select(d => d.Key).ToList());
            Publish();
        }

        return Task.FromResult(WorkloadCount.Of(OfficerId, _open.Values, now, _disposed.Count));
    }

    public Task<IReadOnlyList<TrackedGrievance>> GetOpen() => Task.FromResult<IReadOnlyList<TrackedGrievance>>([.. _open.Values]);

    public Task<ExpectedLoad> LoadExpecting(IReadOnlyCollection<string> expected) => Task.FromResult(Expecting(_open, expected));

    /// <summary>The open count a pool decides on: those held, plus those expected and not held yet.</summary>
    public static ExpectedLoad Expecting(ImmutableDictionary<string, TrackedGrievance> open, IReadOnlyCollection<string> expected)
    {
        var held = expected.Where(open.ContainsKey).ToList();
        return new ExpectedLoad(open.Count + expected.Count - held.Count, held);
    }

    public Task Arm() => Task.CompletedTask;

    public Task Recheck()
    {
        var now = clock.GetUtcNow();
        foreach (var key in _retries.Keys.ToList())
        {
            _retries[key] = _retries[key] with { NotBefore = now };
        }

        Reschedule();
        return Task.CompletedTask;
    }

    private void Put(TrackedGrievance g)
    {
        Remove(g.GrievanceKey);
        _open = _open.SetItem(g.GrievanceKey, g);
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
        if (!_open.TryGetValue(key, out var old))
        {
            return false;
        }

        _open = _open.Remove(key);
        _retries.Remove(key);
        _deadlines.Remove((old.DueAt, key, false));
        if (old.AtRiskAt is { } atRisk && !old.AtRiskAnnounced)
        {
            _deadlines.Remove((atRisk, key, true));
        }

        return true;
    }

    // The key is rebuilt as a new string at every call of GetPrimaryKeyString; it is kept instead.
    private string OfficerId => _officerId ??= this.GetPrimaryKeyString();

    // Every change goes out in the turn that made it; Put and Remove do not publish, so no half-done change is seen.
    private void Publish() => snapshots.Publish(OfficerId, new OfficerSnapshot(this, _open, _disposed));

    private void Reschedule()
    {
        if (NextFiring() is not { } target)
        {
            _timer?.Dispose();
            _timer = null;
            _timerDueAt = null;
            return; // nothing armed, or every slot busy: a finishing call reschedules
        }

        if (_timer is not null && _timerDueAt == target)
        {
            return;
        }

        var delay = target - clock.GetUtcNow();
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

    // The earliest instant at which some grievance not being told now is due to be told: its SLA instant, or its
    // retry time after a failure.
    private DateTimeOffset? NextFiring()
    {
        if (_inFlight.Count >= FiringPolicy.Parallelism)
        {
            return null;
        }

        DateTimeOffset? best = null;
        foreach (var (at, key, _) in _deadlines)
        {
            var fireAt = DueInstantRule.FirstInstantAfter(at);
            if (best is { } found && fireAt >= found)
            {
                break; // every later entry fires later still
            }

            if (_inFlight.Contains(key))
            {
                continue;
            }

            if (_retries.TryGetValue(key, out var retry) && retry.NotBefore > fireAt)
            {
                fireAt = retry.NotBefore;
            }

            if (best is null || fireAt < best)
            {
                best = fireAt;
            }
        }

        return best;
    }

    // Starts telling every grievance with a passed instant that is neither being told nor waiting for its retry, and
    // returns at once: each grievance's calls run on their own (bounded by FiringPolicy.CallTimeout), so one that
    // cannot be reached never holds up the officer's other deadlines.
    private Task OnTimerAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        _timerDueAt = null;
        var now = clock.GetUtcNow();
        var batches = new Dictionary<string, List<(DateTimeOffset At, string Key, bool AtRisk)>>(StringComparer.Ordinal);
        foreach (var d in _deadlines)
        {
            if (!DueInstantRule.HasPassed(d.At, now))
            {
                break;
            }

            if (_inFlight.Contains(d.Key) || (_retries.TryGetValue(d.Key, out var retry) && retry.NotBefore > now))
            {
                continue;
            }

            if (!batches.TryGetValue(d.Key, out var instants))
            {
                if (_inFlight.Count + batches.Count >= FiringPolicy.Parallelism)
                {
                    break; // the rest start as calls finish
                }

                batches[d.Key] = instants = [];
            }

            instants.Add(d);
        }

        foreach (var (key, instants) in batches)
        {
            _inFlight.Add(key);
            _ = TellAsync(key, instants);
        }

        Reschedule();
        return Task.CompletedTask;
    }

    // Runs on the activation's scheduler like every turn of the grain, so it shares state without locks.
    private async Task TellAsync(string key, List<(DateTimeOffset At, string Key, bool AtRisk)> instants)
    {
        var failed = false;
        try
        {
            foreach (var instant in instants)
            {
                if (!await gate.RunAsync(() => FireAsync(instant)))
                {
                    failed = true;
                    break; // keep the order: a later instant of this grievance waits for the earlier one
                }
            }
        }
        finally
        {
            _inFlight.Remove(key);
            if (failed && _open.ContainsKey(key))
            {
                var failures = (_retries.TryGetValue(key, out var retry) ? retry.Failures : 0) + 1;
                _retries[key] = (clock.GetUtcNow() + FiringPolicy.RetryDelay(failures), failures);
            }
            else if (!failed)
            {
                _retries.Remove(key);
            }

            Reschedule();
        }
    }

    private async Task<bool> FireAsync((DateTimeOffset At, string Key, bool AtRisk) d)
    {
        var (at, key, isAtRisk) = d;
        try
        {
            var handler = GrainFactory.GetGrain<IDueDateHandler>(key);
            var call = isAtRisk ? handler.OnAtRisk(at) : handler.OnDueDatePassed(at);

            // A call given up on may still fail later: observe it so that it is not reported as unobserved.
            _ = call.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Current);
            await call.WaitAsync(FiringPolicy.CallTimeout, clock);

            // The handler moves the grievance on (Release/Track interleave); if it left the entry untouched,
            // take this instant off so that it cannot fire again.
            if (_open.TryGetValue(key, out var current))
            {
                if (isAtRisk && current.AtRiskAt == at && !current.AtRiskAnnounced)
                {
                    Put(current with { AtRiskAnnounced = true });
                    Publish();
                }
                else if (!isAtRisk && current.DueAt == at && current.DeadlineArmed)
                {
                    Put(current with { DeadlineArmed = false });
                    Publish();
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDueDateFailed(ex, key, at, ex.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acting on the SLA instant {At} of grievance {GrievanceKey} failed ({Reason}); retrying shortly, the officer's other deadlines go on")]
    private partial void LogDueDateFailed(Exception ex, string grievanceKey, DateTimeOffset at, string reason);
}
