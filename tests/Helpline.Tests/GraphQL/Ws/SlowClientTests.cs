using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Helpline.GraphQL.Http;
using Helpline.GraphQL.Ws;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Helpline.Tests.GraphQL.Ws;

/// <summary>A client that stops reading is cut off once its queue is full, instead of the server holding its messages.</summary>
public sealed class SlowClientTests
{
    [Fact]
    public async Task A_client_that_does_not_read_is_cut_off_when_its_queue_is_full()
    {
        var socket = new StalledSocket();
        var options = new GraphQLWebSocketOptions { MaxQueuedMessages = 5 };
        var http = Options.Create(new GraphQLHttpOptions());
        using var rateLimits = new GraphQLRateLimits(http);
        var runner = new GraphQLWebSocketRunner(new GraphQLHttpHandler(http, NullLogger<GraphQLHttpHandler>.Instance, new GraphQLDocumentCache(http), rateLimits));
        // A clock that does not move: on a loaded machine the connection-init timeout must not end the connection first.
        var connection = new GraphQLWebSocketConnection(socket, new DefaultHttpContext(), options, runner, new FakeTimeProvider(), NullLogger.Instance);
        var run = connection.RunAsync();

        // Each ping wants a pong; the first pong's send never completes, so the rest queue up.
        for (var i = 0; i < 50 && !run.IsCompleted; i++)
        {
            await socket.ClientSendsAsync("{\"type\":\"ping\"}");
        }

        await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(socket.Aborted, "the stalled connection was aborted");
        Assert.InRange(socket.ClientMessagesRead, 6, 8); // the queue (5), the one being sent, and at most the ones in hand
    }

    /// <summary>A socket whose client sends what the test says and never reads: every send waits until it is cancelled.</summary>
    private sealed class StalledSocket : WebSocket
    {
        private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>();
        private WebSocketState _state = WebSocketState.Open;

        public bool Aborted { get; private set; }

        public int ClientMessagesRead { get; private set; }

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => _state;

        public override string? SubProtocol => "graphql-transport-ws";

        public async Task ClientSendsAsync(string text)
        {
            await _incoming.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));
            await Task.Yield();
        }

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            var message = await _incoming.Reader.ReadAsync(cancellationToken);
            ClientMessagesRead++;
            message.CopyTo(buffer.Array!, buffer.Offset);
            return new WebSocketReceiveResult(message.Length, WebSocketMessageType.Text, true);
        }

        // A cancelled send does not count as an abort here: only the connection's own Abort() may set Aborted.
        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            Task.Delay(Timeout.Infinite, cancellationToken);

        public override void Abort()
        {
            Aborted = true;
            _state = WebSocketState.Aborted;
        }

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Dispose()
        {
        }
    }
}
