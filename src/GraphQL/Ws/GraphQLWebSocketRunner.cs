using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQLParser.AST;
using Helpline.GraphQL.Http;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.GraphQL.Ws;

/// <summary>
/// Runs the operations of WebSocket clients with the same schema, validation rules (roles, depth, complexity),
/// limits and error shapes as the HTTP endpoint: a subscription for as long as its stream lasts, a query or mutation
/// as one <c>next</c> and a <c>complete</c>.
/// </summary>
internal sealed class GraphQLWebSocketRunner(GraphQLHttpHandler http)
{
    /// <summary>A connection already runs as many operations as it may.</summary>
    public const string TooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS";

    /// <summary>An event's selection read a complainant's personal data, which is never pushed over a subscription.</summary>
    public const string PersonalDataNotStreamed = "PERSONAL_DATA_NOT_STREAMED";

    private GraphQLSerializer Serializer => http.Serializer;

    /// <summary>The caller of a connection, from the token its <c>connection_init</c> carried (or the upgrade request's header).</summary>
    public static async Task<(Caller? Caller, string? Refusal)> AuthenticateAsync(HttpContext upgrade, string? authorization)
    {
        if (upgrade.RequestServices.GetService<ICallerAuthenticator>() is not { } authenticator)
        {
            return (Caller.NewPublic(), null);
        }

        // The authenticator reads a request's Authorization header; the token came in the first message instead.
        var request = new DefaultHttpContext { RequestServices = upgrade.RequestServices };
        request.Connection.RemoteIpAddress = upgrade.Connection.RemoteIpAddress;
        if ((authorization ?? (string?)upgrade.Request.Headers.Authorization) is { } header)
        {
            request.Request.Headers.Authorization = header;
        }

        var result = await authenticator.AuthenticateAsync(request);
        return result.Caller is { } caller ? (caller, null) : (null, $"{result.ErrorCode}: {result.Message}");
    }

    /// <summary>Runs one operation; returns what to dispose to stop it while it streams, or null when it has ended.</summary>
    public async Task<IDisposable?> RunAsync(string id, JsonElement payload, Caller caller, HttpContext upgrade, IOperationSink sink, CancellationToken cancellationToken)
    {
        var read = GraphQLHttpRequestReader.ReadRequest(payload, Serializer);
        if (read.Error is { } invalid)
        {
            return Fail(id, sink, new ExecutionResult(invalid));
        }

        // Each operation counts against the caller's rate limit, as a request over HTTP does, and may name a persisted document.
        if (http.RateLimits.TryAcquire(upgrade, caller) is { } limited)
        {
            return Fail(id, sink, new ExecutionResult(limited));
        }

        var resolved = await GraphQLPersistedDocuments.ResolveAsync(upgrade, read.Request!, caller);
        if (resolved.Error is { } unknown)
        {
            return Fail(id, sink, new ExecutionResult(unknown));
        }

        var request = resolved.Request!;
        var options = http.Options;
        if (request.Query.Length > options.MaxQueryLength)
        {
            return Fail(id, sink, new ExecutionResult(new GraphQLHttpRequestError(StatusCodes.Status413PayloadTooLarge, GraphQLHttpErrorCodes.PayloadTooLarge,
                $"The GraphQL document has {request.Query.Length} characters; the limit is {options.MaxQueryLength}. Pass large data in variables.")));
        }

        var services = upgrade.RequestServices;
        var cached = http.Documents.Find(request.Query);
        var document = cached;
        try
        {
            document ??= http.TryParse(services, request.Query);
        }
        catch (Exception ex) when (ex is GraphQLParser.Exceptions.GraphQLMaxDepthExceededException or GraphQLHttpHandler.UnparsableDocumentException)
        {
            return Fail(id, sink, new ExecutionResult(new GraphQLHttpRequestError(StatusCodes.Status400BadRequest, GraphQLHttpErrorCodes.ParseFailed,
                "The GraphQL document could not be parsed.")));
        }

        if (cached is null && document is not null && GraphQLDocumentLimits.Check(document, options) is { } tooCostly)
        {
            return Fail(id, sink, new ExecutionResult(tooCostly));
        }

        var execution = http.ExecutionOptionsFor(upgrade, services.GetRequiredService<ISchema>(), request, document, cached is not null, caller, cancellationToken);
        options.ConfigureExecution?.Invoke(execution, upgrade);
        var result = await services.GetRequiredService<IDocumentExecuter>().ExecuteAsync(execution);
        if (cached is null && document is not null && result.Executed)
        {
            http.Documents.Add(request.Query, document);
        }

        http.LogAccessRefusals(caller, result);
        if (result.Streams is { Count: > 0 } streams)
        {
            // One root field per subscription (the spec's single root field rule is among the validation rules).
            return streams.Values.First().Subscribe(new OperationObserver(id, sink, this, caller));
        }

        if (!result.Executed || result.Operation?.Operation == OperationType.Subscription)
        {
            return Fail(id, sink, result);
        }

        result = await http.LogPersonalDataAsync(upgrade, caller, result, document);
        sink.Send(Messages.Next(id, Serializer.Serialize(result)));
        sink.Send(Messages.Complete(id));
        sink.Finished(id);
        return null;
    }

    /// <summary>The <c>error</c> message's payload for a refusal of the transport.</summary>
    public string Refusal(string code, string message) =>
        Errors(new ExecutionResult(new GraphQLHttpRequestError(StatusCodes.Status400BadRequest, code, message)));

    private IDisposable? Fail(string id, IOperationSink sink, ExecutionResult result)
    {
        sink.Send(Messages.Error(id, Errors(result)));
        sink.Finished(id);
        return null;
    }

    // The protocol's error message carries the list of GraphQL errors, formatted as in a response.
    private string Errors(ExecutionResult result) =>
        JsonNode.Parse(Serializer.Serialize(result))?["errors"]?.ToJsonString() ?? "[]";

    private sealed class OperationObserver(string id, IOperationSink sink, GraphQLWebSocketRunner runner, Caller caller) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value)
        {
            // Payloads of subscriptions hold no personal data; should a selection ever read some, it is not sent
            // rather than sent without the access log's record.
            if (caller.PersonalDataReads.Count > 0)
            {
                sink.Send(Messages.Error(id, runner.Refusal(PersonalDataNotStreamed, "Subscriptions do not carry complainants' personal data; query the grievance instead.")));
                sink.Finished(id);
                return;
            }

            sink.Send(Messages.Next(id, runner.Serializer.Serialize(value)));
        }

        public void OnError(Exception error)
        {
            sink.Send(Messages.Error(id, runner.Errors(new ExecutionResult(new UnhandledError(HelplineErrorInfoProvider.InternalErrorMessage, error)))));
            sink.Finished(id);
        }

        public void OnCompleted()
        {
            sink.Send(Messages.Complete(id));
            sink.Finished(id);
        }
    }
}
