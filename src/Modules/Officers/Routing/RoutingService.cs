using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers.Roster;
using Helpline.Platform.Errors;

namespace Helpline.Officers.Routing;

/// <summary>
/// Finds the L1 seat for a category in a jurisdiction: walking from the jurisdiction to the root, the first node that
/// is at the category's resolution level, or strictly above it, and has a seat of the category's department.
/// Nodes below the level, and nodes beside it (a block or an urban local body for a tehsil matter), are passed over,
/// so a district given for a block matter goes to the district seat and a block given for a tehsil matter goes to the
/// district seat too. The seat goes to whoever acts for it now (the holder, or the charge officer while the holder is on
/// leave); a seat with nobody posted and no charge, or no seat on the way up, is <see cref="OfficerErrorCodes.NoRoute"/>.
/// </summary>
internal sealed class RoutingService(ICatalogue catalogue, IJurisdictionDirectory jurisdictions, OfficerDirectory officers) : IRoutingService
{
    public Assignment Route(string categoryId, string jurisdictionId)
    {
        var category = (string.IsNullOrWhiteSpace(categoryId) ? null : catalogue.FindCategory(categoryId))
            ?? throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has the id '{categoryId}'.", "categoryId");
        var path = string.IsNullOrWhiteSpace(jurisdictionId) ? [] : jurisdictions.PathToRoot(jurisdictionId);
        if (path.Count == 0)
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has the id '{jurisdictionId}'.", "jurisdictionId");
        }

        var roster = officers.Current;
        var level = category.ResolutionLevel;
        var levelRank = Rank(level);
        foreach (var node in path)
        {
            if (node.Kind != level && Rank(node.Kind) >= levelRank)
            {
                continue;
            }

            if (roster.SeatOf(category.DepartmentId, node.Id) is not { } seat)
            {
                continue;
            }

            var holder = roster.HolderOf(seat.Id, officers.Now)
                ?? throw new HelplineException(
                    OfficerErrorCodes.NoRoute,
                    $"The {seat.Title} seat ({seat.Id}) that handles '{category.Id}' in '{jurisdictionId}' has nobody posted and no officer holding its charge, so the registration cannot be routed; the seat is reported among the vacant positions.",
                    "jurisdictionId");
            return new Assignment(seat, holder);
        }

        throw new HelplineException(
            OfficerErrorCodes.NoRoute,
            $"Department '{category.DepartmentId}' has no seat at {level} level or above for '{jurisdictionId}', so category '{category.Id}' cannot be routed there.",
            "jurisdictionId");
    }

    /// <summary>
    /// Administrative height, smaller is higher: a state or imported city is 0; division or area 1; district 2;
    /// tehsil, block and urban local body are siblings at 3; village 4.
    /// </summary>
    internal static int Rank(JurisdictionKind kind) => kind switch
    {
        JurisdictionKind.State or JurisdictionKind.City => 0,
        JurisdictionKind.Division or JurisdictionKind.Area => 1,
        JurisdictionKind.District => 2,
        JurisdictionKind.Tehsil or JurisdictionKind.Block or JurisdictionKind.UrbanLocalBody => 3,
        _ => 4,
    };
}
