using System.Text.Json;
using System.Text.Json.Serialization;
using Helpline.CallBacks.Domain;
using Helpline.Platform.Events;
using Npgsql;

namespace Helpline.CallBacks.Events;

/// <summary>
/// A fact of a call-back, published to other modules through the event log (stream <see cref="CallBackEvents.Stream"/>,
/// key = call-back id) in the transaction that records it: each attempt, and a cancellation. Accountability reads
/// dissatisfied and unreachable disposals from these.
/// </summary>
/// <param name="EventId">Stable id of this fact.</param>
/// <param name="Type"><c>AttemptRecorded</c> or <c>Cancelled</c>.</param>
/// <param name="CallBackId">The call-back.</param>
/// <param name="ReferenceNumber">The grievance.</param>
/// <param name="DisposalSequence">The timeline entry of the disposal it checks.</param>
/// <param name="Sequence">1-based number of the event within the call-back (an attempt's number; a cancellation comes after the last attempt).</param>
/// <param name="At">When (UTC).</param>
/// <param name="Actor">The call-back agent, or <c>system</c>.</param>
/// <param name="Outcome">What the complainant said (attempts only).</param>
/// <param name="State">The call-back's state after it.</param>
/// <param name="Rating">The complainant's rating 1..5, if given.</param>
/// <param name="Reason">Why the complainant was not satisfied, or why it was cancelled.</param>
/// <param name="Note">The agent's note.</param>
/// <param name="OfficerId">The officer who disposed of the grievance.</param>
/// <param name="PositionId">The seat it was disposed of at.</param>
/// <param name="Level">The level it was disposed of at.</param>
/// <param name="DepartmentId">Its department.</param>
/// <param name="JurisdictionId">Where the matter lies.</param>
/// <param name="DistrictId">The district of that place (an imported city for its own places).</param>
/// <param name="CampaignId">The campaign it was called in, if any.</param>
public sealed record CallBackEvent(
    Guid EventId,
    string Type,
    Guid CallBackId,
    string ReferenceNumber,
    int DisposalSequence,
    int Sequence,
    DateTimeOffset At,
    string Actor,
    CallBackOutcome? Outcome,
    CallBackState State,
    int? Rating,
    string? Reason,
    string? Note,
    string? OfficerId,
    string? PositionId,
    int? Level,
    string DepartmentId,
    string JurisdictionId,
    string DistrictId,
    string? CampaignId)
{
    internal static CallBackEvent Cancelled(CallBackKeys k, DateTimeOffset at, string reason) =>
        new(EventIds.For(CallBackEvents.Stream, k.Id.ToString(), k.Attempts + 1), "Cancelled", k.Id, k.ReferenceNumber, k.DisposalSequence, k.Attempts + 1, at,
            "system", null, CallBackState.Cancelled, null, reason, null, k.OfficerId, k.PositionId, k.Level, k.DepartmentId, k.JurisdictionId, k.DistrictId, k.CampaignId);

    internal static CallBackEvent Attempt(CallBackKeys k, int number, DateTimeOffset at, string agent, CallBackOutcome outcome, CallBackState state, int? rating, string? reason, string? note) =>
        new(EventIds.For(CallBackEvents.Stream, k.Id.ToString(), number), "AttemptRecorded", k.Id, k.ReferenceNumber, k.DisposalSequence, number, at,
            agent, outcome, state, rating, reason, note, k.OfficerId, k.PositionId, k.Level, k.DepartmentId, k.JurisdictionId, k.DistrictId, k.CampaignId);
}

/// <summary>The call-back stream of the event log.</summary>
public static class CallBackEvents
{
    /// <summary>The stream name, <c>callback</c>.</summary>
    public const string Stream = "callback";

    /// <summary>Reads an event of the call-back stream.</summary>
    /// <exception cref="ArgumentException">The event is of another stream.</exception>
    public static CallBackEvent Read(IntegrationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Stream != Stream
            ? throw new ArgumentException($"Event {e.EventId} is of stream '{e.Stream}', not '{Stream}'.", nameof(e))
            : JsonSerializer.Deserialize(e.Payload, CallBackEventJson.Default.CallBackEvent) ?? throw new InvalidDataException($"Event {e.EventId} has an empty payload.");
    }

    internal static Task AppendAsync(CallBackEvent e, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        EventLog.AppendAsync(
            connection,
            transaction,
            Stream,
            e.CallBackId.ToString(),
            [new NewEvent(e.Sequence, e.Type, e.At, JsonSerializer.Serialize(e, CallBackEventJson.Default.CallBackEvent))],
            cancellationToken);
}

/// <summary>What identifies a call-back and its disposal, as events and figures name it.</summary>
internal sealed record CallBackKeys(
    Guid Id, string ReferenceNumber, int DisposalSequence, int Attempts, string? OfficerId, string? PositionId, int? Level,
    string DepartmentId, string JurisdictionId, string DistrictId, string? CampaignId)
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns = "id, reference_number, disposal_sequence, attempts, officer_id, position_id, level, department_id, jurisdiction_id, district_id, campaign_id";

    public static CallBackKeys Read(NpgsqlDataReader r, int at = 0) => new(
        r.GetGuid(at), r.GetString(at + 1), r.GetInt32(at + 2), r.GetInt32(at + 3),
        r.IsDBNull(at + 4) ? null : r.GetString(at + 4), r.IsDBNull(at + 5) ? null : r.GetString(at + 5), r.IsDBNull(at + 6) ? null : r.GetInt32(at + 6),
        r.GetString(at + 7), r.GetString(at + 8), r.GetString(at + 9), r.IsDBNull(at + 10) ? null : r.GetString(at + 10));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CallBackEvent))]
internal sealed partial class CallBackEventJson : JsonSerializerContext;
