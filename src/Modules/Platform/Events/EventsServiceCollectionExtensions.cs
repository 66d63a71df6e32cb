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
        var first = !services.Any(d => d.ServiceType == typeof(EventSubscriptions));
        services.TryAddSingleton<EventSubscriptions>();
        if (first)
        {
            AddDispatchOptions(services);
        }

        if (!services.Any(d => d.ServiceType == typeof(LiveEventTail)))
        {
            services.AddSingleton<LiveEventTail>();
            services.AddSingleton<ILiveEventFeed>(sp => sp.GetRequiredService<LiveEventTail>());
            services.AddHostedService(sp => sp.GetRequiredService<LiveEventTail>());
            // The live tail's poll is a Task.Delay too: -1 ms would stop every subscription's feed with no error.
            services.AddOptions<LiveEventOptions>().BindConfiguration("Helpline:Events")
                .Validate(o => o.LivePollInterval > TimeSpan.Zero && o.LivePollInterval <= TimeSpan.FromMinutes(1), "Helpline:Events:LivePollInterval must be more than 0 and at most 00:01:00.")
                .Validate(o => o.LiveIdleAfter >= TimeSpan.Zero && o.LiveIdleAfter <= TimeSpan.FromHours(1), "Helpline:Events:LiveIdleAfter must be from 00:00:00 to 01:00:00.")
                .ValidateOnStart();
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

    // Once, however many modules call AddEventLog: each call would add the validators again, and a refusal would
    // repeat its reason that many times.
    private static void AddDispatchOptions(IServiceCollection services) =>
        // A linger or poll interval of -1 ms is an endless wait to Task.Delay: delivery would stop with no error.
        services.AddOptions<EventDispatchOptions>().BindConfiguration("Helpline:Events")
            .Validate(o => o.BatchSize >= 1, "Helpline:Events:BatchSize must be at least 1.")
            .Validate(o => o.BatchLinger >= TimeSpan.Zero && o.BatchLinger <= TimeSpan.FromSeconds(10), "Helpline:Events:BatchLinger must be from 00:00:00 to 00:00:10.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.PollInterval <= TimeSpan.FromMinutes(1), "Helpline:Events:PollInterval must be more than 0 and at most 00:01:00.")
            .Validate(o => o.LeaderRetry > TimeSpan.Zero && o.LeaderRetry <= TimeSpan.FromMinutes(1), "Helpline:Events:LeaderRetry must be more than 0 and at most 00:01:00.")
            .Validate(o => o.MaxBackoff > TimeSpan.Zero && o.MaxBackoff <= TimeSpan.FromHours(1), "Helpline:Events:MaxBackoff must be more than 0 and at most 01:00:00.")
            .ValidateOnStart();
}
