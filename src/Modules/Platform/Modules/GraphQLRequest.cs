using GraphQL.Execution;
using Microsoft.AspNetCore.Http;

namespace Helpline.Platform.Modules;

/// <summary>
/// What the GraphQL transport tells resolvers about the request: it puts the <see cref="HttpContext"/> in the user
/// context under <see cref="HttpContextKey"/>, so that modules can read the caller's headers without referencing the
/// transport.
/// </summary>
public static class GraphQLRequest
{
    /// <summary>Key of the <see cref="HttpContext"/> in the user context dictionary.</summary>
    public const string HttpContextKey = "HttpContext";

    /// <summary>The HTTP request being executed, or null when the operation did not come over HTTP.</summary>
    /// <param name="context">The resolver's context.</param>
    public static HttpContext? HttpContextOf(IProvideUserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserContext is { } userContext && userContext.TryGetValue(HttpContextKey, out var value)
            ? value as HttpContext
            : null;
    }
}
