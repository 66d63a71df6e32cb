using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers.Roster;
using Helpline.Platform.Errors;

namespace Helpline.Officers.Routing;

/// <summary>Where a registration goes, and why: the rule that sent it there, or null when the default algorithm did.</summary>
/// <param name="Assignment">The seat and the officer acting for it.</param>
/// <param name="Rule">The rule applied; null for the default.</param>
internal sealed record RouteDecision(Assignment Assignment, RouteRule? Rule);

/// <summary>
/// Finds the L1 seat for a category in a jurisdiction. First the routing map: walking from the jurisdiction to the
/// root, the nearest rule of the category that still applies wins (a rule covers everything below its jurisdiction
/// unless a nearer one overrides it). A rule lapses, and is passed over, when its seat is gone or is no longer of the
/// category's department (the category was remapped since it was set). With no rule on the path, the default: the
/// first node that is at the category's resolution level, or strictly above it, and has a seat of the category's
/// department. Nodes below the level, and nodes beside it (a block or an urban local body for a tehsil matter), are
/// passed over, so a district given for a block matter goes to the district seat and a block given for a tehsil matter
/// goes to the district seat too. The seat goes to whoever acts for it now (the holder, or the charge officer while the
/// holder is on leave); a seat with nobody posted and no charge, or no seat on the way up, is
/// <see cref="OfficerErrorCodes.NoRoute"/>.
/// </summary>
internal sealed class RoutingService(ICatalogue catalogue, IJurisdictionDirectory jurisdictions, OfficerDirectory officers, RouteMapStore map) : IRoutingService
{
    public Assignment Route(string categoryId, string jurisdictionId) => Decide(categoryId, jurisdictionId, proposal: null).Assignment;

    public Position Seat(string categoryId, string jurisdictionId) => Locate(categoryId, jurisdictionId, proposal: null).Seat;

    /// <summary>
    /// Where a registration of the category in the jurisdiction goes, with the rule that decided it; with
    /// <paramref name="proposal"/>, where it would go if that rule were stored too (replacing the rule of its category
    /// and jurisdiction). Nothing is stored.
    /// </summary>
    /// <exception cref="HelplineException">UNKNOWN_CATEGORY, UNKNOWN_JURISDICTION or NO_ROUTE (also when nobody acts for the seat).</exception>
    internal RouteDecision Decide(string categoryId, string jurisdictionId, RouteRule? proposal)
    {
        var (category, seat, rule) = Locate(categoryId, jurisdictionId, proposal);
        var holder = officers.HolderOf(seat.Id)
            ?? throw new HelplineException(
                OfficerErrorCodes.NoRoute,
                rule is null
                    ? $"The {seat.Title} seat ({seat.Id}) that handles '{category.Id}' in '{jurisdictionId}' has nobody posted and no officer holding its charge, so no grievance of that category can be routed there; the seat is reported among the vacant positions."
                    : $"The routing rule for '{category.Id}' at '{rule.JurisdictionId}' sends it to the {seat.Title} seat ({seat.Id}), where nobody is posted and nobody holds its charge.",
                "jurisdictionId");
        return new RouteDecision(new Assignment(seat, holder), rule);
    }

    /// <summary>The seat (held or not) and the rule that chose it, or null for the default.</summary>
    private (Category Category, Position Seat, RouteRule? Rule) Locate(string categoryId, string jurisdictionId, RouteRule? proposal)
    {
        var category = (string.IsNullOrWhiteSpace(categoryId) ? null : catalogue.FindCategory(categoryId))
            ?? throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has the id '{categoryId}'.", "categoryId");
        var path = string.IsNullOrWhiteSpace(jurisdictionId) ? [] : jurisdictions.PathToRoot(jurisdictionId);
        if (path.Count == 0)
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has the id '{jurisdictionId}'.", "jurisdictionId");
        }

        var roster = officers.Current;
        var rules = map.Current;
        foreach (var node in path)
        {
            var rule = proposal is not null && proposal.CategoryId == category.Id && proposal.JurisdictionId == node.Id
                ? proposal
                : rules.Find(category.Id, node.Id);
            if (rule is not null && LapseOf(rule, category, roster) is null)
            {
                return (category, roster.FindPosition(rule.PositionId)!, rule);
            }
        }

        return (category, Default(category, jurisdictionId, path, roster), null);
    }

    /// <summary>Why <paramref name="rule"/> no longer applies, or null when it does.</summary>
    internal string? LapseOf(RouteRule rule) => LapseOf(rule, catalogue.FindCategory(rule.CategoryId), officers.Current);

    private static string? LapseOf(RouteRule rule, Category? category, OfficerRoster roster)
    {
        if (category is null)
        {
            return $"Category '{rule.CategoryId}' no longer exists.";
        }

        if (roster.FindPosition(rule.PositionId) is not { } seat)
        {
            return $"Seat '{rule.PositionId}' no longer exists.";
        }

        return seat.DepartmentId == category.DepartmentId
            ? null
            : $"Seat '{seat.Id}' is of department '{seat.DepartmentId}', but category '{category.Id}' is now of department '{category.DepartmentId}'.";
    }

    private static Position Default(Category category, string jurisdictionId, IReadOnlyList<Jurisdiction> path, OfficerRoster roster) =>
        DefaultSeat(roster, path, category.DepartmentId, category.ResolutionLevel)
        ?? throw new HelplineException(
            OfficerErrorCodes.NoRoute,
            $"Department '{category.DepartmentId}' has no seat at {category.ResolutionLevel} level or above for '{jurisdictionId}', so category '{category.Id}' cannot be routed there.",
            "jurisdictionId");

    /// <summary>
    /// The default seat on <paramref name="path"/> (a place, then up to the root): the first node at
    /// <paramref name="level"/>, or strictly above it, with a seat of the department; null when there is none.
    /// </summary>
    internal static Position? DefaultSeat(OfficerRoster roster, IReadOnlyList<Jurisdiction> path, string departmentId, JurisdictionKind level)
    {
        var levelRank = Rank(level);
        foreach (var node in path)
        {
            if ((node.Kind == level || Rank(node.Kind) < levelRank) && roster.SeatOf(departmentId, node.Id) is { } seat)
            {
                return seat;
            }
        }

        return null;
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
