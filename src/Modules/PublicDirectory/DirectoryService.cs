using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Platform.Errors;
using Helpline.Sla;

namespace Helpline.PublicDirectory;

/// <summary>An office as the public sees it: the seat, its designation in Hindi, and who acts for it now.</summary>
/// <param name="Position">The seat.</param>
/// <param name="TitleHindi">The designation in Hindi, when known.</param>
/// <param name="Department">The seat's department.</param>
/// <param name="Place">The jurisdiction the seat serves.</param>
/// <param name="Holder">The officer acting for it now; null when nobody is posted and nobody holds its charge.</param>
/// <param name="HolderInCharge">True when <paramref name="Holder"/> holds the charge while the posted officer is on leave.</param>
internal sealed record DirectoryOffice(Position Position, string? TitleHindi, Department Department, Jurisdiction Place, Officer? Holder, bool HolderInCharge);

/// <summary>One level of the chain a grievance climbs: the office and the time it has.</summary>
internal sealed record DirectoryLevel(int Level, DirectoryOffice Office, SlaAllowance Allowance);

/// <summary>Who resolves a category in a place: L1's office first, then each level above it, as escalation climbs.</summary>
internal sealed record DirectoryAnswer(Category Category, Department Department, Jurisdiction Place, IReadOnlyList<DirectoryLevel> Levels)
{
    public DirectoryOffice Office => Levels[0].Office;

    public DirectoryOffice? LevelAbove => Levels.Count > 1 ? Levels[1].Office : null;
}

/// <summary>The office of one department responsible for a place.</summary>
internal sealed record ResponsibleOffice(Department Department, DirectoryOffice Office);

/// <summary>
/// "Who resolves what", answered from the in-memory reference data of this silo. The chain above L1 is the one
/// escalation follows (the next held seat up, as <see cref="IOfficerDirectory.SupervisorOf"/> finds it), to L4.
/// </summary>
internal sealed class DirectoryService(
    ICatalogue catalogue,
    IJurisdictionDirectory jurisdictions,
    IRoutingService routing,
    IOfficerDirectory officers,
    ISlaEngine sla,
    Designations designations)
{
    /// <summary>The top level a grievance climbs to (L4).</summary>
    internal const int TopLevel = 4;

    /// <exception cref="HelplineException">UNKNOWN_CATEGORY, CATEGORY_RETIRED, UNKNOWN_JURISDICTION, NO_ROUTE.</exception>
    public DirectoryAnswer WhoResolves(string categoryId, string jurisdictionId)
    {
        if (!string.IsNullOrWhiteSpace(categoryId) && catalogue.IsRetired(categoryId))
        {
            throw new HelplineException(CatalogueErrorCodes.CategoryRetired, $"Category '{categoryId}' is retired: no new grievances are taken under it; choose another.", "categoryId");
        }

        var category = Choosable(categoryId)
            ?? throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category that can be chosen now has the id '{categoryId}'.", "categoryId");
        var place = jurisdictions.Find(jurisdictionId)
            ?? throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has the id '{jurisdictionId}'.", "jurisdictionId");
        var department = catalogue.FindDepartment(category.DepartmentId)
            ?? throw new InvalidOperationException($"Category '{category.Id}' names department '{category.DepartmentId}', which the catalogue does not hold.");

        var seat = routing.Seat(category.Id, place.Id);
        var levels = new List<DirectoryLevel> { new(1, Office(seat), sla.GetPolicy(category.Id, 1).Allowance) };
        for (var level = 2; level <= TopLevel && officers.SupervisorOf(levels[^1].Office.Position.Id) is { } up; level++)
        {
            levels.Add(new DirectoryLevel(level, Office(up.Position), sla.GetPolicy(category.Id, level).Allowance));
        }

        return new DirectoryAnswer(category, department, place, levels);
    }

    /// <summary>For each department with a seat at or above the place, its nearest seat: the office the place answers to.</summary>
    /// <exception cref="HelplineException">UNKNOWN_JURISDICTION.</exception>
    public IReadOnlyList<ResponsibleOffice> ResponsibleOffices(string jurisdictionId)
    {
        var path = string.IsNullOrWhiteSpace(jurisdictionId) ? [] : jurisdictions.PathToRoot(jurisdictionId);
        if (path.Count == 0)
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has the id '{jurisdictionId}'.", "jurisdictionId");
        }

        var nearest = new Dictionary<string, Position>(StringComparer.Ordinal);
        foreach (var node in path)
        {
            foreach (var seat in officers.PositionsAt(node.Id))
            {
                nearest.TryAdd(seat.DepartmentId, seat);
            }
        }

        return [.. catalogue.Departments
            .Where(d => nearest.ContainsKey(d.Id))
            .Select(d => new ResponsibleOffice(d, Office(nearest[d.Id])))];
    }

    // In force now (one scheduled for later is not found); a retired one is refused before this.
    private Category? Choosable(string categoryId) => string.IsNullOrWhiteSpace(categoryId) ? null : catalogue.FindCategory(categoryId);

    private DirectoryOffice Office(Position seat)
    {
        var acting = officers.HolderOf(seat.Id);
        var posted = officers.PostedHolderOf(seat.Id);
        return new DirectoryOffice(
            seat,
            designations.Hindi(seat.Title),
            catalogue.FindDepartment(seat.DepartmentId) ?? new Department(seat.DepartmentId, seat.DepartmentId, null, new Dictionary<JurisdictionKind, string>()),
            jurisdictions.Find(seat.JurisdictionId) ?? new Jurisdiction(seat.JurisdictionId, seat.JurisdictionId, JurisdictionKind.Area, null, null),
            acting,
            acting is not null && acting.Id != posted?.Id);
    }
}
