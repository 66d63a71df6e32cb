using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers;

namespace Helpline.Grievances;

/// <summary>Whether this silo's reference data can describe a grievance (its place, category, department, seat and officer).</summary>
internal static class ReferenceDataCoverage
{
    /// <summary>
    /// False when any of them is unknown here: added on another silo a moment ago, so the caller catches up on shared
    /// data before describing the grievance.
    /// </summary>
    public static bool IsDescribedBy(this Grievance g, IJurisdictionDirectory jurisdictions, ICatalogue catalogue, IOfficerDirectory officers) =>
        jurisdictions.Find(g.Request.JurisdictionId) is not null
        && catalogue.FindCategory(g.Request.CategoryId) is not null
        && catalogue.FindDepartment(g.DepartmentId) is not null
        && officers.FindPosition(g.PositionId) is not null
        && officers.FindOfficer(g.OfficerId) is not null;
}
