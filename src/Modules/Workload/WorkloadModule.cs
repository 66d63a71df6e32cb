using System.Reflection;
using Helpline.Officers;
using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Helpline.Platform.Modules;
using Helpline.Workload.Alerts;
using Helpline.Workload.Boards;
using Helpline.Workload.GraphQL;
using Helpline.Workload.Pools;
using Helpline.Workload.Rebalancing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace Helpline.Workload;

/// <summary>The Workload module's schema (<c>workload</c>).</summary>
public sealed class WorkloadSchema : IModuleSchema
{
    /// <inheritdoc />
    public string Schema => "workload";

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(WorkloadSchema).Assembly;

    /// <inheritdoc />
    public int Order => 50;
}

/// <summary>
/// The Workload module: officers' live load as supervisors see it (boards of a team, a district or a department),
/// load-aware assignment within a pool of officers sharing one position, rebalancing proposals and their application,
/// and officers' alerts kept from grievance events. It knows the Officers and Grievances modules by their contracts only.
/// </summary>
public sealed class WorkloadModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Workload";

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new WorkloadGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddWorkloadModule();

    /// <summary>Deletes officers' alerts past their retention, daily.</summary>
    public void AddJobs(IQuartzBuilder quartz)
    {
        quartz.AddRecurringJob<AlertRetentionJob>(AlertRetentionJob.Key, "officer-alert-retention-daily", TimeSpan.FromDays(1));
    }
}

/// <summary>Registration of the Workload module's services.</summary>
public static class WorkloadServiceCollectionExtensions
{
    /// <summary>Registers the module's schema, pool assignment, boards and rebalancing, and officers' alerts.</summary>
    public static IServiceCollection AddWorkloadModule(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, WorkloadSchema>());
        services.AddEventSubscriber<AlertSubscriber>();
        services.TryAddSingleton<OfficerAlerts>();

        // Replaces the Officers module's stand-in (first available member) with the load-aware choice.
        services.AddSingleton<IPoolAssignment, PoolAssignment>();
        services.TryAddSingleton<WorkloadBoards>();
        services.TryAddSingleton<Live.LiveWorkloads>();
        services.TryAddSingleton<MoveRules>();
        services.TryAddSingleton<Rebalancer>();
        return services;
    }
}
