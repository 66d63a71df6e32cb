using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Helpline.GraphQL.Ws.TransportWs;

namespace Helpline.GraphQL.Ws;

/// <summary>
/// One client's WebSocket: reads its messages in order (so a <c>ping</c> sent after a <c>subscribe</c> is answered
/// only once the subscription listens), writes through a bounded queue, and closes with the protocol's codes.
/// </summary>
internal sealed partial class GraphQLWebSocketConnection : IOperationSink
{
    private readonly WebSocket _socket;
    private readonly HttpContext _http;
    private readonly GraphQLWebSocketOptions _options;
    private readonly GraphQLWebSocketRunner _runner;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _outgoing;
    private readonly ConcurrentDictionary<string, IDisposable?> _operations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop;
    private Close? _close;
    private Caller? _caller;
    private bool _initReceived;
    private ITimer? _expiry;
    private string? _authorization;

    // How often an open connection's token is looked at again (revocation, expiry).
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromMinutes(5);

    public GraphQLWebSocketConnection(
        WebSocket socket, HttpContext http, GraphQLWebSocketOptions options, GraphQLWebSocketRunner runner, TimeProvider clock, ILogger logger)
    {
        _socket = socket;
        _http = http;
        _options = options;
        _runner = runner;
        _clock = clock;
        _logger = logger;
        _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.MaxQueuedMessages) { SingleReader = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
    }

    public async Task RunAsync()
    {
        var writer = Task.Run(WriteLoopAsync);
        using var initTimer = _clock.CreateTimer(
            _ => { if (!Volatile.Read(ref _initReceived)) RequestClose(Close.InitTimeout); }, null, _options.ConnectionInitTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            await ReadLoopAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away, or the connection was cut off.
        }
        catch (Exception ex)
        {
            LogFailed(ex);
            RequestClose(Close.Internal);
        }
        finally
        {
            _expiry?.Dispose();
            foreach (var id in _operations.Keys)
            {
                Unsubscribe(id);
            }

            RequestClose(Close.Normal);
            await writer;
            _stop.Dispose();
        }
    }

    // Reads until the client's close frame (sent first, or in answer to ours). Cancelling a receive would abort the
    // socket before our close frame went out, so closes are asked of the writer and the reading goes on meanwhile.
    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    RequestClose(Close.Normal);
                    return;
                }

                if (_close is not null)
                {
                    continue; // closing: whatever else comes is not answered
                }

                if (received.MessageType == WebSocketMessageType.Binary)
                {
                    RequestClose(Close.BadRequest("Binary messages are not part of graphql-transport-ws; send text"));
                    continue;
                }

                if (message.WrittenCount + received.Count > _options.MaxMessageBytes)
                {
                    RequestClose(Close.TooBig);
                    continue;
                }

                message.Write(buffer.AsSpan(0, received.Count));
                if (received.EndOfMessage)
                {
                    await HandleAsync(message.WrittenMemory);
                    message.ResetWrittenCount();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            RequestClose(Close.BadRequest("Invalid message received: not JSON"));
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                RequestClose(Close.BadRequest("Invalid message received: an object with a string 'type' is expected"));
                return;
            }

            var payload = root.TryGetProperty("payload", out var p) ? p : default;
            switch (typeElement.GetString())
            {
                case ConnectionInit:
                    await InitAsync(payload);
                    break;
                case Ping:
                    Send(Messages.Pong());
                    break;
                case Pong:
                    break;
                case Subscribe:
                    await SubscribeAsync(root, payload);
                    break;
                case Complete:
                    if (Id(root) is { } done)
                    {
                        Unsubscribe(done);
                    }

                    break;
                default:
                    RequestClose(Close.BadRequest($"Invalid message received: unknown type '{typeElement.GetString()}'"));
                    break;
            }
        }
    }

    private async Task InitAsync(JsonElement payload)
    {
        if (_initReceived)
        {
            RequestClose(Close.TooManyInits);
            return;
        }

        Volatile.Write(ref _initReceived, true);
        if (payload.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            RequestClose(Close.BadRequest("Invalid message received: the connection_init payload must be an object"));
            return;
        }

        _authorization = TokenOf(payload);
        var (caller, refusal) = await GraphQLWebSocketRunner.AuthenticateAsync(_http, _authorization);
        if (caller is null)
        {
            RequestClose(Close.Forbidden(refusal!));
            return;
        }

        _caller = caller;
        ArmExpiry();
        Send(Messages.Ack());
    }

    // The token is looked at again when it expires and every few minutes before: an expired token (past the clock
    // skew the authenticator allows) or a revoked one ends the connection with the authenticator's own code.
    private void ArmExpiry(TimeSpan? after = null)
    {
        if (_caller?.ExpiresAt is not { } expiresAt || _close is not null)
        {
            return;
        }

        var left = expiresAt - _clock.GetUtcNow();
        var due = after ?? (left <= TimeSpan.Zero ? TimeSpan.Zero : left < RecheckEvery ? left : RecheckEvery);
        var previous = _expiry;
        _expiry = _clock.CreateTimer(_ => _ = RecheckAsync(), null, due, Timeout.InfiniteTimeSpan);
        previous?.Dispose();
    }

    private async Task RecheckAsync()
    {
        try
        {
            var (caller, refusal) = await GraphQLWebSocketRunner.AuthenticateAsync(_http, _authorization);
            if (caller is null)
            {
                RequestClose(Close.Forbidden(refusal!));
                return;
            }

            // Still accepted: past its expiry only within the allowed clock skew, so look again shortly.
            ArmExpiry(caller.ExpiresAt <= _clock.GetUtcNow() ? TimeSpan.FromSeconds(5) : null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFailed(ex);
            RequestClose(Close.Internal);
        }
    }

    // The token as graphql-ws clients send it: connectionParams { Authorization: "Bearer ..." } or { token: "..." }.
    private static string? TokenOf(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in payload.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            if (property.NameEquals("token"))
            {
                return "Bearer " + property.Value.GetString();
            }

            if (string.Equals(property.Name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.GetString();
            }
        }

        return null;
    }

    private async Task SubscribeAsync(JsonElement root, JsonElement payload)
    {
        if (_caller is null)
        {
            RequestClose(Close.Unauthorized);
            return;
        }

        if (Id(root) is not { } id)
        {
            RequestClose(Close.BadRequest("Invalid message received: subscribe needs a non-empty string 'id'"));
            return;
        }

        if (payload.ValueKind != JsonValueKind.Object)
        {
            RequestClose(Close.BadRequest("Invalid message received: subscribe needs a 'payload' object holding 'query'"));
            return;
        }

        if (_operations.ContainsKey(id))
        {
            RequestClose(Close.SubscriberExists(id));
            return;
        }

        if (_operations.Count >= _options.MaxOperationsPerConnection)
        {
            Send(Messages.Error(id, _runner.Refusal(GraphQLWebSocketRunner.TooManySubscriptions,
                $"At most {_options.MaxOperationsPerConnection} operations may run at once on one connection; complete one first.")));
            return;
        }

        _operations[id] = null;
        var subscription = await _runner.RunAsync(id, payload, _caller.Fresh(), _http, this, _stop.Token);
        if (subscription is null || !_operations.TryUpdate(id, subscription, null))
        {
            subscription?.Dispose();
            _operations.TryRemove(id, out _);
        }
    }

    private static string? Id(JsonElement root) =>
        root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text ? text : null;

    private void Unsubscribe(string id)
    {
        if (_operations.TryRemove(id, out var subscription))
        {
            subscription?.Dispose();
        }
    }

    void IOperationSink.Send(byte[] message) => Send(message);

    void IOperationSink.Finished(string id) => Unsubscribe(id);

    private void Send(byte[] message)
    {
        if (_outgoing.Writer.TryWrite(message) || _close is not null)
        {
            return;
        }

        // The client reads slower than its events come: cut it off rather than queue without end.
        if (RequestClose(Close.TooSlow))
        {
            LogSlowClient(_options.MaxQueuedMessages, _http.Connection.RemoteIpAddress?.ToString());
        }
    }

    /// <summary>Ends the connection with <paramref name="close"/> (the first asked for wins); false when another came first.</summary>
    public bool RequestClose(Close close)
    {
        if (Interlocked.CompareExchange(ref _close, close, null) is not null)
        {
            return false;
        }

        _outgoing.Writer.TryComplete();
        if (ReferenceEquals(close, Close.TooSlow))
        {
            Cut();
        }

        return true;
    }

    // A client that does not read would not read a close frame either. Aborting the socket itself does not depend on a
    // send being under way (cancelling one aborts a socket, but under load the writer may not have started one yet).
    private void Cut()
    {
        _socket.Abort();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // The only sender: messages in order, then the close frame once a close was asked for.
    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(_stop.Token))
            {
                await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived && _close is { } close)
            {
                await _socket.CloseOutputAsync(close.Code, close.Reason, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            return; // cut off or gone: what was queued is dropped
        }

        // A client that does not answer our close frame is cut off after a moment.
        try
        {
            _stop.CancelAfter(TimeSpan.FromSeconds(2));
        }
        catch (ObjectDisposedException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A GraphQL WebSocket client at {RemoteAddress} fell {Queued} messages behind and was cut off")]
    private partial void LogSlowClient(int queued, string? remoteAddress);

    [LoggerMessage(Level = LogLevel.Error, Message = "A GraphQL WebSocket connection failed")]
    private partial void LogFailed(Exception ex);
}

/// <summary>Where an operation's messages go.</summary>
internal interface IOperationSink
{
    void Send(byte[] message);

    /// <summary>The operation ended by itself (its stream completed or failed).</summary>
    void Finished(string id);
}
