using Helpline.Officers.Postings;

namespace Helpline.Officers.Roster;

/// <summary>
/// The in-memory <see cref="IOfficerDirectory"/>: one immutable <see cref="OfficerRoster"/> read from the database and
/// swapped in whole by the loader, the roster registry and the posting administration. Empty until the first load.
/// Who acts for a seat is computed from the snapshot at the clock's instant, so a leave begins and ends on time without
/// a refresh.
/// </summary>
internal sealed class OfficerDirectory(TimeProvider? clock = null) : IOfficerDirectory
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private long _lastRead;
    private Published _published = new(OfficerRoster.Empty, 0, -1);

    /// <summary>The current snapshot; take it once when making several lookups.</summary>
    internal OfficerRoster Current => Volatile.Read(ref _published).Roster;

    /// <summary>The event-log position through which <see cref="Current"/> holds every roster change; -1 when not read from the database.</summary>
    internal long HeldThrough => Volatile.Read(ref _published).SeenThrough;

    public Officer? FindOfficer(string officerId) => officerId is null ? null : Current.FindOfficer(officerId);

    public Position? FindPosition(string positionId) => positionId is null ? null : Current.FindPosition(positionId);

    /// <summary>The instant the directory answers for: the clock's now.</summary>
    internal DateTimeOffset Now => _clock.GetUtcNow();

    public Officer? HolderOf(string positionId) => positionId is null ? null : Current.HolderOf(positionId, Now);

    public Officer? PostedHolderOf(string positionId) => positionId is null ? null : Current.PostedHolderOf(positionId);

    public bool Serves(string officerId, string positionId)
    {
        if (officerId is null || positionId is null)
        {
            return false;
        }

        return Current.Serves(officerId, positionId, Now);
    }

    public IReadOnlyList<PoolMember> MembersOf(string positionId) => positionId is null ? [] : Current.MembersOf(positionId, Now);

    /// <summary>The officer's leave in force now, or null.</summary>
    internal OfficerLeave? LeaveInForce(string officerId) => officerId is null ? null : Current.LeaveInForce(officerId, Now);

    /// <summary>The seats whose charge the officer holds now.</summary>
    internal IReadOnlyList<Position> ChargesHeldBy(string officerId) => officerId is null ? [] : Current.ChargesHeldBy(officerId, Now);

    /// <summary>
    /// The supervisor seat and who acts for it now (its holder, or the charge officer while the holder is on leave).
    /// When the supervisor seat is vacant with no charge, the chain is followed further up to the nearest seat someone
    /// acts for, so an escalation always reaches a person; null when there is none above (or at the top).
    /// </summary>
    public Assignment? SupervisorOf(string positionId)
    {
        if (positionId is null)
        {
            return null;
        }

        var roster = Current;
        var now = Now;
        var position = roster.FindPosition(positionId);
        var seen = new HashSet<string>(StringComparer.Ordinal) { positionId };
        while (position?.SupervisorPositionId is { } supervisorId && seen.Add(supervisorId))
        {
            position = roster.FindPosition(supervisorId);
            if (position is not null && roster.HolderOf(position.Id, now) is { } holder)
            {
                return new Assignment(position, holder);
            }
        }

        return null;
    }

    public IReadOnlyList<Position> PositionsAt(string jurisdictionId) => jurisdictionId is null ? [] : Current.PositionsAt(jurisdictionId);

    public IReadOnlyList<Position> SubordinatesOf(string positionId) => positionId is null ? [] : Current.SubordinatesOf(positionId);

    /// <summary>
    /// Reads the whole roster from the database and publishes it. Concurrent refreshes are safe: a read from an earlier
    /// snapshot (one that saw an earlier log head, or the same head and started earlier) never replaces a later one, so
    /// once this returns the directory holds everything committed before it was called, and
    /// <see cref="HeldThrough"/> never goes back.
    /// </summary>
    /// <returns>The roster read (the published one, unless a later read has already been published).</returns>
    internal async Task<OfficerRoster> RefreshAsync(RosterStore store, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _lastRead);
        var (roster, seenThrough) = await store.ReadAsync(cancellationToken);
        Publish(roster, sequence, seenThrough);
        return roster;
    }

    /// <summary>
    /// Adds seats and officers this silo has just stored to its copy without reading the roster again, when the copy
    /// holds every roster change before theirs (through <paramref name="previous"/>): the copy then holds every change
    /// through <paramref name="position"/>. True when the directory holds the change afterwards (added, or read already
    /// by a later refresh); false when the copy misses an earlier change or disagrees with the rows, and only a refresh
    /// brings it up to date.
    /// </summary>
    internal bool TryAdd(long previous, long position, IReadOnlyList<Position> positions, IReadOnlyList<Officer> officers)
    {
        while (true)
        {
            var current = Volatile.Read(ref _published);
            if (current.SeenThrough >= position)
            {
                return true;
            }

            // The copy must also agree with what the store found: seats new to it, and the seats given a holder known
            // and vacant. Rows changed in the tables without a published change (by hand) would otherwise stay unseen.
            var roster = current.Roster;
            if (current.SeenThrough < previous
                || positions.Any(p => roster.FindPosition(p.Id) is not null)
                || officers.Any(o => roster.FindOfficer(o.Id) is not null || (o.PositionId is { } seat && !VacantOrAdded(roster, seat, positions))))
            {
                return false;
            }

            var next = new Published(roster.With(positions, officers), Interlocked.Increment(ref _lastRead), position);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _published, next, current), current))
            {
                return true;
            }
        }
    }

    private static bool VacantOrAdded(OfficerRoster roster, string seat, IReadOnlyList<Position> added) =>
        roster.FindPosition(seat) is not null ? roster.PostedHolderOf(seat) is null : added.Any(p => p.Id == seat);

    /// <summary>Swaps in a roster built elsewhere (tests) at once. It is not known to hold any change, so the next read from the database replaces it.</summary>
    internal void Publish(OfficerRoster roster) => Volatile.Write(ref _published, new Published(roster, Interlocked.Increment(ref _lastRead), -1));

    /// <summary>Swaps in <paramref name="roster"/> atomically unless a later read is already published.</summary>
    private void Publish(OfficerRoster roster, long sequence, long seenThrough)
    {
        var fresh = new Published(roster, sequence, seenThrough);
        while (true)
        {
            // A snapshot that saw a later head was taken later, so it holds all an earlier one held: order by the head
            // first. Ordering by start alone could let a read that started later but took its snapshot earlier take
            // back a change the follower has already skipped as held.
            var current = Volatile.Read(ref _published);
            var later = current.SeenThrough > seenThrough || (current.SeenThrough == seenThrough && current.Sequence > sequence);
            if (later || ReferenceEquals(Interlocked.CompareExchange(ref _published, fresh, current), current))
            {
                return;
            }
        }
    }

    private sealed record Published(OfficerRoster Roster, long Sequence, long SeenThrough);
}
