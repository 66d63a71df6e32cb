using GraphQL;
using GraphQL.Types;
using Helpline.Jurisdictions.GraphQL;
using Helpline.Platform.Access;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Catalogue.GraphQL;

/// <summary>GraphQL type <c>Department</c>.</summary>
public sealed class DepartmentGraphType : ObjectGraphType<Department>
{
    /// <summary>Creates the type.</summary>
    public DepartmentGraphType()
    {
        Name = "Department";
        Field(x => x.Id);
        Field(x => x.Name);
        Field(x => x.NameHindi, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CategoryGraphType>>>>("categories")
            .Resolve(c => CatalogueGraphQL.Catalogue(c).Categories.Where(x => x.DepartmentId == c.Source.Id).ToList());
    }
}

/// <summary>GraphQL type <c>Category</c>.</summary>
public sealed class CategoryGraphType : ObjectGraphType<Category>
{
    /// <summary>Creates the type.</summary>
    public CategoryGraphType()
    {
        Name = "Category";
        Field(x => x.Id);
        Field(x => x.Name);
        Field(x => x.DepartmentId);
        Field(x => x.ResolutionLevel, type: typeof(NonNullGraphType<JurisdictionKindGraphType>)).Description("Jurisdiction kind whose seat handles it at L1.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("slaDays")
            .Description("Calendar days allowed at L1, L2, L3 and L4.")
            .Resolve(c => c.Source.Sla.LevelDays);
        Field(x => x.Source).Description("Where the category comes from.");
        Field<NonNullGraphType<DepartmentGraphType>>("department").Resolve(c => CatalogueGraphQL.Catalogue(c).FindDepartment(c.Source.DepartmentId));
    }
}

/// <summary>The Catalogue module's root fields: <c>departments</c> and <c>categories</c>.</summary>
internal sealed class CatalogueGraphQL : GraphQLPart
{
    public static ICatalogue Catalogue(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<ICatalogue>();

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<DepartmentGraphType>>>>("departments")
            .AllowedTo(FieldAccess.Everyone)
            .Resolve(c => Catalogue(c).Departments);

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CategoryGraphType>>>>("categories")
            .AllowedTo(FieldAccess.Everyone)
            .Argument<StringGraphType>("departmentId")
            .Resolve(c =>
            {
                var dept = c.GetArgument<string?>("departmentId");
                var all = Catalogue(c).Categories;
                return dept is null ? all : all.Where(x => x.DepartmentId == dept).ToList();
            });
    }
}
