using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Helpline.GraphQL.Ws;

/// <summary>The server's messages of <c>graphql-transport-ws</c>, as UTF-8 JSON text.</summary>
internal static class Messages
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] AckMessage = Write(null, TransportWs.ConnectionAck, null);
    private static readonly byte[] PongMessage = Write(null, TransportWs.Pong, null);

    public static byte[] Ack() => AckMessage;

    public static byte[] Pong() => PongMessage;

    /// <param name="id">The operation.</param>
    /// <param name="payload">An execution result as JSON.</param>
    public static byte[] Next(string id, string payload) => Write(id, TransportWs.Next, payload);

    /// <param name="id">The operation.</param>
    /// <param name="errors">A JSON array of GraphQL errors.</param>
    public static byte[] Error(string id, string errors) => Write(id, TransportWs.Error, errors);

    public static byte[] Complete(string id) => Write(id, TransportWs.Complete, null);

    private static byte[] Write(string? id, string type, string? payload)
    {
        var buffer = new ArrayBufferWriter<byte>(payload is null ? 64 : payload.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            if (id is not null)
            {
                writer.WriteString("id", id);
            }

            writer.WriteString("type", type);
            if (payload is not null)
            {
                writer.WritePropertyName("payload");
                writer.WriteRawValue(payload, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
