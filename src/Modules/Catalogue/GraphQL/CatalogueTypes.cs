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
    /// <summary>The type's name in global ids.</summary>
    public const string NodeTypeName = "Department";

    /// <summary>Creates the type.</summary>
    public DepartmentGraphType()
    {
        Name = "Department";
        Field(x => x.Id);
        Field(x => x.Name);
        Field(x => x.NameHindi, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CategoryGraphType>>>>("categories")
            .Resolve(c => CatalogueGraphQL.Catalogue(c).Categories.Where(x => x.DepartmentId == c.Source.Id).ToList());
        NodeGraphType.Implement(this, NodeTypeName, d => d.Id);
    }
}

/// <summary>GraphQL type <c>Category</c>.</summary>
public sealed class CategoryGraphType : ObjectGraphType<Category>
{
    /// <summary>The type's name in global ids.</summary>
    public const string NodeTypeName = "Category";

    /// <summary>Creates the type.</summary>
    public CategoryGraphType()
    {
        Name = "Category";
        Field(x => x.Id);
        Field(x => x.Name);
        Field(x => x.NameHindi, nullable: true).Description("Hindi name, when known.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("keywords")
            .Description("Words an agent may search it by (English or Hindi).")
            .Resolve(c => c.Source.Keywords ?? []);
        Field(x => x.DepartmentId);
        Field(x => x.ResolutionLevel, type: typeof(NonNullGraphType<JurisdictionKindGraphType>)).Description("Jurisdiction kind whose seat handles it at L1.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("slaDays")
            .Description("Calendar days allowed at L1, L2, L3 and L4.")
            .Resolve(c => c.Source.Sla.LevelDays);
        Field(x => x.Source).Description("Where the category comes from.");
        Field<NonNullGraphType<DepartmentGraphType>>("department").Resolve(c => CatalogueGraphQL.Catalogue(c).FindDepartment(c.Source.DepartmentId));
        NodeGraphType.Implement(this, NodeTypeName, x => x.Id);
    }
}

/// <summary>
/// The Catalogue module's root fields: <c>departments</c> and <c>categories</c>; the administrator's category changes
/// and their history (<see cref="CategoryAdministrationGraphQL"/>).
/// </summary>
internal sealed class CatalogueGraphQL : GraphQLPart
{
    public static ICatalogue Catalogue(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<ICatalogue>();

    public override void AddTypes(global::GraphQL.DI.IGraphQLBuilder graphql)
    {
        base.AddTypes(graphql);
        graphql.Services.Register<INodeSource, CategoryNodes>(global::GraphQL.DI.ServiceLifetime.Singleton);
        graphql.Services.Register<INodeSource, DepartmentNodes>(global::GraphQL.DI.ServiceLifetime.Singleton);
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<DepartmentGraphType>>>>("departments")
            .AllowedTo(FieldAccess.Everyone)
            .Resolve(c => Catalogue(c).Departments);

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CategoryGraphType>>>>("categories")
            .AllowedTo(FieldAccess.Everyone)
            .Description("The categories new grievances may choose now (in force and not retired).")
            .Argument<StringGraphType>("departmentId")
            .Argument<StringGraphType>("search", a => a.Description = "Part of the English or Hindi name or of a keyword, ignoring case.")
            .Resolve(c =>
            {
                var dept = c.GetArgument<string?>("departmentId");
                var search = c.GetArgument<string?>("search")?.Trim();
                IEnumerable<Category> all = Catalogue(c).Categories;
                if (dept is not null)
                {
                    all = all.Where(x => x.DepartmentId == dept);
                }

                if (!string.IsNullOrEmpty(search))
                {
                    all = all.Where(x => Matches(x, search));
                }

                return all.ToList();
            });

        CategoryAdministrationGraphQL.AddQueryFields(query);
    }

    public override void AddMutationFields(ObjectGraphType mutation) => CategoryAdministrationGraphQL.AddMutationFields(mutation);

    private static bool Matches(Category category, string search) =>
        category.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
        || (category.NameHindi?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false)
        || (category.Keywords?.Any(k => k.Contains(search, StringComparison.OrdinalIgnoreCase)) ?? false);
}

/// <summary><c>node(id)</c> for a category: open to everyone like <c>categories</c>, retired ones included; null when unknown.</summary>
internal sealed class CategoryNodes : INodeSource
{
    public string TypeName => CategoryGraphType.NodeTypeName;

    public Task<object?> FindAsync(IResolveFieldContext context, string key) => Task.FromResult<object?>(CatalogueGraphQL.Catalogue(context).FindCategory(key));
}

/// <summary><c>node(id)</c> for a department: open to everyone like <c>departments</c>; null when unknown.</summary>
internal sealed class DepartmentNodes : INodeSource
{
    public string TypeName => DepartmentGraphType.NodeTypeName;

    public Task<object?> FindAsync(IResolveFieldContext context, string key) => Task.FromResult<object?>(CatalogueGraphQL.Catalogue(context).FindDepartment(key));
}
