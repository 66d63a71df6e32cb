using Helpline.Platform.Database;
using Helpline.Platform.SharedData;
using Helpline.Sla.Engine;
using Helpline.Sla.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Helpline.Sla;

/// <summary>Registers the SLA module.</summary>
public static class SlaServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SlaSchema"/> as an <see cref="IModuleSchema"/>, the SLA loader as an
    /// <see cref="IReferenceDataLoader"/> (order 25), and <see cref="ISlaEngine"/> and <see cref="ISlaAdministration"/>
    /// as singletons. Needs from the host an <c>NpgsqlDataSource</c>, logging, and the catalogue and jurisdictions
    /// modules (<c>ICatalogue</c>, <c>IJurisdictionDirectory</c>). Until the loader has run the engine knows no holidays
    /// or overrides and uses <see cref="WorkingCalendar.Default"/>. Calling it twice registers nothing twice.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddSlaModule(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, SlaSchema>());
        services.TryAddSingleton<SlaStore>();
        services.TryAddSingleton<ISlaEngine, SlaEngine>();
        services.TryAddSingleton<ISlaAdministration, SlaAdministration>();
        services.AddSharedDataArea<SlaArea>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReferenceDataLoader, SlaLoader>());
        return services;
    }
}
