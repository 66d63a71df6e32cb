using Helpline.Platform.Database;
using Helpline.Platform.SharedData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Helpline.Catalogue;

/// <summary>Registers the catalogue module.</summary>
public static class CatalogueServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CatalogueSchema"/> as an <see cref="IModuleSchema"/>, the catalogue loader as an
    /// <see cref="IReferenceDataLoader"/> (order 20), and <see cref="ICatalogue"/>, <see cref="ICatalogueRegistry"/> and
    /// <see cref="ICategoryAdministration"/> as singletons (remaps are checked by every <see cref="ICategoryCoverage"/>
    /// registered, by the Officers module for one). The catalogue is empty until the loader has run (after the migrations). Needs an
    /// <c>NpgsqlDataSource</c> singleton, registered by the host. Calling it twice registers nothing twice.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddCatalogueModule(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, CatalogueSchema>());
        services.TryAddSingleton<CatalogueStore>();
        services.TryAddSingleton<ICatalogue>(provider => provider.GetRequiredService<CatalogueStore>());
        services.TryAddSingleton<ICatalogueRegistry, CatalogueRegistry>();
        services.TryAddSingleton<ICategoryAdministration, CategoryAdministration>();
        services.AddSharedDataArea<CatalogueArea>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReferenceDataLoader, CatalogueLoader>());
        return services;
    }
}
