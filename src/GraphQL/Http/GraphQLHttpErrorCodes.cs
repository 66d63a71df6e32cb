using Helpline.Platform.Errors;

namespace Helpline.GraphQL.Http;

/// <summary>
/// The stable <c>extensions.code</c> values that the GraphQL endpoint puts on errors it raises itself, besides the
/// domain codes of <see cref="ErrorCodes"/> that resolvers raise through <see cref="HelplineException"/>.
/// Codes are never renamed or reused.
/// </summary>
public static class GraphQLHttpErrorCodes
{
    /// <summary>The request is not a well-formed GraphQL-over-HTTP request (bad JSON, missing query, wrong parameter types).</summary>
    public const string BadRequest = ErrorCodes.BadRequest;

    /// <summary>The GraphQL document could not be parsed.</summary>
    public const string ParseFailed = "GRAPHQL_PARSE_FAILED";

    /// <summary>The GraphQL document failed validation (including unknown fields, bad variables, and depth or complexity limits).</summary>
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";

    /// <summary>
    /// The GraphQL document would be too costly to validate or run: too many fragment spreads, or too many fields once its
    /// fragments are expanded (both measured without expanding them). HTTP 400.
    /// </summary>
    public const string DocumentTooComplex = "GRAPHQL_DOCUMENT_TOO_COMPLEX";

    /// <summary>The HTTP method is not allowed, for example a mutation sent with GET.</summary>
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    /// <summary>None of the media types in the request's <c>Accept</c> header can be produced.</summary>
    public const string NotAcceptable = "NOT_ACCEPTABLE";

    /// <summary>The request body's <c>Content-Type</c> (or charset) is not supported.</summary>
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";

    /// <summary>The request body is larger than the configured limit.</summary>
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";

    /// <summary>A resolver raised an error on purpose (a GraphQL.NET <c>ExecutionError</c>) without a code of its own.</summary>
    public const string ExecutionFailed = "GRAPHQL_EXECUTION_FAILED";

    /// <summary>
    /// A query ran longer than the execution timeout and was cancelled (HTTP 503, <c>retryable</c>, <c>Retry-After</c>).
    /// A mutation past its timeout is <see cref="OutcomeUnknown"/> instead: it may still take effect.
    /// </summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>
    /// The caller (a token's subject, or the public's remote address) sent more requests than its rate limit allows;
    /// nothing ran. HTTP 429 with <c>Retry-After</c> and <c>extensions.retryAfterSeconds</c> (whole seconds).
    /// </summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>A list argument <c>first</c> (or <c>last</c>) asks for a page larger than the field's largest (HTTP 400; <c>extensions.field</c> names it).</summary>
    public const string PageTooLarge = "PAGE_TOO_LARGE";

    /// <summary>
    /// The service could not tell whether the request (or one of its fields) took effect: a grain call failed because a
    /// silo died or the cluster is reconfiguring, timed out, or the database was unreachable. <c>extensions.retryable</c>
    /// is true and the response carries <c>Retry-After</c>: sending the same request again is safe (a registration or
    /// import with the same client request id never creates a second grievance).
    /// </summary>
    public const string OutcomeUnknown = ErrorCodes.OutcomeUnknown;

    /// <summary>Something unexpected failed on the server; details are logged, never returned.</summary>
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";
}
