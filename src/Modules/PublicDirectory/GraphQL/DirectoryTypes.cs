using GraphQL.Types;
using Helpline.Catalogue.GraphQL;
using Helpline.Jurisdictions.GraphQL;
using Helpline.Sla;
using Helpline.Sla.GraphQL;

namespace Helpline.PublicDirectory.GraphQL;

internal sealed class DirectoryHolderGraphType : ObjectGraphType<DirectoryOffice>
{
    public DirectoryHolderGraphType()
    {
        Name = "DirectoryHolder";
        Description = "The officer acting for an office now. Only the name is public; call the office's phone, never a personal number.";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Holder!.Name);
        Field<NonNullGraphType<BooleanGraphType>>("inCharge")
            .Description("True while this officer holds the office's charge because the officer posted there is on leave.")
            .Resolve(c => c.Source.HolderInCharge);
    }
}

internal sealed class DirectoryOfficeGraphType : ObjectGraphType<DirectoryOffice>
{
    public DirectoryOfficeGraphType()
    {
        Name = "DirectoryOffice";
        Description = "An office (a department's seat at a place) as the public directory shows it.";
        Field<NonNullGraphType<StringGraphType>>("positionId").Resolve(c => c.Source.Position.Id);
        Field<NonNullGraphType<StringGraphType>>("title").Description("Designation in English.").Resolve(c => c.Source.Position.Title);
        Field<StringGraphType>("titleHindi").Description("Designation in Hindi; null when not known.").Resolve(c => c.Source.TitleHindi);
        Field<NonNullGraphType<DepartmentGraphType>>("department").Resolve(c => c.Source.Department);
        Field<NonNullGraphType<JurisdictionGraphType>>("place").Description("The jurisdiction the office serves (and everything below it).").Resolve(c => c.Source.Place);
        Field<StringGraphType>("officePhone").Description("The office's published phone; null when not published.").Resolve(c => c.Source.Position.OfficePhone);
        Field<DirectoryHolderGraphType>("holder")
            .Description("Who acts for the office now; null when nobody is posted and nobody holds its charge (the office is vacant).")
            .Resolve(c => c.Source.Holder is null ? null : c.Source);
    }
}

internal sealed class DirectoryAllowanceGraphType : ObjectGraphType<SlaAllowance>
{
    public DirectoryAllowanceGraphType()
    {
        Name = "DirectoryAllowance";
        Description = "The time a level has to dispose of a grievance.";
        Field(x => x.Amount);
        Field(x => x.Unit, type: typeof(NonNullGraphType<SlaUnitGraphType>));
        Field<NonNullGraphType<StringGraphType>>("text").Description("In English, e.g. \"7 days\".").Resolve(c => Allowances.English(c.Source));
        Field<NonNullGraphType<StringGraphType>>("textHindi").Description("In Hindi, e.g. \"7 दिन\".").Resolve(c => Allowances.Hindi(c.Source));
    }
}

internal sealed class DirectoryLevelGraphType : ObjectGraphType<DirectoryLevel>
{
    public DirectoryLevelGraphType()
    {
        Name = "DirectoryLevel";
        Description = "One level of the chain a grievance climbs when its time runs out.";
        Field(x => x.Level).Description("1 (L1) to 4 (L4).");
        Field<NonNullGraphType<DirectoryOfficeGraphType>>("office").Resolve(c => c.Source.Office);
        Field<NonNullGraphType<DirectoryAllowanceGraphType>>("timeAllowed").Resolve(c => c.Source.Allowance);
    }
}

internal sealed class WhoResolvesGraphType : ObjectGraphType<DirectoryAnswer>
{
    public WhoResolvesGraphType()
    {
        Name = "WhoResolves";
        Description = "Who resolves a category of grievance in a place.";
        Field<NonNullGraphType<CategoryGraphType>>("category").Resolve(c => c.Source.Category);
        Field<NonNullGraphType<DepartmentGraphType>>("department").Resolve(c => c.Source.Department);
        Field<NonNullGraphType<JurisdictionGraphType>>("place").Description("The place asked about.").Resolve(c => c.Source.Place);
        Field<NonNullGraphType<DirectoryOfficeGraphType>>("office").Description("The office that resolves it (L1).").Resolve(c => c.Source.Office);
        Field<DirectoryOfficeGraphType>("levelAbove").Description("The office it goes to when L1's time runs out (L2); null at the top.").Resolve(c => c.Source.LevelAbove);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DirectoryLevelGraphType>>>>("levels")
            .Description("L1 and each level above it, to L4, with the time each has.")
            .Resolve(c => c.Source.Levels);
    }
}

internal sealed class ResponsibleOfficeGraphType : ObjectGraphType<ResponsibleOffice>
{
    public ResponsibleOfficeGraphType()
    {
        Name = "ResponsibleOffice";
        Description = "A department's office responsible for a place: its nearest seat at or above the place.";
        Field<NonNullGraphType<DepartmentGraphType>>("department").Resolve(c => c.Source.Department);
        Field<NonNullGraphType<DirectoryOfficeGraphType>>("office").Resolve(c => c.Source.Office);
    }
}
