using System.Collections.ObjectModel;
using Helpline.Officers.Postings;

namespace Helpline.Officers.Roster;

/// <summary>
/// An immutable snapshot of positions, officers and leave, indexed for the directory and for routing. Who acts for a
/// seat depends on the instant asked about (leave begins and ends by the clock), so those lookups take it.
/// </summary>
internal sealed class OfficerRoster
{
    // Plain dictionaries, not frozen ones: the roster is rebuilt whole on every change on every silo, and an import
    // changes it every few seconds. Building frozen dictionaries took about 13 % of the service's CPU during the Boston
    // replay; what they save on lookups is a small part of a lookup that is itself a small part of routing.
    private readonly Dictionary<string, Position> _positions;
    private readonly Dictionary<string, Officer> _officers;
    private readonly Dictionary<string, Officer[]> _members;
    private readonly Dictionary<string, ReadOnlyCollection<Position>> _byJurisdiction;
    private readonly Dictionary<(string DepartmentId, string JurisdictionId), Position> _seats;
    private readonly Dictionary<string, ReadOnlyCollection<Position>> _subordinates;
    private readonly Dictionary<string, OfficerLeave[]> _leavesOf;
    private readonly Dictionary<string, OfficerLeave[]> _chargesOf;

    private OfficerRoster(IEnumerable<Position> positions, IEnumerable<Officer> officers, IEnumerable<OfficerLeave> leaves)
    {
        _positions = positions.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _officers = officers.ToDictionary(o => o.Id, StringComparer.Ordinal);

        // Everyone posted to each seat, by officer id: a pool's members, or a single seat's one holder (the database
        // refuses a second; should two ever appear, the lower id is the posted holder).
        _members = _officers.Values
            .Where(o => o.PositionId is not null)
            .GroupBy(o => o.PositionId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(o => o.Id, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        _byJurisdiction = _positions.Values
            .GroupBy(p => p.JurisdictionId, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderBy(p => p.DepartmentId, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal).ToList().AsReadOnly(),
                StringComparer.Ordinal);
        _seats = _positions.Values
            .GroupBy(p => (p.DepartmentId, p.JurisdictionId))
            .ToDictionary(g => g.Key, g => g.MinBy(p => p.Id, StringComparer.Ordinal)!);
        _subordinates = _positions.Values
            .Where(p => p.SupervisorPositionId is not null)
            .GroupBy(p => p.SupervisorPositionId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Id, StringComparer.Ordinal).ToList().AsReadOnly(), StringComparer.Ordinal);
        var live = leaves.Where(l => !l.Cancelled).OrderBy(l => l.StartsAt).ToList();
        _leavesOf = live.GroupBy(l => l.OfficerId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _chargesOf = live.GroupBy(l => l.ChargeOfficerId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    private OfficerRoster(OfficerRoster before, IReadOnlyList<Position> positions, IReadOnlyList<Officer> officers)
    {
        if (positions.Any(p => before._positions.ContainsKey(p.Id)) || officers.Any(o => before._officers.ContainsKey(o.Id)))
        {
            throw new ArgumentException("Only positions and officers the roster does not hold may be added; a changed row needs the whole build.");
        }

        _positions = new Dictionary<string, Position>(before._positions, StringComparer.Ordinal);
        foreach (var p in positions)
        {
            _positions.Add(p.Id, p);
        }

        _officers = new Dictionary<string, Officer>(before._officers, StringComparer.Ordinal);
        foreach (var o in officers)
        {
            _officers.Add(o.Id, o);
        }

        // Only the groups a new row joins are built again, each ordered as the whole build orders it.
        _members = new Dictionary<string, Officer[]>(before._members, StringComparer.Ordinal);
        foreach (var g in officers.Where(o => o.PositionId is not null).GroupBy(o => o.PositionId!, StringComparer.Ordinal))
        {
            _members[g.Key] = [.. _members.GetValueOrDefault(g.Key, []).Concat(g).OrderBy(o => o.Id, StringComparer.Ordinal)];
        }

        _byJurisdiction = new Dictionary<string, ReadOnlyCollection<Position>>(before._byJurisdiction, StringComparer.Ordinal);
        foreach (var g in positions.GroupBy(p => p.JurisdictionId, StringComparer.Ordinal))
        {
            _byJurisdiction[g.Key] = _byJurisdiction.GetValueOrDefault(g.Key, ReadOnlyCollection<Position>.Empty).Concat(g)
                .OrderBy(p => p.DepartmentId, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal).ToList().AsReadOnly();
        }

        _seats = new Dictionary<(string DepartmentId, string JurisdictionId), Position>(before._seats);
        foreach (var p in positions)
        {
            if (!_seats.TryGetValue((p.DepartmentId, p.JurisdictionId), out var seat) || string.CompareOrdinal(p.Id, seat.Id) < 0)
            {
                _seats[(p.DepartmentId, p.JurisdictionId)] = p;
            }
        }

        _subordinates = new Dictionary<string, ReadOnlyCollection<Position>>(before._subordinates, StringComparer.Ordinal);
        foreach (var g in positions.Where(p => p.SupervisorPositionId is not null).GroupBy(p => p.SupervisorPositionId!, StringComparer.Ordinal))
        {
            _subordinates[g.Key] = _subordinates.GetValueOrDefault(g.Key, ReadOnlyCollection<Position>.Empty).Concat(g)
                .OrderBy(p => p.Id, StringComparer.Ordinal).ToList().AsReadOnly();
        }

        _leavesOf = before._leavesOf;
        _chargesOf = before._chargesOf;
    }

    internal static OfficerRoster Empty { get; } = new([], [], []);

    internal int PositionCount => _positions.Count;

    internal int OfficerCount => _officers.Count;

    internal IEnumerable<Position> Positions => _positions.Values;

    internal IEnumerable<Officer> Officers => _officers.Values;

    internal static OfficerRoster Build(IEnumerable<Position> positions, IEnumerable<Officer> officers, IEnumerable<OfficerLeave>? leaves = null) =>
        new(positions, officers, leaves ?? []);

    /// <summary>
    /// This roster with seats it does not hold yet and officers added, as <see cref="Build"/> would make it from all of
    /// them: for a change whose rows are known without reading the rest again. Leave is kept as it is.
    /// </summary>
    /// <exception cref="ArgumentException">A position or officer is held already.</exception>
    internal OfficerRoster With(IReadOnlyList<Position> positions, IReadOnlyList<Officer> officers) => new(this, positions, officers);

    internal Position? FindPosition(string positionId) => _positions.GetValueOrDefault(positionId);

    internal Officer? FindOfficer(string officerId) => _officers.GetValueOrDefault(officerId);

    /// <summary>
    /// The officer posted to the seat (on leave or not), or null. For a pool: its first member by officer id, whom
    /// callers that know one holder per seat (the public directory, <c>Position.postedHolder</c>) are shown.
    /// </summary>
    internal Officer? PostedHolderOf(string positionId) => _members.TryGetValue(positionId, out var members) ? members[0] : null;

    /// <summary>
    /// Every officer posted to the seat, by id, with their capacity (their own, else the seat's pool capacity, else
    /// <see cref="PoolDefaults.Capacity"/>) and whether a leave of theirs is in force at <paramref name="at"/>.
    /// </summary>
    internal IReadOnlyList<PoolMember> MembersOf(string positionId, DateTimeOffset at)
    {
        if (!_members.TryGetValue(positionId, out var members))
        {
            return [];
        }

        var poolCapacity = FindPosition(positionId)?.PoolCapacity;
        return [.. members.Select(o => new PoolMember(o, o.Capacity ?? poolCapacity ?? PoolDefaults.Capacity, LeaveInForce(o.Id, at) is not null))];
    }

    /// <summary>The officer's leave in force at <paramref name="at"/>, or null.</summary>
    internal OfficerLeave? LeaveInForce(string officerId, DateTimeOffset at) =>
        _leavesOf.TryGetValue(officerId, out var leaves) ? Array.Find(leaves, l => l.InForceAt(at)) : null;

    /// <summary>
    /// Who acts for the seat at <paramref name="at"/>. A single seat: the charge officer while the posted holder's
    /// leave is in force, else the posted holder, else null. A pool: its first member by id not on leave; when every
    /// member is on leave, the charge officer of the first (so a caller that needs one person gets one); null when
    /// nobody is posted. Who of a pool gets a new grievance is <see cref="IPoolAssignment"/>'s to choose.
    /// </summary>
    internal Officer? HolderOf(string positionId, DateTimeOffset at)
    {
        if (!_members.TryGetValue(positionId, out var members))
        {
            return null;
        }

        if (FindPosition(positionId)?.IsPool == true && Array.Find(members, m => LeaveInForce(m.Id, at) is null) is { } available)
        {
            return available;
        }

        var first = members[0];
        return LeaveInForce(first.Id, at) is { } leave && FindOfficer(leave.ChargeOfficerId) is { } charge ? charge : first;
    }

    /// <summary>
    /// Whether the officer serves the seat at <paramref name="at"/>: its posted holder or whoever acts for it; for a
    /// pool, any member, or the charge officer of a member on leave.
    /// </summary>
    internal bool Serves(string officerId, string positionId, DateTimeOffset at)
    {
        if (!_members.TryGetValue(positionId, out var members))
        {
            return false;
        }

        if (FindPosition(positionId)?.IsPool != true)
        {
            return members[0].Id == officerId || HolderOf(positionId, at)?.Id == officerId;
        }

        return Array.Exists(members, m => m.Id == officerId || LeaveInForce(m.Id, at)?.ChargeOfficerId == officerId);
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
