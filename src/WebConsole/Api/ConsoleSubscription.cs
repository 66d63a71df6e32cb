using System.Net.WebSockets;
using System.Text.Json;
using Helpline.WebConsole.SignIn;
using Microsoft.AspNetCore.Components.Authorization;

namespace Helpline.WebConsole.Api;

/// <summary>
/// One GraphQL subscription over the service's own <c>/graphql</c> WebSocket (<c>graphql-transport-ws</c>), with the
/// signed-in user's token in <c>connection_init</c>: the API decides what the user hears, as it does for
/// <see cref="ConsoleApi"/>. A page owns one per subscription and disposes of it with its circuit.
/// </summary>
public sealed class ConsoleSubscription : IAsyncDisposable
{
    private const string Protocol = "graphql-transport-ws";
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(10);

    private readonly ApiAddress _address;
    private readonly AuthenticationStateProvider _authentication;
    private readonly CancellationTokenSource _stop = new();
    private ClientWebSocket? _socket;
    private Task? _reading;

    /// <summary>Creates the client; nothing connects until <see cref="StartAsync"/>.</summary>
    public ConsoleSubscription(ApiAddress address, AuthenticationStateProvider authentication)
    {
        _address = address;
        _authentication = authentication;
    }

    /// <summary>
    /// Connects, authenticates and subscribes. <paramref name="onNext"/> gets each result's <c>data</c>;
    /// <paramref name="onEnded"/> is called once when the stream ends for any reason other than disposal (the server
    /// completed it, refused it, or the connection dropped), with what went wrong. Throws when it cannot subscribe.
    /// </summary>
    public async Task StartAsync(string document, object? variables, Func<JsonElement, Task> onNext, Func<string, Task> onEnded)
    {
        var state = await _authentication.GetAuthenticationStateAsync();
        var token = state.User.FindFirst(ConsoleClaims.Token)?.Value;
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(Protocol);
        _socket = socket;
        var http = new Uri(_address.BaseAddress, "graphql");
        var ws = new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;

        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            connecting.CancelAfter(AckTimeout);
            await socket.ConnectAsync(ws, connecting.Token);
            await SendAsync(new { type = "connection_init", payload = token is null ? null : new { authorization = "Bearer " + token } }, connecting.Token);
            using var ack = await ReceiveAsync(connecting.Token) ?? throw new WebSocketException("The service closed the connection before acknowledging it.");
            if (ack.RootElement.GetProperty("type").GetString() != "connection_ack")
            {
                throw new WebSocketException("The service did not acknowledge the connection.");
            }

            await SendAsync(new { id = "1", type = "subscribe", payload = new { query = document, variables } }, connecting.Token);
        }

        _reading = Task.Run(() => ReadAsync(onNext, onEnded));
    }

    private async Task ReadAsync(Func<JsonElement, Task> onNext, Func<string, Task> onEnded)
    {
        string reason;
        try
        {
            while (true)
            {
                using var message = await ReceiveAsync(_stop.Token);
                if (message is null)
                {
                    reason = $"closed ({_socket?.CloseStatus}: {_socket?.CloseStatusDescription})";
                    break;
                }

                var root = message.RootElement;
                var type = root.GetProperty("type").GetString();
                if (type == "ping")
                {
                    await SendAsync(new { type = "pong" }, _stop.Token);
                }
                else if (type == "next" && root.GetProperty("payload").TryGetProperty("data", out var data))
                {
                    await onNext(data.Clone());
                }
                else if (type is "error" or "complete")
                {
                    reason = type == "error" ? root.GetProperty("payload").ToString() : "completed";
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is WebSocketException or JsonException or IOException or KeyNotFoundException or InvalidOperationException)
        {
            reason = ex.Message;
        }

        if (!_stop.IsCancellationRequested)
        {
            await onEnded(reason);
        }
    }

    private async Task SendAsync(object message, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ApiResult.Json);
        await _socket!.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    // One whole text message as JSON; null when the server closed the connection.
    private async Task<JsonDocument?> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            var received = await _socket!.ReceiveAsync(chunk.AsMemory(), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            }
        }
    }

    /// <summary>Completes the subscription and closes the socket (the circuit ended or the page went away).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket is { State: WebSocketState.Open } socket)
        {
            try
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // The connection is going away in any case: the server ends the subscription when the socket drops.
            }
        }

        if (_reading is not null)
        {
            await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _socket?.Dispose();
        _stop.Dispose();
    }
}
