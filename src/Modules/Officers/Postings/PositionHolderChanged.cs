using System.Text.Json;
using System.Text.Json.Serialization;
using Helpline.Platform.Events;

namespace Helpline.Officers.Postings;

/// <summary>Why the officer who acts for a position changed.</summary>
public enum HolderChangeReason
{
    /// <summary>An officer was posted to the position (a transfer in, or a first posting).</summary>
    Posted = 0,

    /// <summary>The holder's posting ended (transfer out or retirement) and nobody took the position.</summary>
    PostingEnded = 1,

    /// <summary>The holder's leave began; the charge officer acts for the position.</summary>
    LeaveStarted = 2,

    /// <summary>The holder's leave ended (on its last instant or when ended early); the holder acts again.</summary>
    LeaveEnded = 3,
}

/// <summary>
/// The officer who acts for a position changed: published by the Officers module (stream <see cref="PostingEvents.Stream"/>,
/// key = position id) in the transaction that stores the posting or leave change, or when a leave stored earlier
/// begins or ends. The Grievances module hands the position's open grievances to <see cref="ToOfficerId"/> when
/// <see cref="MoveOpenGrievances"/> is set; new registrations follow the directory whatever this says.
/// </summary>
/// <param name="EventId">Stable id of this change.</param>
/// <param name="PositionId">The position.</param>
/// <param name="Sequence">1-based number of the change among the position's changes.</param>
/// <param name="FromOfficerId">Who acted for the position before; null when it was vacant with no charge.</param>
/// <param name="ToOfficerId">Who acts for it now; null when it is now vacant with no charge.</param>
/// <param name="Reason">Why.</param>
/// <param name="MoveOpenGrievances">True when the position's open grievances go to <see cref="ToOfficerId"/> (never when it is null).</param>
/// <param name="At">When the change took effect (UTC).</param>
/// <param name="Actor">Who made it: an administrator's subject, or <c>system</c> for a leave beginning or ending on its own.</param>
/// <param name="Note">The order or reason given, if any.</param>
public sealed record PositionHolderChanged(
    Guid EventId,
    string PositionId,
    int Sequence,
    string? FromOfficerId,
    string? ToOfficerId,
    HolderChangeReason Reason,
    bool MoveOpenGrievances,
    DateTimeOffset At,
    string Actor,
    string? Note);

/// <summary>The posting stream of the event log.</summary>
public static class PostingEvents
{
    /// <summary>The stream name, <c>position</c>.</summary>
    public const string Stream = "position";

    /// <summary>The event type of <see cref="PositionHolderChanged"/>.</summary>
    public const string HolderChanged = "HolderChanged";

    /// <summary>Reads an event of the posting stream.</summary>
    /// <exception cref="ArgumentException">The event is of another stream.</exception>
    public static PositionHolderChanged Read(IntegrationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Stream != Stream)
        {
            throw new ArgumentException($"Event {e.EventId} is of stream '{e.Stream}', not '{Stream}'.", nameof(e));
        }

        return JsonSerializer.Deserialize(e.Payload, PostingEventJson.Default.PositionHolderChanged)
            ?? throw new InvalidDataException($"Event {e.EventId} has an empty payload.");
    }

    /// <summary>The change as an event for the log; its id follows from the position and sequence.</summary>
    internal static NewEvent ToNewEvent(PositionHolderChanged change) =>
        new(
            change.Sequence,
            HolderChanged,
            change.At,
            JsonSerializer.Serialize(
                change with { EventId = EventIds.For(Stream, change.PositionId, change.Sequence) },
                PostingEventJson.Default.PositionHolderChanged));
}

/// <summary>
/// A subscriber to posting events. Derive from it and register with <c>AddEventSubscriber</c>; each event comes at
/// least once, in order per position.
/// </summary>
public abstract class PostingEventSubscriber : IEventSubscriber
{
    private static readonly IReadOnlySet<string> Streams = new HashSet<string>(StringComparer.Ordinal) { PostingEvents.Stream };

    /// <inheritdoc />
    public abstract string Name { get; }

    IReadOnlySet<string> IEventSubscriber.Streams => Streams;

    /// <inheritdoc />
    public Task HandleAsync(IReadOnlyList<IntegrationEvent> events, EventBatchContext context, CancellationToken cancellationToken) =>
        HandleAsync(events.Select(PostingEvents.Read).ToArray(), context, cancellationToken);

    /// <summary>Handles a batch of posting events, oldest first (see <see cref="IEventSubscriber.HandleAsync"/>).</summary>
    protected abstract Task HandleAsync(IReadOnlyList<PositionHolderChanged> events, EventBatchContext context, CancellationToken cancellationToken);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PositionHolderChanged))]
internal sealed partial class PostingEventJson : JsonSerializerContext;
