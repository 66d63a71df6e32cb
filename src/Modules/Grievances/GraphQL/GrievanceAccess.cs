using GraphQL;
using Helpline.Platform.Access;

namespace Helpline.Grievances.GraphQL;

/// <summary>
/// What the caller may see of grievances: a grievance outside their reach answers exactly as a reference number
/// nobody has (UNKNOWN_GRIEVANCE), and the complainant's name and mobile are masked unless they need them.
/// </summary>
internal static class GrievanceAccess
{
    public static GrievanceCoordinates Of(IResolveFieldContext c, Grievance g) =>
        new(g.DepartmentId, PathOf(c, g.Request.JurisdictionId), g.PositionId, g.OfficerId);

    public static GrievanceCoordinates Of(IResolveFieldContext c, GrievanceSummary g) =>
        new(g.DepartmentId, PathOf(c, g.JurisdictionId), g.PositionId, g.OfficerId);

    public static IReadOnlyList<string> PathOf(IResolveFieldContext c, string jurisdictionId)
    {
        var path = GrievanceGraphType.Jurisdictions(c).PathToRoot(jurisdictionId);
        return path.Count == 0 ? [jurisdictionId] : [.. path.Select(j => j.Id)];
    }

    /// <summary>The grievance, if the caller may see it; otherwise the refusal of an unknown number.</summary>
    public static Grievance Visible(IResolveFieldContext c, Grievance grievance) =>
        Caller.Of(c).Sees(Of(c, grievance)) ? grievance : throw GrievanceService.Unknown(grievance.ReferenceNumber);

    /// <summary>Reads the grievance and refuses it unless the caller may see it.</summary>
    public static async Task<Grievance> RequireVisibleAsync(IResolveFieldContext c, string referenceNumber) =>
        Visible(c, await GrievancesGraphQL.Service(c).GetAsync(referenceNumber, c.CancellationToken));

    public static ComplainantView Complainant(IResolveFieldContext c, Grievance g) =>
        new(g.Request.Complainant.Name, g.Request.Complainant.Mobile, g.ReferenceNumber, Caller.Of(c).NeedsPersonalData(Of(c, g)));

    /// <summary>The value itself (written to the access log) or its mask.</summary>
    public static string Show(IResolveFieldContext c, ComplainantView view, string field, string value, Func<string, string> mask)
    {
        if (!view.Unmasked)
        {
            return mask(value);
        }

        Caller.Of(c).RecordPersonalDataRead(view.ReferenceNumber, field);
        return value;
    }
}

/// <summary>A complainant as one caller sees them: unmasked only when they need the details for this grievance.</summary>
internal sealed record ComplainantView(string Name, string Mobile, string ReferenceNumber, bool Unmasked);
