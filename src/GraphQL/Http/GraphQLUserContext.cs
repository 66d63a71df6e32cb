using GraphQL;
using GraphQL.Execution;
using Helpline.Platform.Access;
using Helpline.Platform.Modules;
using Microsoft.AspNetCore.Http;

namespace Helpline.GraphQL.Http;

/// <summary>
/// What the GraphQL endpoint puts in <see cref="ExecutionOptions.UserContext"/>: a dictionary holding the current
/// <see cref="HttpContext"/> under <see cref="HttpContextKey"/> and the <see cref="Caller"/> under <see cref="Caller.UserContextKey"/>. Resolvers read it with <see cref="GetHttpContext"/>.
/// </summary>
public static class GraphQLUserContext
{
    /// <summary>Key of the <see cref="HttpContext"/> in the user context dictionary.</summary>
    public const string HttpContextKey = GraphQLRequest.HttpContextKey;

    /// <summary>Creates the user context dictionary for one HTTP request.</summary>
    public static Dictionary<string, object?> Create(HttpContext httpContext, Caller? caller = null)
        => new(StringComparer.Ordinal) { [HttpContextKey] = httpContext, [Caller.UserContextKey] = caller ?? Caller.NewPublic() };

    /// <summary>
    /// The <see cref="HttpContext"/> of the request being executed (available in resolvers through
    /// <c>IResolveFieldContext</c>, which provides the user context), or null when the operation did not come over HTTP.
    /// </summary>
    public static HttpContext? GetHttpContext(this IProvideUserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserContext is { } userContext
            && userContext.TryGetValue(HttpContextKey, out var value)
            ? value as HttpContext
            : null;
    }
}
