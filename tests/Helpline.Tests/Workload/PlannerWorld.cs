using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Officers.Workload;
using Helpline.Workload.Boards;

namespace Helpline.Tests.Workload;

/// <summary>
/// A small district for rebalancing rules: district D with tehsils T1 and T2 (T1 has village V1). Seats: a revenue pool
/// at T1, a revenue seat at T2, a health seat at T1, and the district's revenue seat above them.
/// </summary>
internal sealed class PlannerWorld : IOfficerDirectory, IJurisdictionDirectory
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero); // 11:30 IST

    private readonly Dictionary<string, Jurisdiction> _places = new(StringComparer.Ordinal)
    {
        ["district:D"] = new("district:D", "D", JurisdictionKind.District, null, null),
        ["tehsil:T1"] = new("tehsil:T1", "T1", JurisdictionKind.Tehsil, "district:D", null),
        ["tehsil:T2"] = new("tehsil:T2", "T2", JurisdictionKind.Tehsil, "district:D", null),
        ["village:V1"] = new("village:V1", "V1", JurisdictionKind.Village, "tehsil:T1", null),
    };

    private readonly Dictionary<string, Position> _seats = new(StringComparer.Ordinal)
    {
        ["revenue@tehsil:T1"] = new("revenue@tehsil:T1", "Naib Tehsildar", "revenue", "tehsil:T1", "revenue@district:D", null, 20),
        ["revenue@tehsil:T2"] = new("revenue@tehsil:T2", "Tehsildar", "revenue", "tehsil:T2", "revenue@district:D"),
        ["health@tehsil:T1"] = new("health@tehsil:T1", "Medical Officer", "health", "tehsil:T1", null),
        ["revenue@district:D"] = new("revenue@district:D", "ADM", "revenue", "district:D", null),
    };

    private int _serial;

    public TeamMember Member(string officerId, string seat, int capacity = 20, bool onLeave = false, params TrackedGrievance[] open) =>
        new(new Officer(officerId, officerId, "9999000001", seat), _seats[seat], capacity, onLeave, open);

    /// <summary>Open grievances at a seat, of the seat's department, raised in <paramref name="place"/>.</summary>
    public TrackedGrievance[] Open(string seat, int count, string place = "village:V1", Urgency urgency = Urgency.Open)
    {
        var s = _seats[seat];
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var n = ++_serial;
            var due = urgency switch
            {
                Urgency.Overdue => Now.AddHours(-n),
                Urgency.DueToday => Now.AddHours(1).AddMinutes(n),
                _ => Now.AddDays(3).AddMinutes(n),
            };
            DateTimeOffset? atRisk = urgency == Urgency.AtRisk ? Now.AddMinutes(-n) : due.AddDays(-1);
            return new TrackedGrievance(
                $"g:{n}", $"26{n:D10}", due, true, atRisk, urgency == Urgency.OnHold, false, seat, 1, s.DepartmentId, "cat", place, Now.AddDays(-5));
        })];
    }

    IReadOnlyList<Jurisdiction> IJurisdictionDirectory.Roots => [_places["district:D"]];

    public Jurisdiction? Find(string id) => _places.GetValueOrDefault(id);

    public IReadOnlyList<Jurisdiction> ChildrenOf(string id) => [.. _places.Values.Where(p => p.ParentId == id)];

    public IReadOnlyList<Jurisdiction> PathToRoot(string id)
    {
        var path = new List<Jurisdiction>();
        for (var at = Find(id); at is not null; at = at.ParentId is { } parent ? Find(parent) : null)
        {
            path.Add(at);
        }

        return path;
    }

    public bool IsWithin(string id, string ancestorId) => PathToRoot(id).Any(j => j.Id == ancestorId);

    public Position? FindPosition(string positionId) => _seats.GetValueOrDefault(positionId);

    public Officer? FindOfficer(string officerId) => throw new NotSupportedException();

    public Officer? HolderOf(string positionId) => throw new NotSupportedException();

    public Officer? PostedHolderOf(string positionId) => throw new NotSupportedException();

    public bool Serves(string officerId, string positionId) => throw new NotSupportedException();

    public IReadOnlyList<PoolMember> MembersOf(string positionId) => throw new NotSupportedException();

    public Assignment? SupervisorOf(string positionId) => throw new NotSupportedException();

    public IReadOnlyList<Position> PositionsAt(string jurisdictionId) => throw new NotSupportedException();

    public IReadOnlyList<Position> SubordinatesOf(string positionId) => throw new NotSupportedException();
}
