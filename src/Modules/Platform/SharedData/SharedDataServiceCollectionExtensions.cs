using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Helpline.Platform.SharedData;

/// <summary>Registers the shared-data follower and the areas it reloads.</summary>
public static class SharedDataServiceCollectionExtensions
{
    /// <summary>The follower (a hosted service, <see cref="ISharedData"/> and the first loader) and its health check. Safe to call more than once.</summary>
    public static IServiceCollection AddSharedData(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SharedDataFollower)))
        {
            return services;
        }

        // Changes are published to the event log, so its schema must exist wherever shared data is written.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, EventsSchema>());
        services.AddSingleton<SharedDataFollower>();
        services.AddSingleton<ISharedData>(sp => sp.GetRequiredService<SharedDataFollower>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SharedDataFollower>());
        services.AddSingleton<IReferenceDataLoader>(sp => sp.GetRequiredService<SharedDataFollower>());
        // Bound when the host has configuration; a bare service collection (a module's tests) keeps the defaults.
        services.AddOptions<SharedDataOptions>()
            .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection("Helpline:SharedData").Bind(o));
        services.AddHealthChecks().AddCheck<SharedDataHealthCheck>(SharedDataHealthCheck.Name, HealthStatus.Unhealthy);
        return services;
    }

    /// <summary>Adds <typeparamref name="T"/> as an area the follower reloads when it changes (a singleton).</summary>
    public static IServiceCollection AddSharedDataArea<T>(this IServiceCollection services)
        where T : class, ISharedDataArea
    {
        services.AddSharedData();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISharedDataArea, T>());
        return services;
    }
}
