using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Helpline.GraphQL.Ws;

namespace Helpline.GraphQL.Http;

/// <summary>
/// Registers and maps Helpline's GraphQL-over-HTTP endpoint
/// (<see href="https://graphql.github.io/graphql-over-http/draft/">GraphQL over HTTP</see>), which serves the
/// GraphQL.NET <c>ISchema</c> and <c>IDocumentExecuter</c> registered in DI (with <c>services.AddGraphQL(...)</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>POST with an <c>application/json</c> (utf-8) body <c>{query, operationName, variables, extensions}</c>; other content
/// types or charsets get 415; a body over <see cref="GraphQLHttpOptions.MaxRequestBodyBytes"/> gets 413.</item>
/// <item>GET with the same parameters in the query string (variables and extensions as JSON), for queries only: a mutation
/// gets 405 with <c>Allow: POST</c>. Other methods get 405 with <c>Allow: GET, POST</c>.</item>
/// <item>The response is <c>application/graphql-response+json</c> when the <c>Accept</c> header prefers it, and
/// <c>application/json</c> when it prefers that, is missing or has only wildcards (see
/// <see cref="GraphQLHttpOptions.PreferApplicationJsonForWildcards"/>); an <c>Accept</c> header allowing neither gets 406.</item>
/// <item>Malformed requests (bad JSON, missing or non-string query, non-object variables or extensions) get 400 with
/// <c>application/json</c>. Parse and validation errors get 400 with <c>application/graphql-response+json</c> and 200 with
/// <c>application/json</c>. Once execution has started the status is 200, even with field errors.</item>
/// <item>A GET whose <c>Accept</c> prefers <c>text/html</c> (a browser) gets the GraphiQL page instead, and its assets are
/// served at <c>/graphiql/assets/</c> (see <see cref="GraphQLHttpOptions.GraphiQLDirectory"/>).</item>
/// <item>Every error has a <c>message</c> and an <c>extensions.code</c>; see <see cref="HelplineErrorInfoProvider"/>.</item>
/// <item>A WebSocket upgrade speaking <c>graphql-transport-ws</c> is served subscriptions (and queries and mutations) by
/// <see cref="GraphQLWebSocketHandler"/>; the app must call <c>UseWebSockets()</c>.</item>
/// <item>Execution gets the request's services, <c>RequestAborted</c>, the user, and a user context holding the
/// <c>HttpContext</c> (see <see cref="GraphQLUserContext"/>).</item>
/// </list>
/// </remarks>
public static class GraphQLHttpEndpointExtensions
{
    /// <summary>
    /// Registers the GraphQL-over-HTTP transport and, optionally, configures its <see cref="GraphQLHttpOptions"/>
    /// (calling it is optional when the defaults suit). The schema and the document executer are registered separately,
    /// with GraphQL.NET's <c>services.AddGraphQL(b => b.AddSchema&lt;...&gt;()...)</c>.
    /// </summary>
    public static IServiceCollection AddHelplineGraphQLTransport(this IServiceCollection services, Action<GraphQLHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GraphQLHttpOptions>();
        if (configure is not null)
            services.Configure(configure);
        services.TryAddSingleton<GraphQLDocumentCache>();
        services.TryAddSingleton<GraphQLRateLimits>();
        services.TryAddSingleton<GraphQLHttpHandler>();
        services.AddOptions<GraphQLWebSocketOptions>().BindConfiguration("Helpline:GraphQL:WebSocket");
        services.TryAddSingleton<GraphQLWebSocketRunner>();
        services.TryAddSingleton<GraphQLWebSocketHandler>();
        return services;
    }

    /// <summary>
    /// Maps the GraphQL-over-HTTP endpoint at <paramref name="pattern"/> for every HTTP method (so that unsupported ones get a
    /// GraphQL-shaped 405). Uses the options registered with <see cref="AddHelplineGraphQLTransport"/>, or the defaults.
    /// The returned builder takes the usual endpoint conventions (authorization, CORS, rate limiting).
    /// </summary>
    public static IEndpointConventionBuilder MapHelplineGraphQL(this IEndpointRouteBuilder endpoints, string pattern = "/graphql")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var handler = services.GetService<GraphQLHttpHandler>() ?? ActivatorUtilities.CreateInstance<GraphQLHttpHandler>(services);
        var webSockets = services.GetService<GraphQLWebSocketHandler>();
        RequestDelegate requestDelegate = http => webSockets is not null && http.WebSockets.IsWebSocketRequest
            ? webSockets.HandleAsync(http)
            : handler.HandleAsync(http);
        endpoints.MapGet(GraphiQLPage.AssetsPath + "/{file}", (HttpContext http, string file) => handler.WriteGraphiQLAssetAsync(http, file))
            .WithDisplayName("GraphiQL assets");
        return endpoints.Map(pattern, requestDelegate).WithDisplayName($"GraphQL {pattern}");
    }
}
