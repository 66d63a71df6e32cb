using System.Collections.Frozen;
using System.Collections.ObjectModel;

namespace Helpline.Officers.Roster;

/// <summary>An immutable snapshot of positions and officers, indexed for the directory and for routing.</summary>
internal sealed class OfficerRoster
{
    private readonly FrozenDictionary<string, Position> _positions;
    private readonly FrozenDictionary<string, Officer> _officers;
    private readonly FrozenDictionary<string, Officer> _holders;
    private readonly FrozenDictionary<string, ReadOnlyCollection<Position>> _byJurisdiction;
    private readonly FrozenDictionary<(string DepartmentId, string JurisdictionId), Position> _seats;
    private readonly FrozenDictionary<string, ReadOnlyCollection<Position>> _subordinates;

    private OfficerRoster(IEnumerable<Position> positions, IEnumerable<Officer> officers)
    {
        _positions = positions.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        _officers = officers.ToFrozenDictionary(o => o.Id, StringComparer.Ordinal);

        // One holder per seat is enforced by the database; should two ever appear, the lower id wins.
        _holders = _officers.Values
            .GroupBy(o => o.PositionId, StringComparer.Ordinal)
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
    }

    internal static OfficerRoster Empty { get; } = new([], []);

    internal int PositionCount => _positions.Count;

    internal int OfficerCount => _officers.Count;

    internal IEnumerable<Position> Positions => _positions.Values;

    internal IEnumerable<Officer> Officers => _officers.Values;

    internal static OfficerRoster Build(IEnumerable<Position> positions, IEnumerable<Officer> officers) => new(positions, officers);

    internal Position? FindPosition(string positionId) => _positions.GetValueOrDefault(positionId);

    internal Officer? FindOfficer(string officerId) => _officers.GetValueOrDefault(officerId);

    internal Officer? HolderOf(string positionId) => _holders.GetValueOrDefault(positionId);

    /// <summary>The department's seat at exactly this jurisdiction, or null.</summary>
    internal Position? SeatOf(string departmentId, string jurisdictionId) => _seats.GetValueOrDefault((departmentId, jurisdictionId));

    internal IReadOnlyList<Position> SubordinatesOf(string positionId) =>
        _subordinates.TryGetValue(positionId, out var list) ? list : ReadOnlyCollection<Position>.Empty;

    internal IReadOnlyList<Position> PositionsAt(string jurisdictionId) =>
        _byJurisdiction.TryGetValue(jurisdictionId, out var list) ? list : ReadOnlyCollection<Position>.Empty;
}
