using GraphQL;
using Microsoft.AspNetCore.Http;

namespace Helpline.GraphQL.Http;

/// <summary>
/// An error found by the HTTP transport before GraphQL gets to see the request (bad JSON, wrong parameter types,
/// unsupported media types, body too large, disallowed method). Carries the HTTP status code to answer with.
/// </summary>
internal sealed class GraphQLHttpRequestError : ExecutionError
{
    public GraphQLHttpRequestError(int statusCode, string code, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
    }

    /// <summary>The HTTP status code of the response.</summary>
    public int StatusCode { get; }

    /// <summary>Value of the <c>Allow</c> header to send with a 405 response.</summary>
    public string? Allow { get; init; }

    /// <summary>Whole seconds to send as <c>Retry-After</c> with the response; null for none.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static GraphQLHttpRequestError BadRequest(string message)
        => new(StatusCodes.Status400BadRequest, GraphQLHttpErrorCodes.BadRequest, message);
}
