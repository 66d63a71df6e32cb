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

    /// <summary>
    /// The default maximum complexity of a document: about the number of values its answer may hold, with list sizes
    /// counted as described at <see cref="Complexity"/>. 25,000 fits a page of 100 grievances with 20 fields and their
    /// timelines; 1,000 aliases of <c>grievances(first: 100)</c> are refused.
    /// </summary>
    public const int DefaultMaxComplexity = 25_000;

    /// <summary>
    /// The size assumed for a page whose size the document does not state (a list field, or a connection's list, that
    /// takes <c>first</c> but was not given it): the schema's documented default page size (<c>grievances(first: 20)</c>).
    /// Lists that are not paginated (a jurisdiction's children, a timeline) keep GraphQL.NET's estimate of 5 a level.
    /// </summary>
    public const int DefaultListSize = 20;

    /// <summary>The default <see cref="MaxFragmentSpreads"/>.</summary>
    public const int DefaultMaxFragmentSpreads = 500;

    /// <summary>The default <see cref="MaxExpandedSelections"/>.</summary>
    public const int DefaultMaxExpandedSelections = 5_000;

    /// <summary>The default <see cref="MaxParallelResolvers"/>.</summary>
    public const int DefaultMaxParallelResolvers = 4;

    /// <summary>
    /// Most fragment spreads (<c>...Name</c>) one document may hold, counted in the text as written. Over it the request
    /// gets 400 <see cref="GraphQLHttpErrorCodes.DocumentTooComplex"/> before validation. Defaults to <see cref="DefaultMaxFragmentSpreads"/>.
    /// </summary>
    public int MaxFragmentSpreads { get; set; } = DefaultMaxFragmentSpreads;

    /// <summary>
    /// Most field selections one document may hold once every fragment spread is replaced by its fragment (summed over
    /// the document's operations and fragments), computed without expanding anything. Over it the request gets 400
    /// <see cref="GraphQLHttpErrorCodes.DocumentTooComplex"/> before validation, whose cost grows with the expanded size.
    /// Defaults to <see cref="DefaultMaxExpandedSelections"/>.
    /// </summary>
    public int MaxExpandedSelections { get; set; } = DefaultMaxExpandedSelections;

    /// <summary>
    /// Most field resolvers of one request that may be running (awaiting a grain or the database) at the same time:
    /// GraphQL.NET's <c>MaxParallelExecutionCount</c>. Each such resolver holds at most one database connection, so one
    /// request never holds more than this many connections of a pool, however many aliases it has. Null for no limit.
    /// Defaults to <see cref="DefaultMaxParallelResolvers"/>.
    /// </summary>
    public int? MaxParallelResolvers { get; set; } = DefaultMaxParallelResolvers;

    /// <summary>
    /// Longest GraphQL document accepted, in characters (variables do not count, so large import batches still fit in
    /// the body). Parsing and validating cost grows faster than the document, so a huge document is refused with 413
    /// before it is parsed.
    /// </summary>
    public int MaxQueryLength { get; set; } = DefaultMaxQueryLength;

    /// <summary>
    /// The <c>Retry-After</c> sent with an <see cref="GraphQLHttpErrorCodes.OutcomeUnknown"/> error (whole seconds, at
    /// least 1). Defaults to 2 s: a dead silo is declared dead, and its grains can move, within a few seconds.
    /// </summary>
    public TimeSpan OutcomeUnknownRetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The default <see cref="ExecutionTimeout"/>: 10 s.</summary>
    public static readonly TimeSpan DefaultExecutionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="MutationTimeout"/>: 60 s (an import batch of thousands of records takes seconds).</summary>
    public static readonly TimeSpan DefaultMutationTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The default <see cref="DocumentCacheCharacters"/>: one million characters of document text.</summary>
    public const long DefaultDocumentCacheCharacters = 1_000_000;

    /// <summary>
    /// Longest a query may run. Past it the query is cancelled and answered with 503
    /// <see cref="GraphQLHttpErrorCodes.Timeout"/>, <c>retryable</c> and <c>Retry-After</c>. Null for no limit.
    /// Defaults to <see cref="DefaultExecutionTimeout"/>.
    /// </summary>
    public TimeSpan? ExecutionTimeout { get; set; } = DefaultExecutionTimeout;

    /// <summary>
    /// Longest the client waits for a mutation. A mutation is never cancelled part-way (that could leave it half
    /// applied): past this the client gets 503 <see cref="GraphQLHttpErrorCodes.OutcomeUnknown"/> (retryable, with
    /// <c>Retry-After</c>) while the mutation runs to its end. Null for no limit. Defaults to <see cref="DefaultMutationTimeout"/>.
    /// </summary>
    public TimeSpan? MutationTimeout { get; set; } = DefaultMutationTimeout;

    /// <summary>
    /// Parsed and validated documents are kept for reuse, keyed by their text, up to this many characters of text in
    /// all (each entry counts its length), so unique documents sent by a hostile client cannot grow memory. 0 turns the
    /// cache off. Defaults to <see cref="DefaultDocumentCacheCharacters"/>.
    /// </summary>
    public long DocumentCacheCharacters { get; set; } = DefaultDocumentCacheCharacters;

    /// <summary>Requests allowed per partner (token subject) and per public caller (remote address); see <see cref="GraphQLRateLimitOptions"/>.</summary>
    public GraphQLRateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Whether queries may be sent with GET (mutations never may). Defaults to true.</summary>
    public bool EnableGet { get; set; } = true;

    /// <summary>
    /// Depth and complexity limits, applied as GraphQL.NET's complexity validation rule on every request.
    /// Defaults to <see cref="GraphQLComplexity.CreateOptions"/>: a maximum depth of <see cref="DefaultMaxDepth"/> and a
    /// complexity of <see cref="DefaultMaxComplexity"/>, where every field counts (so every alias counts), and a list
    /// multiplies what is selected in it by its <c>first</c>/<c>last</c> argument, by <see cref="DefaultListSize"/> for
    /// a page without one, and by 5 for a list that is not paginated; introspection is not multiplied. Set to null to
    /// switch the rule off.
    /// A document over a limit fails validation (<see cref="GraphQLHttpErrorCodes.ValidationFailed"/>, HTTP 400).
    /// </summary>
    public ComplexityOptions? Complexity { get; set; } = GraphQLComplexity.CreateOptions();

    /// <summary>
    /// When the <c>Accept</c> header is missing or only wildcards (<c>*/*</c>, <c>application/*</c>), answer with
    /// <c>application/json</c> instead of <c>application/graphql-response+json</c>. A client that names
    /// <c>application/graphql-response+json</c> still gets it. Defaults to true: the spec's SHOULD for a client that says
    /// nothing (npm graphql-http audits 47DE and 80D8), since such a client may predate the new media type. With
    /// <c>application/json</c> a request refused before execution (parse, validation) is answered 200 rather than 400,
    /// as the spec asks for legacy clients.
    /// </summary>
    public bool PreferApplicationJsonForWildcards { get; set; } = true;

    /// <summary>
    /// The folder holding the built GraphiQL page (<c>index.html</c> and <c>assets/</c>, from src/GraphiQL). A GET of the
    /// endpoint whose <c>Accept</c> prefers <c>text/html</c> (a browser) gets that page; the assets are served at
    /// <c>/graphiql/assets/</c>. When the folder has no page, the browser gets a page saying how to build it.
    /// Defaults to <c>graphiql</c> beside the running assembly (the host's build copies it there); null switches the
    /// page off (a browser's GET is then an ordinary GraphQL GET).
    /// </summary>
    public string? GraphiQLDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "graphiql");

    /// <summary>
    /// Called for every request after the endpoint has filled in the <see cref="ExecutionOptions"/> (schema, document,
    /// variables, user context, request services, cancellation, validation rules), just before execution. Use it for
    /// timeouts, extra validation rules, listeners or per-user limits.
    /// </summary>
    public Action<ExecutionOptions, HttpContext>? ConfigureExecution { get; set; }
}
