using System.Collections.Frozen;
using System.Collections.ObjectModel;
using Helpline.Officers.Postings;

namespace Helpline.Officers.Roster;

/// <summary>
/// An immutable snapshot of positions, officers and leave, indexed for the directory and for routing. Who acts for a
/// seat depends on the instant asked about (leave begins and ends by the clock), so those lookups take it.
/// </summary>
internal sealed class OfficerRoster
{
    private readonly FrozenDictionary<string, Position> _positions;
    private readonly FrozenDictionary<string, Officer> _officers;
    private readonly FrozenDictionary<string, Officer> _holders;
    private readonly FrozenDictionary<string, ReadOnlyCollection<Position>> _byJurisdiction;
    private readonly FrozenDictionary<(string DepartmentId, string JurisdictionId), Position> _seats;
    private readonly FrozenDictionary<string, ReadOnlyCollection<Position>> _subordinates;
    private readonly FrozenDictionary<string, OfficerLeave[]> _leavesOf;
    private readonly FrozenDictionary<string, OfficerLeave[]> _chargesOf;

    private OfficerRoster(IEnumerable<Position> positions, IEnumerable<Officer> officers, IEnumerable<OfficerLeave> leaves)
    {
        _positions = positions.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        _officers = officers.ToFrozenDictionary(o => o.Id, StringComparer.Ordinal);

        // One holder per seat is enforced by the database; should two ever appear, the lower id wins.
        _holders = _officers.Values
            .Where(o => o.PositionId is not null)
            .GroupBy(o => o.PositionId!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.MinBy(o => o.Id, StringComparer.Ordinal)!, StringComparer.Ordinal);
        _byJurisdiction = _positions.Values
            .GroupBy(p => p.JurisdictionId, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.OrderBy(p => p.DepartmentId, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal).ToList().AsReadOnly(),
                StringComparer.Ordinal);
        _seats = _positions.Values
            .GroupBy(p => (p.DepartmentId, p.JurisdictionId))
            .ToFrozenDictionary(g => g.Key, g => g.MinBy(p => p.Id, StringComparer.Ordinal)!);
        _subordinates = _positions.Values
            .Where(p => p.SupervisorPositionId is not null)
            .GroupBy(p => p.SupervisorPositionId!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(p => p.Id, StringComparer.Ordinal).ToList().AsReadOnly(), StringComparer.Ordinal);
        var live = leaves.Where(l => !l.Cancelled).OrderBy(l => l.StartsAt).ToList();
        _leavesOf = live.GroupBy(l => l.OfficerId, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _chargesOf = live.GroupBy(l => l.ChargeOfficerId, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    internal static OfficerRoster Empty { get; } = new([], [], []);

    internal int PositionCount => _positions.Count;

    internal int OfficerCount => _officers.Count;

    internal IEnumerable<Position> Positions => _positions.Values;

    internal IEnumerable<Officer> Officers => _officers.Values;

    internal static OfficerRoster Build(IEnumerable<Position> positions, IEnumerable<Officer> officers, IEnumerable<OfficerLeave>? leaves = null) =>
        new(positions, officers, leaves ?? []);

    internal Position? FindPosition(string positionId) => _positions.GetValueOrDefault(positionId);

    internal Officer? FindOfficer(string officerId) => _officers.GetValueOrDefault(officerId);

    /// <summary>The officer posted to the seat (on leave or not), or null.</summary>
    internal Officer? PostedHolderOf(string positionId) => _holders.GetValueOrDefault(positionId);

    /// <summary>The officers posted to the seat with their capacity and whether on leave at <paramref name="at"/>, by id.</summary>
    internal IReadOnlyList<PoolMember> MembersOf(string positionId, DateTimeOffset at)
    {
        if (PostedHolderOf(positionId) is not { } posted)
        {
            return [];
        }

        var capacity = posted.Capacity ?? FindPosition(positionId)?.PoolCapacity ?? PoolDefaults.Capacity;
        return [new PoolMember(posted, capacity, LeaveInForce(posted.Id, at) is not null)];
    }

    /// <summary>The officer's leave in force at <paramref name="at"/>, or null.</summary>
    internal OfficerLeave? LeaveInForce(string officerId, DateTimeOffset at) =>
        _leavesOf.TryGetValue(officerId, out var leaves) ? Array.Find(leaves, l => l.InForceAt(at)) : null;

    /// <summary>
    /// Who acts for the seat at <paramref name="at"/>: the charge officer while the posted holder's leave is in force,
    /// else the posted holder, else null.
    /// </summary>
    internal Officer? HolderOf(string positionId, DateTimeOffset at)
    {
        if (PostedHolderOf(positionId) is not { } posted)
        {
            return null;
        }

        return LeaveInForce(posted.Id, at) is { } leave && FindOfficer(leave.ChargeOfficerId) is { } charge ? charge : posted;
    }

    /// <summary>The seats whose charge <paramref name="officerId"/> holds at <paramref name="at"/> (their holders are on leave).</summary>
    internal IReadOnlyList<Position> ChargesHeldBy(string officerId, DateTimeOffset at) =>
        _chargesOf.TryGetValue(officerId, out var leaves)
            ? [.. leaves.Where(l => l.InForceAt(at))
                .Select(l => FindOfficer(l.OfficerId)?.PositionId is { } seat ? FindPosition(seat) : null)
                .OfType<Position>()]
            : [];

    /// <summary>The department's seat at exactly this jurisdiction, or null.</summary>
    internal Position? SeatOf(string departmentId, string jurisdictionId) => _seats.GetValueOrDefault((departmentId, jurisdictionId));

    internal IReadOnlyList<Position> SubordinatesOf(string positionId) =>
        _subordinates.TryGetValue(positionId, out var list) ? list : ReadOnlyCollection<Position>.Empty;

    internal IReadOnlyList<Position> PositionsAt(string jurisdictionId) =>
        _byJurisdiction.TryGetValue(jurisdictionId, out var list) ? list : ReadOnlyCollection<Position>.Empty;
}
