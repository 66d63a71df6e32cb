using System.Text.Json;
using System.Text.Json.Serialization;
using Helpline.Platform.Events;

namespace Helpline.Grievances.Events;

/// <summary>
/// A fact of a grievance's life, published to other modules through the event log (stream
/// <see cref="GrievanceEvents.Stream"/>, key = reference number). Every timeline entry is published as one event,
/// written in the same transaction as the grievance's read model; events of one grievance arrive in
/// <see cref="Sequence"/> order.
/// </summary>
/// <param name="EventId">Stable id of this fact (the same however often it is delivered).</param>
/// <param name="Type">What happened.</param>
/// <param name="ReferenceNumber">The grievance.</param>
/// <param name="Sequence">1-based number of the event in the grievance's timeline.</param>
/// <param name="At">When it happened (UTC; for imports, the source's instant).</param>
/// <param name="Actor">Who did it: an agent or officer id, an importer, or <c>system</c>.</param>
/// <param name="Note">Why, or the action taken report, reason or answer.</param>
/// <param name="Kind">Complaint, information, demand or suggestion.</param>
/// <param name="OfficerId">The officer holding the grievance once it happened (for a breach: the one who breached it; for an escalation: the one it went to).</param>
/// <param name="PositionId">The position holding it once it happened.</param>
/// <param name="Level">The level (1..4) once it happened.</param>
/// <param name="DepartmentId">The department once it happened.</param>
/// <param name="CategoryId">The category once it happened.</param>
/// <param name="JurisdictionId">Where the matter lies.</param>
/// <param name="DueAt">The due date once it happened (UTC), if any.</param>
/// <param name="Breached">Whether a breach stands once it happened (null on events recorded before this was kept): false after a breach means a recompute cleared it.</param>
/// <param name="BreachedAtTop">Whether a breach at the top of the chain stands once it happened (null on events recorded before this was kept).</param>
/// <param name="ReturnKind">The kind of return on ReturnRequested, ReturnApproved, ReturnRefused and SpeciallyClosed; null otherwise (and on events written before returns existed).</param>
public sealed record GrievanceEvent(
    Guid EventId,
    TimelineEventType Type,
    string ReferenceNumber,
    int Sequence,
    DateTimeOffset At,
    string Actor,
    string? Note,
    GrievanceKind Kind,
    string? OfficerId,
    string? PositionId,
    int? Level,
    string? DepartmentId,
    string? CategoryId,
    string? JurisdictionId,
    DateTimeOffset? DueAt,
    bool? Breached = null,
    bool? BreachedAtTop = null,
    ReturnKind? ReturnKind = null);

/// <summary>The grievance stream of the event log.</summary>
public static class GrievanceEvents
{
    /// <summary>The stream name, <c>grievance</c>.</summary>
    public const string Stream = "grievance";

    /// <summary>Reads an event of the grievance stream.</summary>
    /// <exception cref="ArgumentException">The event is of another stream.</exception>
    public static GrievanceEvent Read(IntegrationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Stream != Stream)
        {
            throw new ArgumentException($"Event {e.EventId} is of stream '{e.Stream}', not '{Stream}'.", nameof(e));
        }

        return JsonSerializer.Deserialize(e.Payload, GrievanceEventJson.Default.GrievanceEvent)
            ?? throw new InvalidDataException($"Event {e.EventId} has an empty payload.");
    }

    /// <summary>The events of a grievance's timeline, ready for the log.</summary>
    internal static IReadOnlyList<NewEvent> From(Grievance g) =>
        g.Timeline.Select(t => new NewEvent(
            t.Sequence,
            t.Type.ToString(),
            t.At,
            JsonSerializer.Serialize(
                new GrievanceEvent(
                    EventIds.For(Stream, g.ReferenceNumber, t.Sequence),
                    t.Type,
                    g.ReferenceNumber,
                    t.Sequence,
                    t.At,
                    t.Actor,
                    t.Note,
                    g.Request.Kind,
                    t.OfficerId,
                    t.PositionId,
                    t.Level,
                    t.DepartmentId,
                    t.CategoryId,
                    t.JurisdictionId ?? g.Request.JurisdictionId,
                    t.DueAt,
                    t.Breached,
                    t.BreachedAtTop,
                    t.ReturnKind),
                GrievanceEventJson.Default.GrievanceEvent))).ToArray();
}

/// <summary>
/// A subscriber to grievance events. Derive from it and register with <c>AddEventSubscriber</c>; each event comes
/// at least once, in order per grievance; keep effects in the batch's transaction or make them idempotent by
/// <see cref="GrievanceEvent.EventId"/>.
/// </summary>
public abstract class GrievanceEventSubscriber : IEventSubscriber
{
    private static readonly IReadOnlySet<string> Streams = new HashSet<string>(StringComparer.Ordinal) { GrievanceEvents.Stream };

    /// <inheritdoc />
    public abstract string Name { get; }

    IReadOnlySet<string> IEventSubscriber.Streams => Streams;

    /// <inheritdoc />
    public Task HandleAsync(IReadOnlyList<IntegrationEvent> events, EventBatchContext context, CancellationToken cancellationToken) =>
        HandleAsync(events.Select(GrievanceEvents.Read).ToArray(), context, cancellationToken);

    /// <summary>Handles a batch of grievance events, oldest first (see <see cref="IEventSubscriber.HandleAsync"/>).</summary>
    protected abstract Task HandleAsync(IReadOnlyList<GrievanceEvent> events, EventBatchContext context, CancellationToken cancellationToken);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(GrievanceEvent))]
internal sealed partial class GrievanceEventJson : JsonSerializerContext;
