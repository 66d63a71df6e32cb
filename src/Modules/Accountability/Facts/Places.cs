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

    /// <summary>
    /// The supervisor's seat and the officer holding it now; nulls at the top of the chain. A seat above held by
    /// <paramref name="officerId"/> themself (its charge during a leave) is passed over: nobody answers for themself.
    /// </summary>
    public (string? PositionId, string? OfficerId) SupervisorOf(string? positionId, string? officerId = null)
    {
        var above = positionId is null ? null : officers.SupervisorOf(positionId);
        while (above is not null && officerId is not null && (above.Officer.Id == officerId || officers.Serves(officerId, above.Position.Id)))
        {
            above = officers.SupervisorOf(above.Position.Id);
        }

        return above is null ? (null, null) : (above.Position.Id, above.Officer.Id);
    }

    /// <summary>Whether <paramref name="officerId"/> holds, or acts for, the seat now above <paramref name="positionId"/>.</summary>
    public bool Supervises(string officerId, string positionId) =>
        officers.SupervisorOf(positionId) is { } above && (above.Officer.Id == officerId || officers.Serves(officerId, above.Position.Id));

    /// <summary>Whether the seat is one the directory knows.</summary>
    public bool Knows(string positionId) => officers.FindPosition(positionId) is not null;

    /// <summary>The seat's jurisdiction, if the seat is known.</summary>
    public string? JurisdictionOf(string? positionId) => positionId is null ? null : officers.FindPosition(positionId)?.JurisdictionId;

    /// <summary>The seat's department, if the seat is known.</summary>
    public string? DepartmentOf(string positionId) => officers.FindPosition(positionId)?.DepartmentId;
}
