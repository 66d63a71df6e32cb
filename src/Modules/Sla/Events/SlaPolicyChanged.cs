using System.Text.Json;
using System.Text.Json.Serialization;
using Helpline.Platform.Events;

namespace Helpline.Sla.Events;

/// <summary>
/// A category's SLA policy changed at one level (an override was set to something new, or removed). Published to the
/// event log (stream <see cref="SlaPolicyEvents.Stream"/>, key = category id) in the transaction that stores the
/// change, so another module can follow it up durably: the Grievances module recomputes the category's open grievances.
/// </summary>
/// <param name="EventId">Stable id of this change.</param>
/// <param name="CategoryId">The category.</param>
/// <param name="Version">The category's policy version after the change (1, 2, ...): changes of one category arrive in this order.</param>
/// <param name="Level">The level (1..4) whose allowance changed.</param>
/// <param name="Removed">True when the override was removed (the catalogue's default applies again).</param>
/// <param name="At">When the change was stored (UTC).</param>
public sealed record SlaPolicyChanged(Guid EventId, string CategoryId, int Version, int Level, bool Removed, DateTimeOffset At);

/// <summary>The SLA policy stream of the event log.</summary>
public static class SlaPolicyEvents
{
    /// <summary>The stream name, <c>sla-policy</c>.</summary>
    public const string Stream = "sla-policy";

    /// <summary>The event type of <see cref="SlaPolicyChanged"/>.</summary>
    public const string PolicyChanged = "PolicyChanged";

    /// <summary>Reads an event of the SLA policy stream.</summary>
    /// <exception cref="ArgumentException">The event is of another stream.</exception>
    public static SlaPolicyChanged Read(IntegrationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Stream != Stream)
        {
            throw new ArgumentException($"Event {e.EventId} is of stream '{e.Stream}', not '{Stream}'.", nameof(e));
        }

        return JsonSerializer.Deserialize(e.Payload, SlaEventJson.Default.SlaPolicyChanged)
            ?? throw new InvalidDataException($"Event {e.EventId} has an empty payload.");
    }

    internal static NewEvent New(string categoryId, int version, int level, bool removed, DateTimeOffset at) =>
        new(
            version,
            PolicyChanged,
            at,
            JsonSerializer.Serialize(
                new SlaPolicyChanged(EventIds.For(Stream, categoryId, version), categoryId, version, level, removed, at),
                SlaEventJson.Default.SlaPolicyChanged));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SlaPolicyChanged))]
internal sealed partial class SlaEventJson : JsonSerializerContext;
