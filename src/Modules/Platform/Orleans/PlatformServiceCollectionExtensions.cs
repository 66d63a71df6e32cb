using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Helpline.Platform.Orleans;

/// <summary>Registers the platform's services with the host.</summary>
public static class PlatformServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PlatformSchema"/> (so <see cref="DatabaseMigrator"/> creates the <c>orleans</c> schema
    /// before the silo starts) and <see cref="ProjectionOutbox"/> as a singleton over the registered
    /// <c>NpgsqlDataSource</c>. Safe to call more than once.
    /// </summary>
    /// <param name="services">The host's services; an <c>NpgsqlDataSource</c> must be registered too.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddPlatformModule(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, PlatformSchema>());
        services.TryAddSingleton<ProjectionOutbox>();
        services.AddEventLog();
        return services;
    }
}
