using System.Collections.Immutable;
using Helpline.Grievances.Events;
using Helpline.Jurisdictions;
using Helpline.Platform.Access;
using Helpline.Platform.Events;

namespace Helpline.Feed.Live;

/// <summary>A grievance event as it is committed, with where it happened (for scope checks).</summary>
internal sealed record LiveGrievanceEvent(FeedEntry Entry, GrievanceCoordinates Coordinates)
{
    public GrievanceEvent Event => Entry.Event;
}

/// <summary>
/// Live grievance events for subscriptions on this silo. Each event of the log is read and placed once, however many
/// watch, then offered to every watcher's filter.
/// </summary>
internal sealed class LiveGrievanceFeed(ILiveEventFeed feed, IJurisdictionDirectory places)
{
    private readonly Lock _gate = new();
    private ImmutableArray<Watch> _watches = [];
    private IDisposable? _listening;

    /// <summary>How many watch now (for diagnosis and tests).</summary>
    public int WatchCount => _watches.Length;

    public ValueTask EnsureTailingAsync(CancellationToken cancellationToken) => feed.EnsureTailingAsync(cancellationToken);

    /// <summary>The events <paramref name="wanted"/> accepts, from the moment a subscriber subscribes.</summary>
    public IObservable<FeedEntry> Follow(Func<LiveGrievanceEvent, bool> wanted) => new Source(this, wanted);

    private void OnBatch(IReadOnlyList<IntegrationEvent> batch)
    {
        var watches = _watches;
        if (watches.IsEmpty)
        {
            return;
        }

        var events = batch.Where(e => e.Stream == GrievanceEvents.Stream).Select(Place).ToArray();
        foreach (var watch in watches)
        {
            foreach (var e in events)
            {
                if (watch.Wanted(e))
                {
                    watch.Observer.OnNext(e.Entry);
                }
            }
        }
    }

    private LiveGrievanceEvent Place(IntegrationEvent e)
    {
        var g = GrievanceEvents.Read(e);
        var path = g.JurisdictionId is { } place ? places.PathToRoot(place).Select(j => j.Id).ToArray() : [];
        return new LiveGrievanceEvent(
            new FeedEntry(e.Position, g, 1),
            new GrievanceCoordinates(g.DepartmentId ?? string.Empty, path.Length > 0 ? path : [g.JurisdictionId ?? string.Empty], g.PositionId ?? string.Empty, g.OfficerId ?? string.Empty));
    }

    private void Add(Watch watch)
    {
        lock (_gate)
        {
            _watches = _watches.Add(watch);
            _listening ??= feed.Listen(OnBatch);
        }
    }

    // The last watcher gone, stop listening, so that the silo's tail can go idle instead of reading the log for nobody.
    private void Remove(Watch watch)
    {
        lock (_gate)
        {
            _watches = _watches.Remove(watch);
            if (_watches.IsEmpty)
            {
                _listening?.Dispose();
                _listening = null;
            }
        }
    }

    private sealed record Watch(Func<LiveGrievanceEvent, bool> Wanted, IObserver<FeedEntry> Observer);

    private sealed class Source(LiveGrievanceFeed owner, Func<LiveGrievanceEvent, bool> wanted) : IObservable<FeedEntry>
    {
        public IDisposable Subscribe(IObserver<FeedEntry> observer)
        {
            var watch = new Watch(wanted, observer);
            owner.Add(watch);
            return new Unsubscriber(() => owner.Remove(watch));
        }
    }

    private sealed class Unsubscriber(Action remove) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                remove();
            }
        }
    }
}
