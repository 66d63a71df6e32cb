using System.Reflection;
using GraphQL;
using GraphQL.Types;
using Helpline.GraphQL;
using Helpline.GraphQL.Http;
using Helpline.Host;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.Modules;

/// <summary>The host's one list of modules, their error codes, and the composition of their GraphQL parts.</summary>
public sealed class ModuleListTests
{
    private static IReadOnlyList<HelplineErrorCode> AllModuleCodes => [.. HelplineModules.All.SelectMany(m => m.ErrorCodes)];

    [Fact]
    public void Module_names_and_error_codes_are_unique_and_described()
    {
        var names = HelplineModules.All.Select(m => m.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(["Platform", "Jurisdictions", "Catalogue", "Sla", "Officers", "Grievances", "Workload", "CallBacks", "Accountability", "Feed", "PublicDirectory", "Access"], names);

        var codes = AllModuleCodes.Select(c => c.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(AllModuleCodes, c => Assert.Matches("^[A-Z][A-Z_]*[A-Z]$", c.Code));
        Assert.All(AllModuleCodes, c => Assert.False(string.IsNullOrWhiteSpace(c.Description), c.Code));
        Assert.Contains("UNKNOWN_GRIEVANCE", codes);
        Assert.Contains("REQUIRED", codes);
    }

    [Fact]
    public void Every_code_is_defined_once_by_the_module_that_owns_it()
    {
        // The platform names only its generic codes; a module-owned code has one constant, in its module's class.
        var platformConstants = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.Equal(6, platformConstants.Count);
        Assert.Equal(ErrorCodes.Generic.Select(c => c.Code), platformConstants);

        var definitions = HelplineModules.All.Select(m => m.GetType().Assembly).Distinct()
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.Name.EndsWith("ErrorCodes", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (Type: t, Code: (string)f.GetRawConstantValue()!)))
            .ToList();
        // One re-export, not a second owner: AccessErrorCodes.Forbidden is the platform's generic FORBIDDEN (a const
        // bound to ErrorCodes.Forbidden), named beside the token codes so the access refusals read as one set.
        definitions.Remove((typeof(AccessErrorCodes), AccessErrorCodes.Forbidden));
        Assert.Equal(ErrorCodes.Forbidden, AccessErrorCodes.Forbidden);
        var twice = definitions.GroupBy(d => d.Code).Where(g => g.Count() > 1).Select(g => $"{g.Key} ({string.Join(", ", g.Select(d => d.Type.Name))})").ToList();
        Assert.True(twice.Count == 0, "Defined more than once: " + string.Join("; ", twice));
        var declared = AllModuleCodes.Select(c => c.Code).ToHashSet();
        Assert.All(definitions, d => Assert.Contains(d.Code, declared));
    }

    [Fact]
    public void The_readme_lists_every_error_code_clients_can_receive()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var transport = typeof(GraphQLHttpErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!);
        var missing = AllModuleCodes.Select(c => c.Code).Concat(transport).Distinct().Where(code => !readme.Contains($"`{code}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "README.md does not list: " + string.Join(", ", missing));
    }

    [Fact]
    public void A_new_module_part_adds_its_fields_and_types_without_touching_the_others()
    {
        var services = new ServiceCollection();
        var parts = HelplineModules.All.Select(m => m.GraphQL).OfType<GraphQLPart>().Append(new CallbacksPart()).ToList();
        services.AddHelplineGraphQL(parts);
        using var provider = services.BuildServiceProvider();
        var schema = provider.GetRequiredService<ISchema>();
        schema.Initialize();

        var query = schema.Query;
        Assert.Equal("callbacksDue", query.Fields.Last().Name);
        Assert.NotNull(schema.AllTypes["Callback"]);
        Assert.Contains(query.Fields, f => f.Name == "grievance");
        Assert.Contains(((IObjectGraphType)schema.AllTypes["Jurisdiction"]!).Fields, f => f.Name == "positions");
        Assert.Equal("scheduleCallback", Assert.Single(schema.Mutation!.Fields, f => f.Name.Contains("allback", StringComparison.Ordinal)).Name);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Helpline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Helpline.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A module-shaped part as a new module would write it.</summary>
    private sealed class CallbacksPart : GraphQLPart
    {
        public override void AddTypes(global::GraphQL.DI.IGraphQLBuilder graphql) => graphql.Services.Register<CallbackGraphType, CallbackGraphType>(global::GraphQL.DI.ServiceLifetime.Transient);

        public override void AddQueryFields(ObjectGraphType query) =>
            query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CallbackGraphType>>>>("callbacksDue").Resolve(_ => Array.Empty<string>());

        public override void AddMutationFields(ObjectGraphType mutation) =>
            mutation.Field<NonNullGraphType<CallbackGraphType>>("scheduleCallback").Argument<NonNullGraphType<StringGraphType>>("referenceNumber").Resolve(c => c.GetArgument<string>("referenceNumber"));
    }

    private sealed class CallbackGraphType : ObjectGraphType<string>
    {
        public CallbackGraphType()
        {
            Name = "Callback";
            Field<NonNullGraphType<StringGraphType>>("referenceNumber").Resolve(c => c.Source);
        }
    }
}
