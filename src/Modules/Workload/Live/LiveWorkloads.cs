using System.Collections.Immutable;
using Helpline.Grievances;
using Helpline.Grievances.Events;
using Helpline.Officers.Workload;
using Helpline.Platform.Events;
using Microsoft.Extensions.Logging;

namespace Helpline.Workload.Live;

/// <summary>One officer's figures after a change.</summary>
/// <param name="OfficerId">The officer.</param>
/// <param name="PositionId">The seat they are posted to.</param>
/// <param name="At">When the figures were read (UTC).</param>
/// <param name="Workload">The figures, from the officer's grain.</param>
internal sealed record WorkloadChange(string OfficerId, string PositionId, DateTimeOffset At, OfficerWorkload Workload);

/// <summary>An officer watched, and the seat they are posted to.</summary>
internal sealed record WatchedOfficer(string OfficerId, string PositionId);

/// <summary>
/// Live workload for subscriptions on this silo. Grievance events are the trigger: after an event that may have
/// changed a watched officer's load (it names them, or moves a grievance away from someone it does not name), their
/// figures are read again from their grains and sent when they differ from the last sent. The grains are updated
/// before the event is committed, so what is read is never older than the event.
/// </summary>
internal sealed partial class LiveWorkloads(ILiveEventFeed feed, IOfficerWorkloads workloads, TimeProvider clock, ILogger<LiveWorkloads> logger)
{
    // Events after which a grievance left an officer the event does not name.
    private static readonly HashSet<TimelineEventType> MovesAway =
    [
        TimelineEventType.Escalated, TimelineEventType.Forwarded, TimelineEventType.Reassigned, TimelineEventType.HandedOver,
        TimelineEventType.Recategorised, TimelineEventType.Assigned, TimelineEventType.Reopened, TimelineEventType.ReturnApproved,
    ];

    private readonly IOfficerWorkloads _workloads = workloads;
    private readonly TimeProvider _clock = clock;
    private readonly Lock _gate = new();
    private ImmutableArray<Follower> _followers = [];
    private IDisposable? _listening;

    public ValueTask EnsureTailingAsync(CancellationToken cancellationToken) => feed.EnsureTailingAsync(cancellationToken);

    /// <summary>The figures of <paramref name="watched"/>: each one's current figures first, then every change.</summary>
    public IObservable<WorkloadChange> Follow(IReadOnlyList<WatchedOfficer> watched) => new Source(this, watched);

    private void OnBatch(IReadOnlyList<IntegrationEvent> batch)
    {
        var followers = _followers;
        if (followers.IsEmpty)
        {
            return;
        }

        var events = batch.Where(e => e.Stream == GrievanceEvents.Stream).Select(GrievanceEvents.Read).ToArray();
        if (events.Length == 0)
        {
            return;
        }

        var anyMoveAway = events.Any(e => MovesAway.Contains(e.Type));
        var named = events.SelectMany(e => new[] { e.OfficerId, e.Actor }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var follower in followers)
        {
            if (anyMoveAway || follower.Watches(named))
            {
                follower.Refresh();
            }
        }
    }

    private void Add(Follower follower)
    {
        lock (_gate)
        {
            _followers = _followers.Add(follower);
            _listening ??= feed.Listen(OnBatch);
        }
    }

    // The last follower gone, stop listening, so that the silo's tail can go idle instead of reading the log for nobody.
    private void Remove(Follower follower)
    {
        lock (_gate)
        {
            _followers = _followers.Remove(follower);
            if (_followers.IsEmpty)
            {
                _listening?.Dispose();
                _listening = null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading live workload for a subscription failed; it is read again after the next change")]
    private partial void LogRefreshFailed(Exception ex);

    private sealed class Source(LiveWorkloads owner, IReadOnlyList<WatchedOfficer> watched) : IObservable<WorkloadChange>
    {
        public IDisposable Subscribe(IObserver<WorkloadChange> observer)
        {
            var follower = new Follower(owner, watched, observer);
            owner.Add(follower);
            follower.Refresh();
            return follower;
        }
    }

    // Reads run one at a time per subscriber (so its observer is never called twice at once); changes that come
    // during a read are caught by one more read after it.
    private sealed class Follower(LiveWorkloads owner, IReadOnlyList<WatchedOfficer> watched, IObserver<WorkloadChange> observer) : IDisposable
    {
        private readonly HashSet<string> _ids = watched.Select(w => w.OfficerId).ToHashSet(StringComparer.Ordinal);
        private readonly Dictionary<string, OfficerWorkload> _sent = new(StringComparer.Ordinal);
        private int _state; // 0 idle, 1 reading, 2 reading and asked again
        private volatile bool _disposed;

        public bool Watches(HashSet<string> named) => _ids.Overlaps(named);

        public void Refresh()
        {
            if (Interlocked.Increment(ref _state) == 1)
            {
                _ = Task.Run(ReadAsync);
            }
            else
            {
                Interlocked.Exchange(ref _state, 2);
            }
        }

        private async Task ReadAsync()
        {
            do
            {
                Interlocked.Exchange(ref _state, 1);
                try
                {
                    var figures = await owner._workloads.WorkloadsOfAsync([.. watched.Select(w => w.OfficerId)]);
                    var at = owner._clock.GetUtcNow();
                    for (var i = 0; i < watched.Count && !_disposed; i++)
                    {
                        if (!_sent.TryGetValue(watched[i].OfficerId, out var last) || !Same(last, figures[i]))
                        {
                            _sent[watched[i].OfficerId] = figures[i];
                            observer.OnNext(new WorkloadChange(watched[i].OfficerId, watched[i].PositionId, at, figures[i]));
                        }
                    }
                }
                catch (Exception ex)
                {
                    owner.LogRefreshFailed(ex);
                }
            }
            while (!_disposed && Interlocked.CompareExchange(ref _state, 0, 1) != 1);
        }

        private static bool Same(OfficerWorkload a, OfficerWorkload b) =>
            a.Open == b.Open && a.Overdue == b.Overdue && a.AtRisk == b.AtRisk && a.OnHold == b.OnHold && a.DueToday == b.DueToday
            && a.DueWithin24Hours == b.DueWithin24Hours && a.NextDueAt == b.NextDueAt && a.OldestOpenAt == b.OldestOpenAt
            && a.LoadScore.Equals(b.LoadScore) && a.DisposedLast7Days == b.DisposedLast7Days;

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }
    }
}
