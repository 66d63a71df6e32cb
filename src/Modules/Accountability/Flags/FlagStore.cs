using Helpline.Accountability.Facts;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.Accountability.Flags;

/// <summary>Where a flag stands.</summary>
public enum FlagStatus
{
    /// <summary>Raised by a rule, not reviewed yet.</summary>
    Raised = 0,

    /// <summary>The supervisor upheld it.</summary>
    Upheld = 1,

    /// <summary>Withdrawn by the supervisor, or by the system when the figures no longer meet the rule.</summary>
    Withdrawn = 2,
}

/// <summary>A penalty flag.</summary>
internal sealed record FlagRow(
    Guid Id, string OfficerId, string Rule, string Period, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, string? PositionId,
    string? SupervisorPositionId, string? SupervisorOfficerId, string? DepartmentId, string[] JurisdictionPath, string Figures,
    string[] Evidence, DateTimeOffset RaisedAt, FlagStatus Status);

/// <summary>A review of a flag: upheld or withdrawn by a supervisor, or raised again or withdrawn by the system.</summary>
internal sealed record FlagReviewRow(FlagStatus Decision, string Reason, string ReviewedBy, DateTimeOffset ReviewedAt);

/// <summary>What flags to list.</summary>
internal sealed record FlagFilter(
    string? OfficerId, string? SupervisorId, string? DepartmentId, string? JurisdictionId, string? Rule, string? Period, FlagStatus? Status);

/// <summary>Reads flags within a caller's view, and records supervisors' reviews of them.</summary>
internal sealed class FlagStore(NpgsqlDataSource dataSource, Places places)
{
    /// <summary>The longest review reason.</summary>
    public const int MaxReason = 1000;

    private const string Columns = """
        id, officer_id, rule, period, period_from, period_to, position_id, supervisor_position_id, supervisor_officer_id, department_id,
        jurisdiction_path, figures, evidence, raised_at, status
        """;

    // A caller sees the flags on themselves, on the officers they supervise, and (without an officer of their own in
    // the token) those within their token's departments and places. $8 self, $9 departments, $10 places, $11 seats.
    private const string ListSql = $"""
        select {Columns} from accountability.flag
        where ($1::text is null or officer_id = $1) and ($2::text is null or supervisor_officer_id = $2)
          and ($3::text is null or department_id = $3) and ($4::text is null or $4 = any(jurisdiction_path))
          and ($5::text is null or rule = $5) and ($6::text is null or period = $6) and ($7::text is null or status = $7)
          and ($8::text is null or officer_id = $8 or supervisor_officer_id = $8 or position_id = any(coalesce($11, array[]::text[])) or supervisor_position_id = any(coalesce($11, array[]::text[])))
          and ($9::text[] is null or department_id = any($9))
          and ($10::text[] is null or jurisdiction_path && $10)
        order by raised_at desc, id
        limit $12 offset $13
        """;

    private const string ReviewsSql = "select decision, reason, reviewed_by, reviewed_at from accountability.flag_review where flag_id = $1 order by n";

    private const string LockSql = $"select {Columns} from accountability.flag where id = $1 for update";

    private const string LastReviewSql = "select decision, reason, reviewed_by from accountability.flag_review where flag_id = $1 order by n desc limit 1";

    private const string ReviewSql = """
        update accountability.flag set status = $2 where id = $1;
        """;

    private const string HistorySql = """
        insert into accountability.flag_review (id, flag_id, decision, reason, reviewed_by, reviewed_at, by_system) values ($1, $2, $3, $4, $5, $6, $7)
        """;

    /// <summary>Flags matching <paramref name="filter"/> within <paramref name="caller"/>'s view (for an officer or supervisor: flags on themselves, on those they answer for, and at the <paramref name="team"/>'s seats), newest first.</summary>
    public async Task<IReadOnlyList<FlagRow>> ListAsync(FlagFilter filter, Caller caller, IReadOnlySet<string> team, int first, int offset, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(ListSql);
        var p = cmd.Parameters;
        p.Add(Text(filter.OfficerId));
        p.Add(Text(filter.SupervisorId));
        p.Add(Text(filter.DepartmentId));
        p.Add(Text(filter.JurisdictionId));
        p.Add(Text(filter.Rule));
        p.Add(Text(filter.Period));
        p.Add(Text(filter.Status?.ToString().ToLowerInvariant()));
        var officerView = caller.Role is Role.Officer or Role.Supervisor;
        p.Add(Text(officerView ? caller.Subject : null));
        p.Add(Texts(caller.Scope.Departments));
        p.Add(Texts(caller.Scope.Jurisdictions));
        p.Add(Texts(officerView ? team : null));
        p.Add(new NpgsqlParameter<int> { TypedValue = first });
        p.Add(new NpgsqlParameter<int> { TypedValue = offset });
        return await ReadAsync(cmd, cancellationToken);
    }

    /// <summary>One flag by id (no view check).</summary>
    public async Task<FlagRow?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"select {Columns} from accountability.flag where id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return (await ReadAsync(cmd, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The reviews of a flag, oldest first.</summary>
    public async Task<IReadOnlyList<FlagReviewRow>> ReviewsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(ReviewsSql);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        var rows = new List<FlagReviewRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(new FlagReviewRow(Status(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }

    /// <summary>
    /// Upholds or withdraws a flag, with the reason kept in its history. The same decision and reason by the same
    /// reviewer as the last review changes nothing (a retried request); a changed mind is a new review.
    /// </summary>
    /// <exception cref="HelplineException">UNKNOWN_FLAG, NOT_THE_SUPERVISOR.</exception>
    public async Task<FlagRow> ReviewAsync(Guid id, FlagStatus decision, string reason, Caller caller, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        FlagRow flag;
        await using (var cmd = new NpgsqlCommand(LockSql, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            flag = (await ReadAsync(cmd, cancellationToken)).SingleOrDefault() ?? throw Unknown(id);
        }

        // Nobody reviews a flag on themself, whatever their role. A flag outside the caller's view answers as one that
        // does not exist. A supervisor reviews a flag while they still answer for its seat (not after their posting ended).
        if (flag.OfficerId == caller.Subject)
        {
            throw new HelplineException(AccountabilityErrorCodes.NotTheSupervisor, $"Flag {id} is on you: the supervisor who answers for you reviews it.", "flagId");
        }

        if (caller.Role != Role.Administrator
            && (flag.SupervisorOfficerId != caller.Subject || (flag.PositionId is { } seat && places.Knows(seat) && !places.Supervises(caller.Subject, seat))))
        {
            throw Unknown(id);
        }

        if (!caller.Scope.IsUnlimited && caller.Role == Role.Administrator && !InScope(flag, caller.Scope))
        {
            throw Unknown(id);
        }

        await using (var cmd = new NpgsqlCommand(LastReviewSql, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            if (await r.ReadAsync(cancellationToken) && Status(r.GetString(0)) == decision && r.GetString(1) == reason && r.GetString(2) == caller.Subject)
            {
                return flag;
            }
        }

        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            var update = new NpgsqlBatchCommand(ReviewSql.TrimEnd().TrimEnd(';'));
            update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = decision.ToString().ToLowerInvariant() });
            var history = new NpgsqlBatchCommand(HistorySql);
            history.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.NewGuid() });
            history.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = decision.ToString().ToLowerInvariant() });
            history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reason });
            history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = caller.Subject });
            history.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            history.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = false });
            batch.BatchCommands.Add(update);
            batch.BatchCommands.Add(history);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return flag with { Status = decision };
    }

    /// <summary>Whether a token limited to departments and places covers the flag (the seat's department and place).</summary>
    public static bool InScope(FlagRow flag, CallerScope scope) =>
        scope.Covers(new GrievanceCoordinates(flag.DepartmentId ?? "", flag.JurisdictionPath, flag.PositionId ?? "", flag.OfficerId));

    public static HelplineException Unknown(Guid id) => new(AccountabilityErrorCodes.UnknownFlag, $"No flag has id '{id}' within your view.", "flagId");

    private static async Task<IReadOnlyList<FlagRow>> ReadAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var rows = new List<FlagRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(new FlagRow(
                r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5),
                Str(r, 6), Str(r, 7), Str(r, 8), Str(r, 9), r.GetFieldValue<string[]>(10), r.GetString(11), r.GetFieldValue<string[]>(12),
                r.GetFieldValue<DateTimeOffset>(13), Status(r.GetString(14))));
        }

        return rows;
    }

    private static FlagStatus Status(string s) => Enum.Parse<FlagStatus>(s, ignoreCase: true);

    private static string? Str(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static NpgsqlParameter Text(string? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Texts(IReadOnlySet<string>? v) =>
        new() { Value = (object?)v?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
