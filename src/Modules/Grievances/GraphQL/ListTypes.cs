using GraphQL.Types;
using Helpline.Platform.Errors;

namespace Helpline.Grievances.GraphQL;

internal sealed class InstantRangeInputGraphType : InputObjectGraphType
{
    public InstantRangeInputGraphType()
    {
        Name = "InstantRange";
        Description = "Instants from 'from' (included) up to 'before' (excluded), compared as instants whatever offset each is written with (2026-11-06T10:30:00+05:30 is 2026-11-06T05:00:00Z). Either end may be left out; 'from' at or after 'before' is INVALID_VALUE naming the filter.";
        Field<DateTimeOffsetGraphType>("from").Description("The first instant in the range (included), ISO 8601 with an offset.");
        Field<DateTimeOffsetGraphType>("before").Description("The first instant after the range (excluded), ISO 8601 with an offset.");
    }

    public static InstantRange? Read(Dictionary<string, object?> filter, string name) =>
        filter.GetValueOrDefault(name) is Dictionary<string, object?> r
            ? new InstantRange(r.GetValueOrDefault("from") as DateTimeOffset?, r.GetValueOrDefault("before") as DateTimeOffset?)
            : null;
}

internal sealed class GrievanceOrderFieldGraphType : EnumerationGraphType<GrievanceOrderField>
{
    public GrievanceOrderFieldGraphType() => Name = "GrievanceOrderField";
}

internal sealed class OrderDirectionGraphType : EnumerationGraphType
{
    public OrderDirectionGraphType()
    {
        Name = "OrderDirection";
        Add("ASC", false, "Earliest first.");
        Add("DESC", true, "Latest first.");
    }
}

internal sealed class GrievanceOrderInputGraphType : InputObjectGraphType
{
    public GrievanceOrderInputGraphType()
    {
        Name = "GrievanceOrder";
        Description = "A list's order; ties are broken by reference number in the same direction, so a cursor is stable. A cursor is valid only in the order it was made in (else CURSOR_ORDER_MISMATCH).";
        Field<NonNullGraphType<GrievanceOrderFieldGraphType>>("field").Description("REGISTERED_AT, DUE_AT (no due date sorts as the end of time) or LAST_CHANGED_AT (its latest timeline entry).");
        Field<NonNullGraphType<OrderDirectionGraphType>>("direction");
    }

    public static GrievanceOrder? Read(Dictionary<string, object?>? order) =>
        order is null ? null : new GrievanceOrder((GrievanceOrderField)order["field"]!, (bool)order["direction"]!);
}

internal sealed class StatusCountGraphType : ObjectGraphType<KeyValuePair<GrievanceStatus, long>>
{
    public StatusCountGraphType()
    {
        Name = "StatusCount";
        Field<NonNullGraphType<GrievanceStatusGraphType>>("status").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<LongGraphType>>("count").Resolve(c => c.Source.Value);
    }
}

internal sealed class DashboardFiguresGraphType : ObjectGraphType<DashboardFigures>
{
    public DashboardFiguresGraphType()
    {
        Name = "DashboardFigures";
        Field<NonNullGraphType<LongGraphType>>("total").Description("In any status.").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StatusCountGraphType>>>>("byStatus")
            .Description("Per status; statuses with none are left out.")
            .Resolve(c => c.Source.ByStatus.OrderBy(kv => kv.Key));
        Field<NonNullGraphType<LongGraphType>>("open").Resolve(c => c.Source.Open);
        Field<NonNullGraphType<LongGraphType>>("overdue").Description("As the overdue filter: open, not on hold, strictly after its due instant.").Resolve(c => c.Source.Overdue);
        Field<NonNullGraphType<LongGraphType>>("atRisk").Description("As the atRisk filter.").Resolve(c => c.Source.AtRisk);
        Field<NonNullGraphType<LongGraphType>>("onHold").Description("Open and on hold.").Resolve(c => c.Source.OnHold);
    }
}

internal sealed class DepartmentFiguresGraphType : ObjectGraphType<(string DepartmentId, DashboardFigures Figures)>
{
    public DepartmentFiguresGraphType()
    {
        Name = "DepartmentFigures";
        Field<NonNullGraphType<StringGraphType>>("departmentId").Resolve(c => c.Source.DepartmentId);
        Field<NonNullGraphType<DashboardFiguresGraphType>>("figures").Resolve(c => c.Source.Figures);
    }
}

internal sealed class GrievanceDashboardGraphType : ObjectGraphType<GrievanceDashboard>
{
    public GrievanceDashboardGraphType()
    {
        Name = "GrievanceDashboard";
        Description = "Exact figures at one instant, within the caller's scope.";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("asOf").Description("The instant overdue and at risk were judged at (UTC).").Resolve(c => c.Source.AsOf);
        Field<NonNullGraphType<DashboardFiguresGraphType>>("total").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DepartmentFiguresGraphType>>>>("departments")
            .Description("Per department with any grievance, by department id.")
            .Resolve(c => c.Source.Departments);
    }
}

/// <summary>Who may filter by a complainant's mobile: those who see it unmasked on the grievances they reach.</summary>
internal static class MobileFilter
{
    public static void Require(Helpline.Platform.Access.Caller caller)
    {
        if (caller.Role is not (Helpline.Platform.Access.Role.Officer or Helpline.Platform.Access.Role.Supervisor))
        {
            throw new HelplineException(
                GrievanceErrorCodes.MobileFilterNotAllowed,
                "Only officers and supervisors may filter by the complainant's mobile; your role sees it masked.",
                "filter.complainantMobile");
        }
    }
}
