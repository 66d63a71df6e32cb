using Helpline.Platform.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Helpline.Platform.Events;

/// <summary>Registers the event log and its subscribers.</summary>
public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// The event log's schema, the live tail (a hosted service on every silo) and <see cref="EventSubscriptions"/>; the
    /// host adds delivery to subscribers with <see cref="AddEventDelivery"/>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddEventLog(this IServiceCollection services)
    {
        // Once, however many modules call it: each call would add the options' validators again (a refusal would
        // repeat its reason that many times) and the live tail's hosted service a second time.
        if (services.Any(d => d.ServiceType == typeof(EventSubscriptions)))
        {
            return services;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, EventsSchema>());
        services.AddSingleton<EventSubscriptions>();
        services.AddSingleton<SharedEventReads>();
        services.AddSingleton<LiveEventTail>();
        services.AddSingleton<ILiveEventFeed>(sp => sp.GetRequiredService<LiveEventTail>());
        services.AddHostedService(sp => sp.GetRequiredService<LiveEventTail>());
        AddOptions(services);
        return services;
    }

    /// <summary>
    /// Delivery of the event log to the subscribers (a hosted service on every silo). Call it after the silo is added:
    /// hosted services stop in the reverse order of their registration, and subscribers call grains, so delivery must
    /// stop (its batch in flight abandoned, to be delivered again from the checkpoint) before the silo does. Stopped
    /// after it, a batch in flight failed on the stopping silo and was logged as a failure at every shutdown under load.
    /// </summary>
    public static IServiceCollection AddEventDelivery(this IServiceCollection services)
    {
        services.AddEventLog();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EventDispatcher>());
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

    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    // Every wait here is a Task.Delay: -1 ms is an endless wait, so delivery or the live feed would stop with no
    // error, and under 1 ms it is no wait at all, so a poll, a leader check or a retry would spin (a live poll of
    // 0.1 ms made 45 times the commits, measured).
    private static void AddOptions(IServiceCollection services)
    {
        services.AddOptions<LiveEventOptions>().BindConfiguration("Helpline:Events")
            .Validate(o => o.LivePollInterval >= OneMillisecond && o.LivePollInterval <= TimeSpan.FromMinutes(1), "Helpline:Events:LivePollInterval must be from 00:00:00.001 to 00:01:00.")
            .Validate(o => o.LiveIdleAfter >= TimeSpan.Zero && o.LiveIdleAfter <= TimeSpan.FromHours(1), "Helpline:Events:LiveIdleAfter must be from 00:00:00 to 01:00:00.")
            .ValidateOnStart();
        services.AddOptions<EventDispatchOptions>().BindConfiguration("Helpline:Events")
            .Validate(o => o.BatchSize >= 1, "Helpline:Events:BatchSize must be at least 1.")
            .Validate(o => o.BatchLinger >= TimeSpan.Zero && o.BatchLinger <= TimeSpan.FromSeconds(10), "Helpline:Events:BatchLinger must be from 00:00:00 to 00:00:10.")
            .Validate(o => o.PollInterval >= OneMillisecond && o.PollInterval <= TimeSpan.FromMinutes(1), "Helpline:Events:PollInterval must be from 00:00:00.001 to 00:01:00.")
            .Validate(o => o.LeaderRetry >= OneMillisecond && o.LeaderRetry <= TimeSpan.FromMinutes(1), "Helpline:Events:LeaderRetry must be from 00:00:00.001 to 00:01:00.")
            .Validate(o => o.MaxBackoff >= OneMillisecond && o.MaxBackoff <= TimeSpan.FromHours(1), "Helpline:Events:MaxBackoff must be from 00:00:00.001 to 01:00:00.")
            .ValidateOnStart();
    }
}
