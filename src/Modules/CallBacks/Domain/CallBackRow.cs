using Npgsql;

namespace Helpline.CallBacks.Domain;

/// <summary>A call-back as stored.</summary>
internal sealed record CallBackRow(
    Guid Id,
    string ReferenceNumber,
    int DisposalSequence,
    string DisposalType,
    DateTimeOffset DisposedAt,
    string DisposedBy,
    string? OfficerId,
    string? PositionId,
    int? Level,
    string Kind,
    string DepartmentId,
    string? CategoryId,
    string JurisdictionId,
    string DistrictId,
    string RegisteredBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    DateTimeOffset CallableFrom,
    CallBackState State,
    int Attempts,
    string? CampaignId,
    string? LeasedTo,
    DateTimeOffset? LeasedAt,
    DateTimeOffset? LeaseUntil,
    DateTimeOffset? CompletedAt,
    int? Rating,
    string? OutcomeNote,
    bool Applied)
{
    /// <summary>The columns <see cref="Read"/> expects, in order: of the call-back <c>c</c> and its lease <c>l</c> (see <see cref="From"/>).</summary>
    public const string Columns = """
        c.id, c.reference_number, c.disposal_sequence, c.disposal_type, c.disposed_at, c.disposed_by, c.officer_id, c.position_id,
        c.level, c.kind, c.department_id, c.category_id, c.jurisdiction_id, c.district_id, c.registered_by, c.created_at, c.due_at,
        c.callable_from, c.state, c.attempts, c.campaign_id, l.agent_id, l.leased_at, l.lease_until, c.completed_at, c.rating,
        c.outcome_note, c.applied
        """;

    /// <summary>Call-backs <c>c</c> with their lease <c>l</c>, if any.</summary>
    public const string From = "callbacks.call_back c left join callbacks.lease l on l.call_back_id = c.id";

    /// <summary>One call-back by id (<c>$1</c>), with its lease.</summary>
    public const string ByIdSql = $"select {Columns} from {From} where c.id = $1";

    /// <summary>Whether an agent holds it at <paramref name="now"/>.</summary>
    public bool HeldAt(DateTimeOffset now) => State == CallBackState.Pending && LeaseUntil > now;

    /// <summary>Whether it is overdue at <paramref name="now"/>: still pending after its due date, or completed after it.</summary>
    public bool IsOverdue(DateTimeOffset now) => State == CallBackState.Pending ? DueAt < now : State != CallBackState.Cancelled && CompletedAt > DueAt;

    /// <summary>The keys events name it by.</summary>
    public Events.CallBackKeys Keys => new(Id, ReferenceNumber, DisposalSequence, Attempts, OfficerId, PositionId, Level, DepartmentId, JurisdictionId, DistrictId, CampaignId);

    public static CallBackRow Read(NpgsqlDataReader r, int at = 0) => new(
        r.GetGuid(at),
        r.GetString(at + 1),
        r.GetInt32(at + 2),
        r.GetString(at + 3),
        r.GetFieldValue<DateTimeOffset>(at + 4),
        r.GetString(at + 5),
        Text(r, at + 6),
        Text(r, at + 7),
        r.IsDBNull(at + 8) ? null : r.GetInt32(at + 8),
        r.GetString(at + 9),
        r.GetString(at + 10),
        Text(r, at + 11),
        r.GetString(at + 12),
        r.GetString(at + 13),
        r.GetString(at + 14),
        r.GetFieldValue<DateTimeOffset>(at + 15),
        r.GetFieldValue<DateTimeOffset>(at + 16),
        r.GetFieldValue<DateTimeOffset>(at + 17),
        StateNames.Parse(r.GetString(at + 18)),
        r.GetInt32(at + 19),
        Text(r, at + 20),
        Text(r, at + 21),
        Instant(r, at + 22),
        Instant(r, at + 23),
        Instant(r, at + 24),
        r.IsDBNull(at + 25) ? null : r.GetInt16(at + 25),
        Text(r, at + 26),
        r.GetBoolean(at + 27));

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? Instant(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}

/// <summary>The stored names of call-back states and outcomes.</summary>
internal static class StateNames
{
    public static string Of(CallBackState s) => s switch
    {
        CallBackState.Pending => "pending",
        CallBackState.Satisfied => "satisfied",
        CallBackState.Dissatisfied => "dissatisfied",
        CallBackState.NotReachable => "not_reachable",
        _ => "cancelled",
    };

    public static CallBackState Parse(string s) => s switch
    {
        "pending" => CallBackState.Pending,
        "satisfied" => CallBackState.Satisfied,
        "dissatisfied" => CallBackState.Dissatisfied,
        "not_reachable" => CallBackState.NotReachable,
        "cancelled" => CallBackState.Cancelled,
        _ => throw new InvalidDataException($"Unknown call-back state '{s}'."),
    };

    public static string Of(CallBackOutcome o) => o switch
    {
        CallBackOutcome.Satisfied => "satisfied",
        CallBackOutcome.Dissatisfied => "dissatisfied",
        _ => "not_reachable",
    };

    public static CallBackOutcome ParseOutcome(string s) => s switch
    {
        "satisfied" => CallBackOutcome.Satisfied,
        "dissatisfied" => CallBackOutcome.Dissatisfied,
        "not_reachable" => CallBackOutcome.NotReachable,
        _ => throw new InvalidDataException($"Unknown call-back outcome '{s}'."),
    };
}
