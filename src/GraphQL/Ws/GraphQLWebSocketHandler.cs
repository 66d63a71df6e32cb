using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Helpline.GraphQL.Ws.TransportWs;

namespace Helpline.GraphQL.Ws;

/// <summary>
/// Accepts WebSocket upgrades of the GraphQL endpoint that speak <c>graphql-transport-ws</c> and serves each as a
/// <see cref="GraphQLWebSocketConnection"/>; any other subprotocol is closed with 4406.
/// </summary>
internal sealed class GraphQLWebSocketHandler(
    IOptions<GraphQLWebSocketOptions> options,
    GraphQLWebSocketRunner runner,
    IHostApplicationLifetime lifetime,
    ILogger<GraphQLWebSocketConnection> logger)
{
    public async Task HandleAsync(HttpContext http)
    {
        var speaks = http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.Ordinal);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(speaks ? SubProtocol : null);
        var connection = new GraphQLWebSocketConnection(
            socket, http, options.Value, runner, http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System, logger);
        if (!speaks)
        {
            connection.RequestClose(Close.SubprotocolNotAcceptable);
        }

        await using (lifetime.ApplicationStopping.Register(() => connection.RequestClose(Close.ShuttingDown)))
        {
            await connection.RunAsync();
        }
    }
}
