using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers.Roster;

namespace Helpline.Officers.Routing;

/// <summary>
/// The Officers module's answer to the catalogue's question before a remap: would the category still find a seat
/// everywhere it is used? The places it routes to today are those of the current department's seats at the current
/// level; from each, the walk <see cref="RoutingService"/> makes (the place, then up to the root, taking a node at the
/// level or strictly above it) must meet a seat of the proposed department at the proposed level or above. A seat that
/// exists but is vacant counts as covered: vacancy is a posting matter, refused per registration.
/// </summary>
internal sealed class CategoryCoverage(IJurisdictionDirectory jurisdictions, OfficerDirectory officers) : ICategoryCoverage
{
    /// <summary>How many uncovered places the answer names.</summary>
    internal const int PlacesNamed = 5;

    public string? Uncovered(string categoryId, string fromDepartmentId, JurisdictionKind fromLevel, string toDepartmentId, JurisdictionKind toLevel)
    {
        var roster = officers.Current;
        var uncovered = new List<string>();
        var count = 0;
        foreach (var seat in roster.Positions
                     .Where(p => p.DepartmentId == fromDepartmentId)
                     .OrderBy(p => p.JurisdictionId, StringComparer.Ordinal))
        {
            var path = jurisdictions.PathToRoot(seat.JurisdictionId);
            if (path.Count == 0 || path[0].Kind != fromLevel || RoutingService.DefaultSeat(roster, path, toDepartmentId, toLevel) is not null)
            {
                continue;
            }

            count++;
            if (uncovered.Count < PlacesNamed)
            {
                uncovered.Add($"{path[0].Name} ({path[0].Id})");
            }
        }

        return count == 0
            ? null
            : $"{count} place(s) where '{categoryId}' is routed today would find no {toDepartmentId} seat at {toLevel} level or above, for example {string.Join(", ", uncovered)}.";
    }
}
