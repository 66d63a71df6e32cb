using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using Helpline.Platform.Errors;

namespace Helpline.GraphQL.Http;

/// <summary>
/// Turns every GraphQL error into a client-safe error object with a <c>message</c> and a stable <c>extensions.code</c>:
/// <list type="bullet">
/// <item>a <see cref="HelplineException"/> thrown anywhere below a resolver keeps its message, and gets
/// <c>extensions.code</c> = <see cref="HelplineException.Code"/> and <c>extensions.field</c> = <see cref="HelplineException.Field"/> (when set);</item>
/// <item>parse errors get <see cref="GraphQLHttpErrorCodes.ParseFailed"/>; validation errors (including variable coercion and depth or
/// complexity limits) get <see cref="GraphQLHttpErrorCodes.ValidationFailed"/> with the GraphQL.NET rule in <c>extensions.rule</c>;
/// other request errors (operation not found, ambiguous) get <see cref="GraphQLHttpErrorCodes.BadRequest"/>;</item>
/// <item>an <see cref="ExecutionError"/> thrown on purpose by a resolver keeps its message, extensions and code
/// (<see cref="GraphQLHttpErrorCodes.ExecutionFailed"/> when it has none);</item>
/// <item>an exception after which the outcome is unknown (a silo died, the cluster is reconfiguring, a timeout, the
/// database unreachable: see <see cref="OutcomeUnknownFailures"/>) gets <see cref="GraphQLHttpErrorCodes.OutcomeUnknown"/>,
/// <c>extensions.retryable</c> = true and a message saying that a retry is safe (the response gets <c>Retry-After</c>);</item>
/// <item>any other exception gets <see cref="GraphQLHttpErrorCodes.InternalServerError"/> and a generic message: its type, message and
/// stack trace are never returned (the endpoint logs them and adds <c>extensions.traceId</c> to match the log entry).</item>
/// </list>
/// The <c>path</c> and <c>locations</c> of an error are written by the serializer as usual.
/// Register it for other transports too (for example <c>builder.AddErrorInfoProvider&lt;HelplineErrorInfoProvider&gt;()</c>) so that every
/// transport reports errors the same way.
/// </summary>
public sealed class HelplineErrorInfoProvider : ErrorInfoProvider
{
    /// <summary>The message returned in place of the details of an unexpected exception.</summary>
    public const string InternalErrorMessage = "Internal server error.";

    /// <summary>The message of a query cancelled by the execution timeout.</summary>
    public const string TimeoutMessage =
        "The query ran longer than the execution timeout and was stopped; nothing was changed. Retry after Retry-After, or ask for less (a smaller page, fewer fields).";

    /// <summary>Creates the provider; exception details are never exposed.</summary>
    public HelplineErrorInfoProvider()
        : base(new ErrorInfoProviderOptions { ExposeExceptionDetails = false, ExposeData = false })
    {
    }

    /// <inheritdoc/>
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        ArgumentNullException.ThrowIfNull(executionError);

        switch (Classify(executionError))
        {
            case GraphQLErrorKind.Refusal:
                var refusal = FindHelplineException(executionError)!;
                var extensions = new Dictionary<string, object?> { ["code"] = refusal.Code };
                if (refusal.Field is not null)
                    extensions["field"] = refusal.Field;
                return new ErrorInfo { Message = refusal.Message, Extensions = extensions };
            case GraphQLErrorKind.Transport:
                // The transport's own extensions (a rate limit's seconds to wait, a page limit's field) are meant for clients.
                var transport = new Dictionary<string, object?>(executionError.Extensions ?? new Dictionary<string, object?>())
                {
                    ["code"] = executionError.Code ?? GraphQLHttpErrorCodes.BadRequest,
                };
                return new ErrorInfo { Message = executionError.Message, Extensions = transport };
            case GraphQLErrorKind.Parse:
                return Info(executionError.Message, GraphQLHttpErrorCodes.ParseFailed);
            case GraphQLErrorKind.Denied:
                return Info(executionError.Message, executionError.Code!);
            case GraphQLErrorKind.Validation when executionError.Code == GraphQLHttpErrorCodes.PageTooLarge:
                return Deliberate(executionError);
            case GraphQLErrorKind.Validation:
                return Info(executionError.Message, GraphQLHttpErrorCodes.ValidationFailed,
                    ("rule", executionError is ValidationError ? executionError.Code : null));
            case GraphQLErrorKind.Request:
                return Info(executionError.Message, GraphQLHttpErrorCodes.BadRequest);
            case GraphQLErrorKind.Timeout:
                return new ErrorInfo
                {
                    Message = TimeoutMessage,
                    Extensions = new Dictionary<string, object?> { ["code"] = GraphQLHttpErrorCodes.Timeout, ["retryable"] = true },
                };
            case GraphQLErrorKind.OutcomeUnknown:
                var unknown = new Dictionary<string, object?> { ["code"] = GraphQLHttpErrorCodes.OutcomeUnknown, ["retryable"] = true };
                if (executionError.Extensions?.GetValueOrDefault(GraphQLHttpHandler.TraceIdExtension) is { } trace)
                    unknown[GraphQLHttpHandler.TraceIdExtension] = trace;
                return new ErrorInfo { Message = OutcomeUnknownFailures.Message, Extensions = unknown };
            case GraphQLErrorKind.Internal:
                return Info(InternalErrorMessage, GraphQLHttpErrorCodes.InternalServerError,
                    ("traceId", executionError.Extensions?.GetValueOrDefault(GraphQLHttpHandler.TraceIdExtension)));
            default:
                return Deliberate(executionError);
        }
    }

    /// <summary>Sorts an error into the kinds that decide its code and the HTTP status code.</summary>
    internal static GraphQLErrorKind Classify(ExecutionError error) => error switch
    {
        _ when FindHelplineException(error) is not null => GraphQLErrorKind.Refusal,
        GraphQLHttpRequestError => GraphQLErrorKind.Transport,
        SyntaxError => GraphQLErrorKind.Parse,
        AccessDeniedError => GraphQLErrorKind.Denied,
        ValidationError or InvalidOperationError => GraphQLErrorKind.Validation,
        DocumentError or RequestError => GraphQLErrorKind.Request,
        TimeoutError => GraphQLErrorKind.Timeout,
        _ when OutcomeUnknownFailures.Find(error.InnerException) is not null => GraphQLErrorKind.OutcomeUnknown,
        // Anything GraphQL.NET caught as unhandled, or an error wrapping a non-GraphQL exception, was not meant for clients.
        UnhandledError => GraphQLErrorKind.Internal,
        { InnerException: not null and not ExecutionError } => GraphQLErrorKind.Internal,
        _ => GraphQLErrorKind.Deliberate,
    };

    /// <summary>Finds a <see cref="HelplineException"/> in the error's chain of inner exceptions.</summary>
    internal static HelplineException? FindHelplineException(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is HelplineException refusal)
                return refusal;
            if (current is AggregateException { InnerExceptions.Count: 1 } aggregate)
                return FindHelplineException(aggregate.InnerExceptions[0]);
        }
        return null;
    }

    private static ErrorInfo Deliberate(ExecutionError error)
    {
        // An ExecutionError thrown on purpose by a resolver: its message and extensions are meant for the client.
        var extensions = new Dictionary<string, object?>();
        if (error.Extensions is not null)
        {
            foreach (var (key, value) in error.Extensions)
                extensions[key] = value;
        }
        extensions["code"] = error.Code ?? GraphQLHttpErrorCodes.ExecutionFailed;
        return new ErrorInfo { Message = error.Message, Extensions = extensions };
    }

    private static ErrorInfo Info(string message, string code, (string Key, object? Value) extra = default)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (extra.Key is not null && extra.Value is not null)
            extensions[extra.Key] = extra.Value;
        return new ErrorInfo { Message = message, Extensions = extensions };
    }
}

/// <summary>What an error is about, which decides its <c>extensions.code</c> and the HTTP status code.</summary>
internal enum GraphQLErrorKind
{
    /// <summary>A <see cref="HelplineException"/>: a refusal with a domain code.</summary>
    Refusal,

    /// <summary>Found by the HTTP transport before GraphQL ran.</summary>
    Transport,

    /// <summary>The document does not parse.</summary>
    Parse,

    /// <summary>The document names a field the caller's role may not ask for.</summary>
    Denied,

    /// <summary>The document or the variables fail validation.</summary>
    Validation,

    /// <summary>Another request error, such as an operation that cannot be determined.</summary>
    Request,

    /// <summary>Execution ran out of time.</summary>
    Timeout,

    /// <summary>A failure after which nobody knows whether the request took effect; retrying is safe.</summary>
    OutcomeUnknown,

    /// <summary>An unexpected exception.</summary>
    Internal,

    /// <summary>An <see cref="ExecutionError"/> raised on purpose by a resolver.</summary>
    Deliberate,
}
