using System.Reflection;
using Helpline.Officers.Pools;
using Helpline.Officers.Postings;
using Helpline.Officers.Roster;
using Helpline.Officers.Routing;
using Helpline.Officers.Workload;
using Helpline.Platform.Database;
using Helpline.Platform.SharedData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Helpline.Officers;

/// <summary>The <c>officers</c> schema (positions, officers), created by this assembly's <c>Migrations/*.sql</c> scripts.</summary>
public sealed class OfficersSchema : IModuleSchema
{
    /// <inheritdoc />
    public string Schema => "officers";

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(OfficersSchema).Assembly;

    /// <inheritdoc />
    public int Order => 30;
}

/// <summary>Registers the Officers module's roster and routing.</summary>
public static class OfficersServiceCollectionExtensions
{
    /// <summary>
    /// Registers the schema, the roster loader (order 30, after jurisdictions and the catalogue), the routing map's
    /// loader and shared-data area (order 35), <see cref="IOfficerDirectory"/>, <see cref="IRosterRegistry"/> and
    /// <see cref="IRoutingService"/> as singletons.
    /// Needs an <c>NpgsqlDataSource</c>, logging, the Jurisdictions module's <c>IJurisdictionDirectory</c> and an
    /// <c>ICatalogue</c>.
    /// The directory is empty until the loader has run.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddOfficersModule(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, OfficersSchema>());
        services.TryAddSingleton<OfficerDirectory>();
        services.TryAddSingleton<IOfficerDirectory>(sp => sp.GetRequiredService<OfficerDirectory>());
        services.TryAddSingleton<RosterStore>();
        services.TryAddSingleton<OfficersLoader>();
        services.TryAddSingleton<IRosterRegistry, RosterRegistry>();
        services.AddSharedDataArea<RosterArea>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReferenceDataLoader, OfficersLoader>(sp => sp.GetRequiredService<OfficersLoader>()));
        services.TryAddSingleton<RouteMapStore>();
        services.AddSharedDataArea<RoutingArea>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReferenceDataLoader, RoutingArea>());
        services.TryAddSingleton<RoutingService>();
        services.TryAddSingleton<IRoutingService>(sp => sp.GetRequiredService<RoutingService>());
        services.TryAddSingleton<RoutingAdministration>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Helpline.Catalogue.ICategoryCoverage, CategoryCoverage>());
        services.TryAddSingleton<PostingAdministration>();
        services.TryAddSingleton<LeaveAdministration>();
        services.TryAddSingleton<LeaveAnnouncer>();
        services.TryAddSingleton<PostingHistory>();
        services.TryAddSingleton<PoolAdministration>();
        services.TryAddSingleton<PoolHistory>();
        services.TryAddSingleton<LocalOfficerSnapshots>();
        services.TryAddSingleton<FiringGate>();

        // A factory: the grain factory comes with Orleans, which hosts without grains (roster tools, tests) do not have.
        services.TryAddSingleton<IOfficerWorkloads>(sp => new OfficerWorkloads(
            sp.GetRequiredService<LocalOfficerSnapshots>(), sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<TimeProvider>()));

        // Replaced by the Workload module's load-aware choice (see FirstAvailableMember).
        services.TryAddSingleton<IPoolAssignment, FirstAvailableMember>();
        return services;
    }
}
