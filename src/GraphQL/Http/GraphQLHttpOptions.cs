using GraphQL;
using GraphQL.Validation.Complexity;
using Microsoft.AspNetCore.Http;

namespace Helpline.GraphQL.Http;

/// <summary>Settings of the GraphQL-over-HTTP endpoint (see <see cref="GraphQLHttpEndpointExtensions"/>).</summary>
public sealed class GraphQLHttpOptions
{
    /// <summary>The default <see cref="MaxRequestBodyBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The default maximum depth of a GraphQL document (nested selection sets).</summary>
    public const int DefaultMaxDepth = 15;

    /// <summary>
    /// Largest POST body accepted, in bytes; a larger one is answered with 413 before it is parsed.
    /// Defaults to <see cref="DefaultMaxRequestBodyBytes"/>.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>The default <see cref="MaxQueryLength"/>: 32,768 characters.</summary>
    public const int DefaultMaxQueryLength = 32 * 1024;

    /// <summary>The default maximum complexity of a document (GraphQL.NET's complexity measure).</summary>
    public const int DefaultMaxComplexity = 2_000_000;

    /// <summary>
    /// Longest GraphQL document accepted, in characters (variables do not count, so large import batches still fit in
    /// the body). Parsing and validating cost grows faster than the document, so a huge document is refused with 413
    /// before it is parsed.
    /// </summary>
    public int MaxQueryLength { get; set; } = DefaultMaxQueryLength;

    /// <summary>Whether queries may be sent with GET (mutations never may). Defaults to true.</summary>
    public bool EnableGet { get; set; } = true;

    /// <summary>
    /// Depth and complexity limits, applied as GraphQL.NET's complexity validation rule on every request.
    /// Defaults to a maximum depth of <see cref="DefaultMaxDepth"/> and a complexity of <see cref="DefaultMaxComplexity"/> (an alias bomb that would build a huge response is refused); set to null to switch the rule off.
    /// A document over a limit fails validation (<see cref="GraphQLHttpErrorCodes.ValidationFailed"/>, HTTP 400).
    /// </summary>
    public ComplexityOptions? Complexity { get; set; } = new() { MaxDepth = DefaultMaxDepth, MaxComplexity = DefaultMaxComplexity };

    /// <summary>
    /// When the <c>Accept</c> header is missing or only wildcards (<c>*/*</c>, <c>application/*</c>), answer with
    /// <c>application/json</c> instead of <c>application/graphql-response+json</c>. Defaults to false: the spec's own
    /// media type is preferred (the npm graphql-http audits 47DE and 80D8 prefer the legacy type and report a warning).
    /// </summary>
    public bool PreferApplicationJsonForWildcards { get; set; }

    /// <summary>
    /// Called for every request after the endpoint has filled in the <see cref="ExecutionOptions"/> (schema, document,
    /// variables, user context, request services, cancellation, validation rules), just before execution. Use it for
    /// timeouts, extra validation rules, listeners or per-user limits.
    /// </summary>
    public Action<ExecutionOptions, HttpContext>? ConfigureExecution { get; set; }
}
