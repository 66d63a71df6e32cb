using System.Collections.Concurrent;
using Helpline.Jurisdictions;
using Helpline.Officers;

namespace Helpline.Accountability.Facts;

/// <summary>Where a grievance lies, as rankings group it: its district, tehsil and block (each null when it lies in none).</summary>
internal sealed record Units(string? DistrictId, string? TehsilId, string? BlockId);

/// <summary>The district, tehsil and block of a place, and the supervisor of a seat, as the facts record them.</summary>
internal sealed class Places(IJurisdictionDirectory places, IOfficerDirectory officers)
{
    // Places never change kind or parent while the service runs; a month holds a few thousand distinct ones.
    private readonly ConcurrentDictionary<string, Units> _units = new(StringComparer.Ordinal);

    public Units Of(string jurisdictionId) => _units.GetOrAdd(jurisdictionId, id =>
    {
        var path = places.PathToRoot(id);
        string? Kind(JurisdictionKind k) => path.FirstOrDefault(j => j.Kind == k)?.Id;

        // An imported city stands for its own district.
        return new Units(Kind(JurisdictionKind.District) ?? Kind(JurisdictionKind.City), Kind(JurisdictionKind.Tehsil), Kind(JurisdictionKind.Block));
    });

    /// <summary>The seat's path to the root of its jurisdiction tree (for scope filters).</summary>
    public string[] PathOf(string? jurisdictionId) =>
        jurisdictionId is null ? [] : [.. places.PathToRoot(jurisdictionId).Select(j => j.Id)];

    /// <summary>The supervisor's seat and the officer holding it now; nulls at the top of the chain.</summary>
    public (string? PositionId, string? OfficerId) SupervisorOf(string? positionId) =>
        positionId is not null && officers.SupervisorOf(positionId) is { } s ? (s.Position.Id, s.Officer.Id) : (null, null);

    /// <summary>The seat's jurisdiction, if the seat is known.</summary>
    public string? JurisdictionOf(string? positionId) => positionId is null ? null : officers.FindPosition(positionId)?.JurisdictionId;

    /// <summary>The seat's department, if the seat is known.</summary>
    public string? DepartmentOf(string positionId) => officers.FindPosition(positionId)?.DepartmentId;
}
