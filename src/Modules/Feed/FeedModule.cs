using System.Reflection;
using Helpline.Platform.Database;
using Helpline.Feed.GraphQL;
using Helpline.Platform.Events;
using Helpline.Platform.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Helpline.Feed;

/// <summary>The Feed module's schema (<c>feed</c>).</summary>
public sealed class FeedSchema : IModuleSchema
{
    /// <inheritdoc />
    public string Schema => "feed";

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(FeedSchema).Assembly;

    /// <inheritdoc />
    public int Order => 60;
}

/// <summary>
/// The Feed module: a change feed of grievance events for partner portals (<c>grievanceEvents</c>), kept in its own
/// schema and fed only by the event log. It touches nothing of another module but their contracts.
/// </summary>
public sealed class FeedModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Feed";

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new FeedGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddFeedModule();
}

/// <summary>
/// Registration of the Feed module's services: a change feed of grievance events for partner portals, kept in its own schema and fed only by
/// the event log. It touches nothing of another module but their contracts.
/// </summary>
public static class FeedServiceCollectionExtensions
{
    /// <summary>Registers the feed's schema, its subscriber, its queries and its live events.</summary>
    public static IServiceCollection AddFeedModule(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, FeedSchema>());
        services.AddEventSubscriber<FeedSubscriber>();
        services.TryAddSingleton<FeedQueries>();
        services.TryAddSingleton<Live.LiveGrievanceFeed>();
        return services;
    }
}
