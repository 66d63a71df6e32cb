using System.Security.Cryptography;
using System.Text;

namespace Helpline.Platform.Events;

/// <summary>An event as stored in the log and handed to subscribers.</summary>
/// <param name="EventId">Stable id: the same fact always has the same id, so subscribers deduplicate by it.</param>
/// <param name="Position">Position in the log: the order of delivery (positions are handed out in commit order).</param>
/// <param name="Transaction">The id of the transaction that appended it (PostgreSQL <c>xid8</c>, as text), for diagnosis.</param>
/// <param name="Stream">The kind of thing it is about, for example <c>grievance</c>.</param>
/// <param name="StreamKey">Which one, for example a reference number.</param>
/// <param name="StreamSequence">1-based number of the event within its stream key; events of one key are delivered in this order.</param>
/// <param name="Type">What happened, for example <c>Resolved</c>.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
/// <param name="Payload">The event's body as JSON; its shape belongs to the producing module's contract.</param>
public sealed record IntegrationEvent(
    Guid EventId,
    long Position,
    string Transaction,
    string Stream,
    string StreamKey,
    int StreamSequence,
    string Type,
    DateTimeOffset OccurredAt,
    string Payload);

/// <summary>An event to append to the log.</summary>
/// <param name="StreamSequence">1-based number within the stream key; appending the same number again is a no-op.</param>
/// <param name="Type">What happened.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Payload">The event's body as JSON.</param>
public sealed record NewEvent(int StreamSequence, string Type, DateTimeOffset OccurredAt, string Payload);

/// <summary>Ids for events that are the same whenever the same fact is written again.</summary>
public static class EventIds
{
    // A fixed namespace for Helpline's name-based ids; changing it would change every event id.
    private static readonly byte[] Namespace = Guid.Parse("6f1c2a7e-4b1d-4c55-9d39-1e0f2d7a5b10").ToByteArray(true);

    /// <summary>A name-based (RFC 9562 version 5) UUID for event <paramref name="sequence"/> of <paramref name="stream"/>/<paramref name="key"/>.</summary>
    public static Guid For(string stream, string key, int sequence)
    {
        var name = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{stream}/{key}/{sequence}"));
        var input = new byte[Namespace.Length + name.Length];
        Namespace.CopyTo(input, 0);
        name.CopyTo(input, Namespace.Length);
#pragma warning disable CA5350 // SHA-1 is what version 5 UUIDs are defined with; it names, it does not protect anything
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
