using Npgsql;

namespace Helpline.Platform.Events;

/// <summary>
/// The newest events this silo has read from the log, shared by the subscribers it leads. They mostly stand at the
/// same position: each reading the same rows cost PostgreSQL one read a subscriber (six, under load, for every batch of
/// events). A read this holds is answered from memory; one it does not goes to the database, and what comes back is
/// kept for the others.
/// </summary>
/// <remarks>
/// Holding a read's rows is safe because appends are serialised on the log's head until they commit: a read of the
/// events after position p that ended at q saw every event between them that will ever exist, and the log keeps them.
/// </remarks>
internal sealed class SharedEventReads
{
    // Enough for every subscriber within a few batches of the newest to find its next batch here.
    internal const int Kept = 4096;

    private readonly Lock _lock = new();

    // Every event after _after, up to the last one held, in position order.
    private List<IntegrationEvent> _events = [];
    private long _after;

    /// <summary>
    /// Up to <paramref name="max"/> events after position <paramref name="after"/>, in position order: from memory when
    /// it holds the next one (then perhaps fewer than the log has), otherwise read on <paramref name="connection"/>.
    /// </summary>
    public async Task<IReadOnlyList<IntegrationEvent>> ReadAfterAsync(NpgsqlConnection connection, Checkpoint after, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Held(after.Position, max) is { } held)
            {
                return held;
            }
        }

        var read = await EventStore.ReadAfterAsync(connection, after, max, cancellationToken);
        if (read.Count > 0)
        {
            lock (_lock)
            {
                Keep(after.Position, read);
            }
        }

        return read;
    }

    private List<IntegrationEvent>? Held(long after, int max)
    {
        if (_events.Count == 0 || after < _after || after >= _events[^1].Position)
        {
            return null;
        }

        // The first held event after the position.
        int first = 0, end = _events.Count;
        while (first < end)
        {
            var mid = (first + end) / 2;
            if (_events[mid].Position <= after)
            {
                first = mid + 1;
            }
            else
            {
                end = mid;
            }
        }

        return _events.GetRange(first, Math.Min(max, _events.Count - first));
    }

    // A read that goes on from the newest held event extends what is held; one that ends later than it replaces it;
    // one behind it (a subscriber catching up on old events) leaves the newest events for the others.
    private void Keep(long after, IReadOnlyList<IntegrationEvent> read)
    {
        var heldLast = _events.Count > 0 ? _events[^1].Position : long.MinValue;
        if (after == heldLast)
        {
            var joined = new List<IntegrationEvent>(_events.Count + read.Count);
            joined.AddRange(_events);
            joined.AddRange(read);
            Trim(joined, _after);
        }
        else if (read[^1].Position > heldLast)
        {
            Trim([.. read], after);
        }
    }

    private void Trim(List<IntegrationEvent> events, long after)
    {
        if (events.Count > Kept)
        {
            var drop = events.Count - Kept;
            after = events[drop - 1].Position;
            events.RemoveRange(0, drop);
        }

        // A new list each time: a batch handed out earlier is a range copied from the old one and never changes.
        _events = events;
        _after = after;
    }
}
