namespace Helpline.Officers.Roster;

/// <summary>
/// The in-memory <see cref="IOfficerDirectory"/>: one immutable <see cref="OfficerRoster"/> read from the database and
/// swapped in whole by the loader. Empty until the first load.
/// </summary>
internal sealed class OfficerDirectory : IOfficerDirectory
{
    private OfficerRoster _roster = OfficerRoster.Empty;

    /// <summary>The current snapshot; take it once when making several lookups.</summary>
    internal OfficerRoster Current => Volatile.Read(ref _roster);

    public Officer? FindOfficer(string officerId) => officerId is null ? null : Current.FindOfficer(officerId);

    public Position? FindPosition(string positionId) => positionId is null ? null : Current.FindPosition(positionId);

    public Officer? HolderOf(string positionId) => positionId is null ? null : Current.HolderOf(positionId);

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

    /// <summary>Publishes a new snapshot atomically.</summary>
    internal void Replace(OfficerRoster roster) => Volatile.Write(ref _roster, roster);
}
