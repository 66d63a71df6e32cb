namespace Helpline.Officers.Roster;

/// <summary>
/// The in-memory <see cref="IOfficerDirectory"/>: one immutable <see cref="OfficerRoster"/> read from the database and
/// swapped in whole by the loader and the roster registry. Empty until the first load.
/// </summary>
internal sealed class OfficerDirectory : IOfficerDirectory
{
    private long _lastRead;
    private Published _published = new(OfficerRoster.Empty, 0);

    /// <summary>The current snapshot; take it once when making several lookups.</summary>
    internal OfficerRoster Current => Volatile.Read(ref _published).Roster;

    public Officer? FindOfficer(string officerId) => officerId is null ? null : Current.FindOfficer(officerId);

    public Position? FindPosition(string positionId) => positionId is null ? null : Current.FindPosition(positionId);

    public Officer? HolderOf(string positionId) => positionId is null ? null : Current.HolderOf(positionId);

    public Officer? PostedHolderOf(string positionId) => positionId is null ? null : Current.HolderOf(positionId);

    public bool Serves(string officerId, string positionId) =>
        officerId is not null && positionId is not null && Current.HolderOf(positionId)?.Id == officerId;

    /// <summary>
    /// The supervisor seat and its holder. When the supervisor seat is vacant, the chain is followed further up to the
    /// nearest held seat, so an escalation always reaches a person; null when no seat above is held (or at the top).
    /// </summary>
    public Assignment? SupervisorOf(string positionId)
    {
        if (positionId is null)
        {
            return null;
        }

        var roster = Current;
        var position = roster.FindPosition(positionId);
        var seen = new HashSet<string>(StringComparer.Ordinal) { positionId };
        while (position?.SupervisorPositionId is { } supervisorId && seen.Add(supervisorId))
        {
            position = roster.FindPosition(supervisorId);
            if (position is not null && roster.HolderOf(position.Id) is { } holder)
            {
                return new Assignment(position, holder);
            }
        }

        return null;
    }

    public IReadOnlyList<Position> PositionsAt(string jurisdictionId) => jurisdictionId is null ? [] : Current.PositionsAt(jurisdictionId);

    public IReadOnlyList<Position> SubordinatesOf(string positionId) => positionId is null ? [] : Current.SubordinatesOf(positionId);

    /// <summary>
    /// Reads the whole roster from the database and publishes it. Concurrent refreshes are safe: a read that started
    /// earlier never replaces one that started later, so once this returns the directory holds everything committed
    /// before it was called.
    /// </summary>
    /// <returns>The roster read (the published one, unless a later read has already been published).</returns>
    internal async Task<OfficerRoster> RefreshAsync(RosterStore store, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _lastRead);
        var roster = await store.ReadAsync(cancellationToken);
        Publish(roster, sequence);
        return roster;
    }

    /// <summary>Swaps in <paramref name="roster"/> atomically unless a read that started later is already published.</summary>
    private void Publish(OfficerRoster roster, long sequence)
    {
        var fresh = new Published(roster, sequence);
        while (true)
        {
            var current = Volatile.Read(ref _published);
            if (current.Sequence > sequence || ReferenceEquals(Interlocked.CompareExchange(ref _published, fresh, current), current))
            {
                return;
            }
        }
    }

    private sealed record Published(OfficerRoster Roster, long Sequence);
}
