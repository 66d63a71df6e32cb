using System.Reflection;
using Helpline.Platform.Database;

namespace Helpline.ArchitectureTests;

/// <summary>
/// What may be public in a module. A public type is part of the module's contract when it is
/// <list type="bullet">
/// <item>an interface (a service or grain another module, the GraphQL layer or the host calls);</item>
/// <item>an enum, or a sealed record: data that crosses the boundary, immutable;</item>
/// <item>an exception (callers catch it);</item>
/// <item>the module's composition surface: an <see cref="IModuleSchema"/> or <c>IHelplineModule</c> (the module
/// contract the host lists), or a static class named
/// <c>*Module</c> or <c>*ServiceCollectionExtensions</c> (registration), <c>*Keys</c> (typed grain keys),
/// <c>*ErrorCodes</c> (the codes its errors carry) or <c>*Events</c> (an event stream's name and reader);</item>
/// <item>an extension point: an abstract class another module derives from to plug in (a GraphQL part, an event
/// subscriber);</item>
/// <item>a GraphQL type: the served schema is a contract, and other modules' fields return these types;</item>
/// <item>options bound from configuration (<c>*Options</c>);</item>
/// <item>or listed in <see cref="Allowed"/> with the reason it is public.</item>
/// </list>
/// Anything else (service implementations, stores, loaders, helpers) is internal.
/// </summary>
public static class ModuleContract
{
    /// <summary>Public types that fit no category above, each with the reason it is public.</summary>
    public static readonly IReadOnlyDictionary<string, string> Allowed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Helpline.Platform.Database.DatabaseMigrator"] = "the host and the load-test tool migrate every module's schema with it",
        ["Helpline.Platform.Orleans.ProjectionOutbox"] = "shared kernel: grains of any module write their read-model row atomically with their state through it",
        ["Helpline.Platform.Orleans.ProjectedStateWrite"] = "shared kernel: a module's grain storage writes a grain's state in the transaction of its read model through it",
        ["Helpline.Platform.Orleans.HelplineOrleansPostgres"] = "shared kernel: the silo's storage, clustering and reminder set-up, called by the host",
        ["Helpline.Platform.Orleans.HelplineClusterMembership"] = "the silo's failure-detection settings, called by the host",
        ["Helpline.Platform.Csv.CsvLines"] = "shared kernel: the one CSV reader of the modules' shipped files and holiday imports",
        ["Helpline.Platform.Text.UserText"] = "shared kernel: the one rule for text people type (names, descriptions, holiday and calendar names)",
        ["Helpline.Platform.Text.IndianMobile"] = "shared kernel: the one reading of a mobile number, for complainants and officers",
        ["Helpline.Platform.Errors.ErrorCodes"] = "the error codes are part of every module's API (GraphQL errors carry them)",
        ["Helpline.Sla.SlaModuleInfo"] = "the schema name other code (migrations, tests) refers to",
        ["Helpline.Platform.Events.EventLog"] = "shared kernel: a producing module appends its events inside its own transaction",
        ["Helpline.Platform.Database.PreparedBatch"] = "shared kernel: the one way a module's per-change statements are prepared with plans that keep using their indexes",
        ["Helpline.Platform.Events.EventIds"] = "shared kernel: the stable ids of events, the same whoever computes them",
        ["Helpline.Platform.SharedData.SharedDataChanges"] = "shared kernel: the module owning shared reference data publishes each change inside its own transaction",
        ["Helpline.Platform.Events.EventSubscriptions"] = "operators and health checks read the subscribers' progress",
        ["Helpline.Platform.Modules.GraphQLRequest"] = "a module's resolver reads the HTTP request without referencing the transport",
        ["Helpline.Access.Tokens.AccessCommandLine"] = "the host's executable runs `./helpline token ...` with it before the host starts (no configuration, no database)",
        ["Helpline.Platform.Access.Caller"] = "shared kernel: every module's resolvers take the acting person and the caller's scope from it; the transport creates it",
        ["Helpline.Platform.Access.FieldAccess"] = "shared kernel: every module's GraphQL fields declare the roles that may ask for them; the transport checks them",
        ["Helpline.Platform.Access.RoleNames"] = "the role names of tokens, shared by the service, the token minting tool and the README's matrix",
        ["Helpline.Platform.Access.PersonalDataMask"] = "shared kernel: the one masking of complainants' names and mobiles, for every module that shows them",
        ["Helpline.Officers.PoolDefaults"] = "the default and largest capacity of an officer in a pool: the Workload module assigns and balances by them, the administration validates against them",
        ["Helpline.Officers.Workload.WorkloadScore"] = "the one load score and its weights: the officer grain, the boards and rebalancing (Workload module) must weigh a grievance alike",
        ["Helpline.Platform.Modules.RecurringJobs"] = "every module registers its recurring Quartz jobs the same way with it",
        ["Helpline.Platform.Modules.GraphQLArguments"] = "every module's resolvers read id arguments the same way with it",
        ["Helpline.Platform.Modules.Paging"] = "shared kernel: every module's list fields declare their largest page; the transport refuses a larger one by name",
        ["Helpline.Platform.Modules.GraphQLBatches"] = "every module's resolvers load related data in per-request batches with it (no N+1)",
        ["Helpline.Platform.Modules.GlobalIds"] = "every module's refetchable types make and read Relay global ids the same way with it",
        ["Helpline.Access.Tokens.AccessTokens"] = "the token minting tool (./helpline token mint) and the load-test tool create keys and mint tokens with it",
    };

    /// <summary>Whether <paramref name="type"/> may be visible outside its assembly.</summary>
    public static bool IsContract(Type type) =>
        type.IsInterface
        || type.IsEnum
        || (type.IsSealed && IsRecord(type))
        || typeof(Exception).IsAssignableFrom(type)
        || typeof(IModuleSchema).IsAssignableFrom(type)
        || type.GetInterfaces().Any(i => i.Name == "IHelplineModule") // by name: the module contract is being added on another branch
        || (IsStatic(type) && (type.Name.EndsWith("Module", StringComparison.Ordinal)
                               || type.Name.EndsWith("ServiceCollectionExtensions", StringComparison.Ordinal)
                               || type.Name.EndsWith("Keys", StringComparison.Ordinal)
                               || type.Name.EndsWith("ErrorCodes", StringComparison.Ordinal)
                               || type.Name.EndsWith("Events", StringComparison.Ordinal)))
        || (type.IsAbstract && !type.IsSealed && !type.IsInterface)
        || typeof(global::GraphQL.Types.IGraphType).IsAssignableFrom(type)
        || (type.IsSealed && type.Name.EndsWith("Options", StringComparison.Ordinal) && type.GetConstructor(Type.EmptyTypes) is not null)
        || Allowed.ContainsKey(type.FullName!);

    private static bool IsRecord(Type type) =>
        type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null
        || (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null);

    private static bool IsStatic(Type type) => type.IsAbstract && type.IsSealed;
}
