using System.Net.WebSockets;

namespace Helpline.GraphQL.Ws;

/// <summary>
/// Names and close codes of the <c>graphql-transport-ws</c> protocol (the one the npm <c>graphql-ws</c> client speaks):
/// https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md.
/// </summary>
internal static class TransportWs
{
    public const string SubProtocol = "graphql-transport-ws";

    public const string ConnectionInit = "connection_init";
    public const string ConnectionAck = "connection_ack";
    public const string Ping = "ping";
    public const string Pong = "pong";
    public const string Subscribe = "subscribe";
    public const string Next = "next";
    public const string Error = "error";
    public const string Complete = "complete";

    /// <summary>A close with a code and reason of the protocol.</summary>
    public sealed record Close(WebSocketCloseStatus Code, string Reason)
    {
        public static Close BadRequest(string reason) => new((WebSocketCloseStatus)4400, Truncate(reason));

        public static readonly Close Unauthorized = new((WebSocketCloseStatus)4401, "Unauthorized");

        public static Close Forbidden(string reason) => new((WebSocketCloseStatus)4403, Truncate("Forbidden: " + reason));

        public static readonly Close SubprotocolNotAcceptable = new((WebSocketCloseStatus)4406, "Subprotocol not acceptable");

        public static readonly Close InitTimeout = new((WebSocketCloseStatus)4408, "Connection initialisation timeout");

        public static Close SubscriberExists(string id) => new((WebSocketCloseStatus)4409, Truncate($"Subscriber for {id} already exists"));

        public static readonly Close TooManyInits = new((WebSocketCloseStatus)4429, "Too many initialisation requests");

        public static readonly Close Internal = new((WebSocketCloseStatus)4500, "Internal server error");

        public static readonly Close TooBig = new(WebSocketCloseStatus.MessageTooBig, "Message too big");

        public static readonly Close ShuttingDown = new(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down");

        public static readonly Close Normal = new(WebSocketCloseStatus.NormalClosure, string.Empty);

        public static readonly Close TooSlow = new(WebSocketCloseStatus.PolicyViolation, "The client did not keep up; reconnect");

        // The reason of a close frame is at most 123 bytes of UTF-8.
        private static string Truncate(string reason)
        {
            var text = reason.Length > 120 ? reason[..120] : reason;
            while (System.Text.Encoding.UTF8.GetByteCount(text) > 123)
            {
                text = text[..^1];
            }

            return text;
        }
    }
}
