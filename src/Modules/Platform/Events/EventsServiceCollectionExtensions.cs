using Helpline.Platform.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Helpline.Platform.Events;

/// <summary>Registers the event log and its subscribers.</summary>
public static class EventsServiceCollectionExtensions
{
    /// <summary>The event log's schema, the dispatcher and the live tail (hosted services on every silo) and <see cref="EventSubscriptions"/>. Safe to call more than once.</summary>
    public static IServiceCollection AddEventLog(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, EventsSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EventDispatcher>());
        services.TryAddSingleton<EventSubscriptions>();
        services.AddOptions<EventDispatchOptions>().BindConfiguration("Helpline:Events");
        if (!services.Any(d => d.ServiceType == typeof(LiveEventTail)))
        {
            services.AddSingleton<LiveEventTail>();
            services.AddSingleton<ILiveEventFeed>(sp => sp.GetRequiredService<LiveEventTail>());
            services.AddHostedService(sp => sp.GetRequiredService<LiveEventTail>());
            services.AddOptions<LiveEventOptions>().BindConfiguration("Helpline:Events");
        }

        return services;
    }

    /// <summary>Adds <typeparamref name="T"/> as a subscriber of the event log (a singleton).</summary>
    public static IServiceCollection AddEventSubscriber<T>(this IServiceCollection services)
        where T : class, IEventSubscriber
    {
        services.AddEventLog();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSubscriber, T>());
        return services;
    }
}
