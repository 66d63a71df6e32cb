using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Helpline.Tests.GraphQL.Ws;

/// <summary>A raw graphql-transport-ws client for protocol tests: sends what it is told, reads messages one by one.</summary>
internal sealed class WsTestClient : IAsyncDisposable
{
    // Long enough for a loaded CI machine; a test that waits this long has failed anyway.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket = new();

    private WsTestClient()
    {
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseReason => _socket.CloseStatusDescription;

    public static async Task<WsTestClient> ConnectAsync(Uri http, string? subProtocol = "graphql-transport-ws")
    {
        var client = new WsTestClient();
        if (subProtocol is not null)
        {
            client._socket.Options.AddSubProtocol(subProtocol);
        }

        var ws = new UriBuilder(http) { Scheme = http.Scheme == "https" ? "wss" : "ws", Path = "/graphql" }.Uri;
        await client._socket.ConnectAsync(ws, TestContext.Current.CancellationToken);
        return client;
    }

    /// <summary>Connects, sends connection_init with the token and reads the ack.</summary>
    public static async Task<WsTestClient> InitAsync(Uri http, string? token)
    {
        var client = await ConnectAsync(http);
        await client.SendAsync(new { type = "connection_init", payload = token is null ? null : new { Authorization = "Bearer " + token } });
        var ack = await client.ReceiveAsync();
        Assert.Equal("connection_ack", ack?["type"]?.GetValue<string>());
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>Sends a ping and reads up to its pong: every message sent before it has been handled by then.</summary>
    public async Task<List<JsonObject>> SyncAsync()
    {
        await SendAsync(new { type = "ping" });
        var before = new List<JsonObject>();
        while (await ReceiveAsync() is { } message)
        {
            if (message["type"]?.GetValue<string>() == "pong")
            {
                return before;
            }

            before.Add(message);
        }

        throw new InvalidOperationException($"The connection closed ({CloseStatus} {CloseReason}) before the pong.");
    }

    /// <summary>The next message, or null when the server closed the connection.</summary>
    public async Task<JsonObject?> ReceiveAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience);
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        while (true)
        {
            var r = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            text.Write(buffer, 0, r.Count);
            if (r.EndOfMessage)
            {
                return JsonNode.Parse(text.ToArray())!.AsObject();
            }
        }
    }

    /// <summary>Reads messages until the server closes; returns the close code.</summary>
    public async Task<int> ClosedWithAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        return (int)CloseStatus!.Value;
    }

    /// <summary>The next message of operation <paramref name="id"/>, skipping pongs.</summary>
    public async Task<JsonObject> NextOfAsync(string id)
    {
        while (await ReceiveAsync() is { } message)
        {
            if (message["id"]?.GetValue<string>() == id)
            {
                return message;
            }
        }

        throw new InvalidOperationException($"The connection closed ({CloseStatus} {CloseReason}) before a message of '{id}'.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
