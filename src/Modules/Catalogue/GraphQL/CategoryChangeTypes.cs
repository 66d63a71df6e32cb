using GraphQL.Types;
using Helpline.Jurisdictions.GraphQL;

namespace Helpline.Catalogue.GraphQL;

/// <summary>GraphQL type <c>CategoryChange</c>: one recorded administrative change of a category.</summary>
internal sealed class CategoryChangeGraphType : ObjectGraphType<CategoryChange>
{
    public CategoryChangeGraphType()
    {
        Name = "CategoryChange";
        Description = "One administrative change of a category: who made it, when, from when it applies, and the full state before and after.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Increases in the order changes were recorded.").Resolve(c => c.Source.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.CategoryId);
        Field(x => x.Kind, type: typeof(NonNullGraphType<CategoryChangeKindGraphType>));
        Field(x => x.EffectiveAt).Description("From this instant registrations use the state after.");
        Field(x => x.RecordedAt).Description("When the administrator made the change.");
        Field<NonNullGraphType<StringGraphType>>("who").Description("The administrator (the token's subject).").Resolve(c => c.Source.Actor);
        Field(x => x.Reason, nullable: true);
        Field<CategoryStateGraphType>("before").Description("The state the change replaced; null for an add.").Resolve(c => c.Source.Before);
        Field<NonNullGraphType<CategoryStateGraphType>>("after").Description("The full state from the effective instant.").Resolve(c => c.Source.After);
    }
}

/// <summary>GraphQL type <c>CategoryState</c>: a category as recorded in its history.</summary>
internal sealed class CategoryStateGraphType : ObjectGraphType<CategoryState>
{
    public CategoryStateGraphType()
    {
        Name = "CategoryState";
        Description = "A category's full state, as recorded before or after a change.";
        Field(x => x.Id);
        Field(x => x.Name);
        Field(x => x.NameHindi, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("keywords").Resolve(c => c.Source.Keywords);
        Field(x => x.DepartmentId);
        Field(x => x.ResolutionLevel, type: typeof(NonNullGraphType<JurisdictionKindGraphType>));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("slaDays").Description("Calendar days at L1, L2, L3 and L4.").Resolve(c => c.Source.SlaDays);
        Field(x => x.Source);
        Field(x => x.Retired);
        Field(x => x.ReplacedBy, nullable: true);
    }
}

/// <summary>GraphQL enum <c>CategoryChangeKind</c>.</summary>
internal sealed class CategoryChangeKindGraphType : EnumerationGraphType<CategoryChangeKind>
{
    public CategoryChangeKindGraphType() => Name = "CategoryChangeKind";
}
