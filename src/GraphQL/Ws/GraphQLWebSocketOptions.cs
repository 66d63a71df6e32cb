namespace Helpline.GraphQL.Ws;

/// <summary>Settings of GraphQL over WebSocket (<c>graphql-transport-ws</c>), section <c>Helpline:GraphQL:WebSocket</c>.</summary>
public sealed class GraphQLWebSocketOptions
{
    /// <summary>How long a new connection may take to send <c>connection_init</c> before it is closed with 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most messages waiting to be sent on one connection. A client that reads slower than its events arrive is cut
    /// off when this many are queued, rather than letting the server's memory grow; it may reconnect and read the
    /// feed (<c>grievanceEvents</c> query) from where it was.
    /// </summary>
    public int MaxQueuedMessages { get; set; } = 1_000;

    /// <summary>Most operations running at once on one connection; one more is refused (TOO_MANY_SUBSCRIPTIONS).</summary>
    public int MaxOperationsPerConnection { get; set; } = 100;

    /// <summary>Largest message accepted from a client, in bytes; a larger one closes the connection with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;
}
