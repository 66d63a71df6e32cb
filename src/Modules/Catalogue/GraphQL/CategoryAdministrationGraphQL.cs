using GraphQL;
using GraphQL.Types;
using Helpline.Jurisdictions;
using Helpline.Jurisdictions.GraphQL;
using Helpline.Platform.Access;
using Microsoft.Extensions.DependencyInjection;
using Helpline.Platform.Modules;

namespace Helpline.Catalogue.GraphQL;

/// <summary>
/// The administrator's category fields: <c>addCategory</c>, <c>renameCategory</c>, <c>retireCategory</c>,
/// <c>remapCategory</c> and the history, <c>categoryChanges</c>. The fields only read their arguments; the rules are
/// <see cref="ICategoryAdministration"/>'s, whose errors already name the <c>input.*</c> fields.
/// </summary>
internal static class CategoryAdministrationGraphQL
{
    public static void AddQueryFields(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CategoryChangeGraphType>>>>("categoryChanges")
            .Description("Administrative changes of categories, newest first: of one category, or of all.")
            .AllowedTo(Role.Administrator, Role.Auditor)
            .Argument<StringGraphType>("categoryId")
            .Argument<IntGraphType>("first", a =>
            {
                a.DefaultValue = 50;
                a.Description = "How many, 1..200.";
            })
            .MaxPage(200)
            .ResolveAsync(async c =>
            {
                Caller.Of(c).RequireUnlimited("the history of categories");
                return await Administration(c).ChangesAsync(c.GetArgument<string?>("categoryId"), c.GetArgument("first", 50), c.CancellationToken);
            });

    public static void AddMutationFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CategoryChangeGraphType>>("addCategory")
            .Description("Adds a category (it exists from its effective instant). The same add again returns the first; another add of the id is refused.")
            .AllowedTo(Role.Administrator)
            .Argument<NonNullGraphType<AddCategoryInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var (input, actor) = Read(c);
                var category = new NewCategory(
                    (string)input["id"]!,
                    (string)input["name"]!,
                    (string)input["nameHindi"]!,
                    (string)input["departmentId"]!,
                    (JurisdictionKind)input["resolutionLevel"]!,
                    [.. ((IEnumerable<object?>)input["slaDays"]!).Select(d => (int)d!)],
                    Strings(input, "keywords"));
                return await Administration(c).AddAsync(category, Effective(input), actor, Text(input, "reason"), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CategoryChangeGraphType>>("renameCategory")
            .Description("Changes a category's English and Hindi names (and keywords, when given).")
            .AllowedTo(Role.Administrator)
            .Argument<NonNullGraphType<RenameCategoryInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var (input, actor) = Read(c);
                return await Administration(c).RenameAsync(
                    (string)input["categoryId"]!, (string)input["name"]!, (string)input["nameHindi"]!, Strings(input, "keywords"), Effective(input), actor, Text(input, "reason"), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CategoryChangeGraphType>>("retireCategory")
            .Description("Retires a category: no new grievances under it from the effective instant; those already under it keep it.")
            .AllowedTo(Role.Administrator)
            .Argument<NonNullGraphType<RetireCategoryInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var (input, actor) = Read(c);
                return await Administration(c).RetireAsync(
                    (string)input["categoryId"]!, Text(input, "replacedBy"), Effective(input), actor, Text(input, "reason"), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CategoryChangeGraphType>>("remapCategory")
            .Description("Maps a category to another department or resolution level for registrations from the effective instant; refused if a place where it routes today would have no seat.")
            .AllowedTo(Role.Administrator)
            .Argument<NonNullGraphType<RemapCategoryInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var (input, actor) = Read(c);
                return await Administration(c).RemapAsync(
                    (string)input["categoryId"]!,
                    Text(input, "departmentId"),
                    input.GetValueOrDefault("resolutionLevel") as JurisdictionKind?,
                    Effective(input),
                    actor,
                    Text(input, "reason"),
                    c.CancellationToken);
            });
    }

    private static ICategoryAdministration Administration(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<ICategoryAdministration>();

    /// <summary>The input, and the acting administrator, who must have no scope limits: categories reach every department and district.</summary>
    private static (Dictionary<string, object?> Input, string Actor) Read(IResolveFieldContext c)
    {
        var caller = Caller.Of(c);
        caller.RequireUnlimited("category administration");
        return (c.GetArgument<Dictionary<string, object?>>("input"), caller.Subject);
    }

    private static DateTimeOffset? Effective(Dictionary<string, object?> input) => input.GetValueOrDefault("effectiveAt") as DateTimeOffset?;

    private static string? Text(Dictionary<string, object?> input, string name) => input.GetValueOrDefault(name) as string;

    private static List<string>? Strings(Dictionary<string, object?> input, string name) =>
        input.GetValueOrDefault(name) is IEnumerable<object?> values ? [.. values.Select(v => (string)v!)] : null;
}

internal sealed class AddCategoryInputGraphType : InputObjectGraphType
{
    public AddCategoryInputGraphType()
    {
        Name = "AddCategoryInput";
        Field<NonNullGraphType<StringGraphType>>("id").Description("Lower-case kebab code, unique among all categories, e.g. water-tanker-delay.");
        Field<NonNullGraphType<StringGraphType>>("name").Description("English name, 1..200 characters.");
        Field<NonNullGraphType<StringGraphType>>("nameHindi").Description("Hindi name, 1..200 characters.");
        Field<NonNullGraphType<StringGraphType>>("departmentId");
        Field<NonNullGraphType<JurisdictionKindGraphType>>("resolutionLevel").Description("A level at which the department has a seat.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("slaDays").Description("Calendar days at L1, L2, L3, L4; each 1..365.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("keywords").Description("At most 30, each 1..60 characters.");
        Field<DateTimeOffsetGraphType>("effectiveAt").Description("Absent: now. The category exists from this instant; it may not be in the past.");
        Field<StringGraphType>("reason").Description("Why, up to 1000 characters; kept in the history.");
    }
}

internal sealed class RenameCategoryInputGraphType : InputObjectGraphType
{
    public RenameCategoryInputGraphType()
    {
        Name = "RenameCategoryInput";
        Field<NonNullGraphType<StringGraphType>>("categoryId");
        Field<NonNullGraphType<StringGraphType>>("name").Description("English name, 1..200 characters.");
        Field<NonNullGraphType<StringGraphType>>("nameHindi").Description("Hindi name, 1..200 characters.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("keywords").Description("Replaces the keywords; absent: kept.");
        CategoryChangeInput.AddCommonFields(this);
    }
}

internal sealed class RetireCategoryInputGraphType : InputObjectGraphType
{
    public RetireCategoryInputGraphType()
    {
        Name = "RetireCategoryInput";
        Field<NonNullGraphType<StringGraphType>>("categoryId");
        Field<StringGraphType>("replacedBy").Description("The category agents should choose instead, if any.");
        CategoryChangeInput.AddCommonFields(this);
    }
}

internal sealed class RemapCategoryInputGraphType : InputObjectGraphType
{
    public RemapCategoryInputGraphType()
    {
        Name = "RemapCategoryInput";
        Field<NonNullGraphType<StringGraphType>>("categoryId");
        Field<StringGraphType>("departmentId").Description("Absent: unchanged.");
        Field<JurisdictionKindGraphType>("resolutionLevel").Description("Absent: unchanged.");
        CategoryChangeInput.AddCommonFields(this);
    }
}

internal static class CategoryChangeInput
{
    public static void AddCommonFields(InputObjectGraphType input)
    {
        input.Field<DateTimeOffsetGraphType>("effectiveAt")
            .Description("Absent: now. Registrations from this instant use the change; it may not be in the past, nor before a change already recorded for the category.");
        input.Field<StringGraphType>("reason").Description("Why, up to 1000 characters; kept in the history.");
    }
}
