using System.Diagnostics;
using System.Text.Encodings.Web;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IO;
using Microsoft.Net.Http.Headers;

namespace Helpline.GraphQL.Http;

/// <summary>
/// Serves one GraphQL-over-HTTP request: method and media-type checks, reading the request, executing it with the
/// schema and document executer from the request's services, and writing the response with the status code the spec
/// asks for. Rate limits, the document cache and the mutation timeout live in their own files. See <see cref="GraphQLHttpEndpointExtensions.MapHelplineGraphQL"/> for the rules.
/// </summary>
internal sealed partial class GraphQLHttpHandler
{
    /// <summary>Key in an error's extensions of the trace id that the log entry of an internal error carries.</summary>
    public const string TraceIdExtension = "traceId";

    private readonly GraphQLHttpOptions _options;
    private readonly ILogger<GraphQLHttpHandler> _logger;
    private readonly GraphQLSerializer _serializer;
    private readonly IValidationRule[] _validationRules;
    private readonly IValidationRule[] _cachedDocumentRules;
    private readonly GraphQLDocumentCache _documents;
    private readonly GraphQLRateLimits _rateLimits;
    private readonly GraphQLDocumentBuilder _fallbackDocumentBuilder = new();
    private readonly GraphiQLPage? _graphiql;

    // Answers are serialized to memory before they are sent; a board's half a megabyte in one growing array would land
    // on the large object heap at every request and bring on full collections. Pooled blocks are reused instead.
    // Free blocks kept are capped, so that one burst of large answers does not keep its memory for good.
    private readonly RecyclableMemoryStreamManager _buffers = new(new RecyclableMemoryStreamManager.Options
    {
        MaximumSmallPoolFreeBytes = 64 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 64 * 1024 * 1024,
    });

    public GraphQLHttpHandler(IOptions<GraphQLHttpOptions> options, ILogger<GraphQLHttpHandler> logger, GraphQLDocumentCache documents, GraphQLRateLimits rateLimits)
    {
        _options = options.Value;
        _logger = logger;
        _documents = documents;
        _rateLimits = rateLimits;
        _serializer = new GraphQLSerializer(
            // Relaxed escaping keeps quotes, '+' and Hindi readable in messages; responses are JSON, never inlined in HTML.
            json => json.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            new HelplineErrorInfoProvider());
        // A cached document already passed the rules that depend on the document alone; who asks and the variables
        // (page sizes, complexity) can differ from one request to the next, so those rules run every time.
        _cachedDocumentRules = _options.Complexity is { } complexity
            ? [FieldAccessValidationRule.Instance, new ComplexityValidationRule(complexity)]
            : [FieldAccessValidationRule.Instance];
        _validationRules = [.. DocumentValidator.CoreRules, .. _cachedDocumentRules];
        _graphiql = _options.GraphiQLDirectory is { } graphiql ? new GraphiQLPage(graphiql) : null;
    }

    /// <summary>The serializer of answers (and of WebSocket messages).</summary>
    internal GraphQLSerializer Serializer => _serializer;

    internal GraphQLHttpOptions Options => _options;

    internal GraphQLRateLimits RateLimits => _rateLimits;

    internal GraphQLDocumentCache Documents => _documents;

    /// <summary>
    /// How one operation runs, whatever its transport: the caller in the user context, the validation rules (fewer for
    /// a document taken from the cache, which passed the rest already), the parallelism limit, unexpected failures logged.
    /// </summary>
    internal ExecutionOptions ExecutionOptionsFor(
        HttpContext http, ISchema schema, GraphQLHttpRequest request, GraphQLDocument? document, bool cached, Caller caller, CancellationToken cancellationToken) => new()
    {
        Schema = schema,
        Query = request.Query,
        Document = document,
        OperationName = request.OperationName,
        Variables = request.Variables,
        Extensions = request.Extensions,
        RequestServices = http.RequestServices,
        User = http.User,
        UserContext = GraphQLUserContext.Create(http, caller),
        CancellationToken = cancellationToken,
        ValidationRules = cached ? _cachedDocumentRules : _validationRules,
        MaxParallelExecutionCount = _options.MaxParallelResolvers,
        ThrowOnUnhandledException = false,
        UnhandledExceptionDelegate = context => OnUnhandledException(context, http),
    };

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        var isPost = HttpMethods.IsPost(request.Method);
        if (isGet && _graphiql is not null && GraphQLMediaTypes.PrefersHtml(request.Headers.Accept))
        {
            await _graphiql.WritePageAsync(http);
            return;
        }

        var allow = _options.EnableGet ? "GET, POST" : "POST";
        if (!isPost && !(isGet && _options.EnableGet))
        {
            await WriteRequestErrorAsync(http, new GraphQLHttpRequestError(
                StatusCodes.Status405MethodNotAllowed, GraphQLHttpErrorCodes.MethodNotAllowed,
                $"Method {request.Method} is not allowed; send GraphQL requests with {(_options.EnableGet ? "POST, or GET for queries" : "POST")}.")
            { Allow = allow });
            return;
        }

        var mediaType = GraphQLMediaTypes.Negotiate(request.Headers.Accept, _options.PreferApplicationJsonForWildcards);
        if (mediaType is null)
        {
            await WriteRequestErrorAsync(http, new GraphQLHttpRequestError(
                StatusCodes.Status406NotAcceptable, GraphQLHttpErrorCodes.NotAcceptable,
                $"None of the media types in the Accept header can be produced; accept '{GraphQLMediaTypes.GraphQLResponseJson}' or '{GraphQLMediaTypes.Json}'."));
            return;
        }

        GraphQLHttpReadResult read;
        try
        {
            read = isPost
                ? await GraphQLHttpRequestReader.ReadPostAsync(request, _options.MaxRequestBodyBytes, _serializer, http.RequestAborted)
                : GraphQLHttpRequestReader.ReadGet(request.Query, _serializer);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (BadHttpRequestException ex)
        {
            // The server refused the body itself (for example too slow, or malformed chunking).
            read = new GraphQLHttpRequestError(ex.StatusCode,
                ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? GraphQLHttpErrorCodes.PayloadTooLarge : GraphQLHttpErrorCodes.BadRequest,
                "The request body could not be read.");
        }
        catch (Exception ex)
        {
            var traceId = TraceId(http);
            LogUnexpected(_logger, ex, null, "(reading the request)", traceId);
            read = new GraphQLHttpRequestError(StatusCodes.Status500InternalServerError, GraphQLHttpErrorCodes.InternalServerError,
                HelplineErrorInfoProvider.InternalErrorMessage);
        }
        if (read.Error is not null)
        {
            await WriteRequestErrorAsync(http, read.Error);
            return;
        }

        var authentication = http.RequestServices.GetService<ICallerAuthenticator>() is { } authenticator
            ? await authenticator.AuthenticateAsync(http)
            : CallerResult.Of(Caller.NewPublic());
        if (authentication.Caller is not { } caller)
        {
            // RFC 6750: the challenge names the scheme and says the token was refused; the reason is in the body and the log.
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await WriteRequestErrorAsync(http, new GraphQLHttpRequestError(StatusCodes.Status401Unauthorized, authentication.ErrorCode!, authentication.Message!));
            return;
        }

        if (_rateLimits.TryAcquire(http, caller) is { } limited)
        {
            LogRateLimited(_logger, caller.Subject, caller.Role);
            await WriteRequestErrorAsync(http, limited);
            return;
        }

        var resolved = await GraphQLPersistedDocuments.ResolveAsync(http, read.Request!, caller);
        if (resolved.Error is not null)
        {
            await WriteRequestErrorAsync(http, resolved.Error);
            return;
        }

        await ExecuteAsync(http, resolved.Request!, isGet, mediaType, caller);
    }

    /// <summary>Serves a built GraphiQL asset (404 when GraphiQL is switched off or the file is not there).</summary>
    public Task WriteGraphiQLAssetAsync(HttpContext http, string file)
    {
        if (_graphiql is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return _graphiql.WriteAssetAsync(http, file);
    }

    private async Task ExecuteAsync(HttpContext http, GraphQLHttpRequest request, bool isGet, string mediaType, Caller caller)
    {
        var services = http.RequestServices;
        ExecutionResult result;
        try
        {
            var schema = services.GetService<ISchema>()
                ?? throw new InvalidOperationException("No GraphQL schema (ISchema) is registered: register one with services.AddGraphQL(b => b.AddSchema<...>()).");
            var executer = services.GetService<IDocumentExecuter>()
                ?? throw new InvalidOperationException("No IDocumentExecuter is registered: call services.AddGraphQL(...).");

            if (request.Query.Length > _options.MaxQueryLength)
            {
                await WriteRequestErrorAsync(http, new GraphQLHttpRequestError(
                    StatusCodes.Status413PayloadTooLarge, GraphQLHttpErrorCodes.PayloadTooLarge,
                    $"The GraphQL document has {request.Query.Length} characters; the limit is {_options.MaxQueryLength}. Pass large data in variables."));
                return;
            }

            var cached = _documents.Find(request.Query);
            GraphQLDocument? document = cached;
            try
            {
                document ??= TryParse(services, request.Query);
            }
            catch (GraphQLParser.Exceptions.GraphQLMaxDepthExceededException)
            {
                await WriteRequestErrorAsync(http, new GraphQLHttpRequestError(
                    StatusCodes.Status400BadRequest, GraphQLHttpErrorCodes.ParseFailed,
                    "The GraphQL document is nested too deeply to parse."));
                return;
            }
            catch (UnparsableDocumentException)
            {
                await WriteRequestErrorAsync(http, new GraphQLHttpRequestError(
                    StatusCodes.Status400BadRequest, GraphQLHttpErrorCodes.ParseFailed,
                    "The GraphQL document is not valid GraphQL syntax."));
                return;
            }

            if (cached is null && document is not null && GraphQLDocumentLimits.Check(document, _options) is { } tooCostly)
            {
                await WriteRequestErrorAsync(http, tooCostly);
                return;
            }

            var operation = document is null ? null : SelectOperation(document, request.OperationName);
            if (operation?.Operation == OperationType.Mutation && isGet)
            {
                await WriteRequestErrorAsync(http, new GraphQLHttpRequestError(
                    StatusCodes.Status405MethodNotAllowed, GraphQLHttpErrorCodes.MethodNotAllowed,
                    "Mutations cannot be sent with GET; send them with POST.")
                { Allow = "POST" });
                return;
            }

            if (operation?.Operation == OperationType.Subscription)
            {
                result = new ExecutionResult(GraphQLHttpRequestError.BadRequest(
                    "Subscriptions are not served by the HTTP endpoint (GET or POST)."));
            }
            else
            {
                var options = ExecutionOptionsFor(http, schema, request, document, cached is not null, caller, http.RequestAborted);
                var isMutation = operation?.Operation == OperationType.Mutation;
                if (!isMutation && _options.ExecutionTimeout is { } timeout)
                {
                    options.Timeout = timeout;
                    options.TimeoutAction = TimeoutAction.ReturnTimeoutError;
                }
                _options.ConfigureExecution?.Invoke(options, http);
                var execution = executer.ExecuteAsync(options);
                if (isMutation && _options.MutationTimeout is { } mutationTimeout
                    && await GraphQLMutationTimeout.AnswerIfLateAsync(http, execution, mutationTimeout, WriteOutcomeUnknownAsync, _logger))
                {
                    return;
                }
                result = await execution;
                if (cached is null && document is not null && result.Executed)
                    _documents.Add(request.Query, document);
                LogAccessRefusals(caller, result);
                result = await LogPersonalDataAsync(http, caller, result, document);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away: nobody to answer
        }
        catch (Exception ex)
        {
            var traceId = TraceId(http);
            LogUnexpected(_logger, ex, request.OperationName, "(request)", traceId);
            result = new ExecutionResult(new UnhandledError(HelplineErrorInfoProvider.InternalErrorMessage, ex).AddExtension(TraceIdExtension, traceId));
        }

        var status = StatusCodeFor(result, mediaType);
        if (status == StatusCodes.Status401Unauthorized)
            http.Response.Headers.WWWAuthenticate = "Bearer";
        await WriteResultAsync(http, result, status, WithCharset(mediaType), allow: null);
    }

    /// <summary>
    /// Writes the unmasked personal data the request read to the access log before anything is answered; when the log
    /// cannot be written the data is withheld and the client told to retry.
    /// </summary>
    internal async Task<ExecutionResult> LogPersonalDataAsync(HttpContext http, Caller caller, ExecutionResult result, GraphQLDocument? document)
    {
        var reads = caller.PersonalDataReads;
        if (reads.Count == 0)
            return result;

        var log = http.RequestServices.GetService<IPersonalDataLog>()
            ?? throw new InvalidOperationException("Personal data was read but no access log (IPersonalDataLog) is registered.");
        try
        {
            await log.WriteAsync(caller, reads, OperationSummary(result, document), http.RequestAborted);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            LogAccessLogFailed(_logger, ex, caller.Subject, reads.Count);
            return new ExecutionResult(new GraphQLHttpRequestError(StatusCodes.Status503ServiceUnavailable, AccessErrorCodes.AccessLogUnavailable,
                "The answer holds personal data and the access log could not record this read, so it is withheld. Anything the request changed stays changed; read it again in a moment."));
        }
    }

    /// <summary>Role and scope refusals go to the service log (with who asked, never their token).</summary>
    internal void LogAccessRefusals(Caller caller, ExecutionResult result)
    {
        foreach (var error in result.Errors ?? [])
        {
            var refusal = HelplineErrorInfoProvider.FindHelplineException(error);
            var code = error is AccessDeniedError ? error.Code : refusal?.Code;
            if (code is AccessErrorCodes.Forbidden or AccessErrorCodes.AuthenticationRequired or AccessErrorCodes.OutOfScope or AccessErrorCodes.NotYourself)
                LogAccessRefused(_logger, code, caller.Subject, RoleNames.NameOf(caller.Role), refusal?.Message ?? error.Message);
        }
    }

    private static string OperationSummary(ExecutionResult result, GraphQLDocument? document)
    {
        var operation = result.Operation ?? document?.Definitions.OfType<GraphQLOperationDefinition>().FirstOrDefault();
        if (operation is null)
            return "(unknown)";
        var fields = operation.SelectionSet.Selections.OfType<GraphQLField>().Select(f => f.Name.StringValue).Distinct();
        return $"{operation.Operation.ToString().ToLowerInvariant()} {string.Join(",", fields)}";
    }

    /// <summary>
    /// Status codes of the GraphQL-over-HTTP spec: 200 once execution has started (even with field errors); for a request
    /// refused before execution (parse, validation, operation selection) 400 with <c>application/graphql-response+json</c>
    /// and 200 with <c>application/json</c> (legacy clients); 500 (503 when the outcome is unknown, 504 for a timeout) when the
    /// server failed before execution. A response with an <see cref="GraphQLHttpErrorCodes.OutcomeUnknown"/> error also gets
    /// <c>Retry-After</c> (<see cref="GraphQLHttpOptions.OutcomeUnknownRetryAfter"/>), whatever its status.
    /// </summary>
    internal static int StatusCodeFor(ExecutionResult result, string mediaType)
    {
        if (result.Executed)
            return StatusCodes.Status200OK;

        if (result.Errors?.OfType<GraphQLHttpRequestError>().FirstOrDefault() is { } transport)
            return transport.StatusCode;
        var kinds = result.Errors?.Select(HelplineErrorInfoProvider.Classify).ToList() ?? [];
        if (kinds.Count == 0 || kinds.Contains(GraphQLErrorKind.Internal))
            return StatusCodes.Status500InternalServerError;
        if (kinds.Contains(GraphQLErrorKind.Denied))
            return result.Errors!.OfType<AccessDeniedError>().Any(e => e.NeedsAuthentication) ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        if (kinds.Contains(GraphQLErrorKind.OutcomeUnknown))
            return StatusCodes.Status503ServiceUnavailable;
        if (kinds.Contains(GraphQLErrorKind.Timeout))
            return StatusCodes.Status503ServiceUnavailable;
        return mediaType == GraphQLMediaTypes.Json ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
    }

    internal GraphQLDocument? TryParse(IServiceProvider services, string query)
    {
        try
        {
            var builder = services.GetService<IDocumentBuilder>() ?? _fallbackDocumentBuilder;
            return builder.Build(query);
        }
        catch (GraphQLParser.Exceptions.GraphQLMaxDepthExceededException)
        {
            throw;
        }
        catch (Exception ex) when (ex is global::GraphQL.ExecutionError or GraphQLParser.Exceptions.GraphQLParserException)
        {
            return null; // the executer parses it again and reports the syntax error in the usual way
        }
        catch (Exception ex)
        {
            // The parser failed while composing its own syntax error (an IndexOutOfRangeException with control
            // characters in garbage documents); the executer would fail the same way, as an internal error.
            throw new UnparsableDocumentException(ex);
        }
    }

    internal sealed class UnparsableDocumentException(Exception inner) : Exception("The GraphQL document could not be parsed.", inner);

    /// <summary>The operation GraphQL will run, or null when it cannot be told (the executer then reports why).</summary>
    internal static GraphQLOperationDefinition? SelectOperation(GraphQLDocument document, string? operationName)
    {
        GraphQLOperationDefinition? match = null;
        foreach (var definition in document.Definitions)
        {
            if (definition is not GraphQLOperationDefinition operation)
                continue;
            if (operationName is null)
            {
                if (match is not null)
                    return null;
                match = operation;
            }
            else if (operation.Name is { } name && name.StringValue == operationName)
            {
                return operation;
            }
        }
        return match;
    }

    internal Task OnUnhandledException(UnhandledExceptionContext context, HttpContext http)
    {
        var operationName = context.Context?.Operation?.Name?.StringValue ?? context.ExecutionOptions.OperationName ?? "(anonymous)";
        if (HelplineErrorInfoProvider.FindHelplineException(context.Exception) is { } refusal)
        {
            LogRefusal(_logger, refusal.Code, refusal.Field, operationName);
            return Task.CompletedTask;
        }

        var traceId = TraceId(http);
        var path = context.FieldContext?.Path is { } segments ? string.Join('.', segments) : "(request)";
        if (OutcomeUnknownFailures.Find(context.OriginalException) is not null)
            LogOutcomeUnknown(_logger, context.OriginalException, operationName, path, traceId);
        else
            LogUnexpected(_logger, context.OriginalException, operationName, path, traceId);
        context.Exception = new UnhandledError(HelplineErrorInfoProvider.InternalErrorMessage, context.Exception)
            .AddExtension(TraceIdExtension, traceId);
        return Task.CompletedTask;
    }

    /// <summary>Answers 503 <see cref="GraphQLHttpErrorCodes.OutcomeUnknown"/> with <c>Retry-After</c> (a mutation past its timeout).</summary>
    private Task WriteOutcomeUnknownAsync(HttpContext http)
        => WriteResultAsync(http, new ExecutionResult(new ExecutionError(OutcomeUnknownFailures.Message, new TimeoutException("The mutation outlived its timeout."))),
            StatusCodes.Status503ServiceUnavailable, GraphQLMediaTypes.JsonUtf8, allow: null);

    private Task WriteRequestErrorAsync(HttpContext http, GraphQLHttpRequestError error)
        => WriteResultAsync(http, new ExecutionResult(error), error.StatusCode, GraphQLMediaTypes.JsonUtf8, error.Allow);

    private async Task WriteResultAsync(HttpContext http, ExecutionResult result, int statusCode, string contentType, string? allow)
    {
        // Serialized to memory first, so that a failure while serializing can still become a clean 500.
        await using var body = _buffers.GetStream("graphql-response");
        try
        {
            await _serializer.WriteAsync(body, result, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            var traceId = TraceId(http);
            LogUnexpected(_logger, ex, result.Operation?.Name?.StringValue, "(serializing the response)", traceId);
            body.SetLength(0);
            await _serializer.WriteAsync(body, new ExecutionResult(
                new UnhandledError(HelplineErrorInfoProvider.InternalErrorMessage, ex).AddExtension(TraceIdExtension, traceId)));
            statusCode = StatusCodes.Status500InternalServerError;
        }

        var response = http.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
        if (allow is not null)
            response.Headers.Allow = allow;
        if (result.Errors?.OfType<GraphQLHttpRequestError>().FirstOrDefault(e => e.RetryAfterSeconds is not null) is { } refused)
            response.Headers.RetryAfter = refused.RetryAfterSeconds!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        else if (result.Errors?.Any(e => HelplineErrorInfoProvider.Classify(e) is GraphQLErrorKind.OutcomeUnknown or GraphQLErrorKind.Timeout || e.Code == AccessErrorCodes.AccessLogUnavailable) == true)
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(_options.OutcomeUnknownRetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        body.Position = 0;
        await body.CopyToAsync(response.Body, http.RequestAborted);
    }

    private static string WithCharset(string mediaType)
        => mediaType == GraphQLMediaTypes.Json ? GraphQLMediaTypes.JsonUtf8 : GraphQLMediaTypes.GraphQLResponseJsonUtf8;

    private static string TraceId(HttpContext http) => Activity.Current?.Id ?? http.TraceIdentifier;

    [LoggerMessage(EventId = 1, Level = LogLevel.Error,
        Message = "GraphQL operation {OperationName} failed unexpectedly at {Path} (traceId {TraceId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string? operationName, string path, string traceId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "GraphQL operation {OperationName} at {Path} ended with an unknown outcome (traceId {TraceId}); the client was told to retry")]
    private static partial void LogOutcomeUnknown(ILogger logger, Exception exception, string? operationName, string path, string traceId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning,
        Message = "Refused {Code} to '{Subject}' ({Role}): {Reason}")]
    private static partial void LogAccessRefused(ILogger logger, string code, string subject, string role, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error,
        Message = "The access log could not record {Count} personal-data reads by {Subject}; the answer was withheld")]
    private static partial void LogAccessLogFailed(ILogger logger, Exception exception, string subject, int count);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information,
        Message = "Refused a request of '{Subject}' ({Role}): over its rate limit")]
    private static partial void LogRateLimited(ILogger logger, string subject, Role role);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
        Message = "GraphQL operation {OperationName} refused with {Code} (field {Field})")]
    private static partial void LogRefusal(ILogger logger, string code, string? field, string? operationName);
}
