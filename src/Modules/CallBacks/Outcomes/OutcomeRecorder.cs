using Helpline.CallBacks.Campaigns;
using Helpline.CallBacks.Domain;
using Helpline.CallBacks.Events;
using Helpline.Grievances;
using Helpline.Platform.Errors;
using Helpline.Platform.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.CallBacks.Outcomes;

/// <summary>An agent's report of one call.</summary>
/// <param name="Outcome">What the complainant said.</param>
/// <param name="Reason">Why not satisfied (required then, 1..1000 characters).</param>
/// <param name="Rating">The complainant's rating, 1..5, if they gave one.</param>
/// <param name="Note">The agent's note, up to 1000 characters.</param>
internal sealed record OutcomeReport(CallBackOutcome Outcome, string? Reason, int? Rating, string? Note);

/// <summary>What recording an outcome did.</summary>
/// <param name="CallBack">The call-back after it.</param>
/// <param name="Grievance">The grievance after the outcome was applied; null when it is left as it was, or could not be reached yet (then <paramref name="Applied"/> is false and the repair job applies it).</param>
/// <param name="Applied">Whether the grievance has been told (true also when there was nothing to tell).</param>
internal sealed record RecordedOutcome(CallBackRow CallBack, Grievance? Grievance, bool Applied);

/// <summary>
/// Records a call's outcome: checked against the call-back as stored (held by this agent, lease live, nothing recorded
/// yet, grievance still disposed as it was) and written with its attempt and event in one transaction; then the
/// grievance is closed or reopened. A crash between the two leaves the outcome marked unapplied, and the repair job
/// applies it (idempotent by call-back id).
/// </summary>
internal sealed partial class OutcomeRecorder(
    NpgsqlDataSource dataSource,
    CallBackReads reads,
    IGrievanceService grievances,
    IOptions<CallBackOptions> options,
    TimeProvider clock,
    ILogger<OutcomeRecorder> logger) : IDisposable
{
    /// <summary>The longest reason or note.</summary>
    public const int MaxText = 1000;

    // Outcomes written at once by this silo (each holds a connection, and may wait for its campaign's lock).
    private const int MaxWriters = 4;

    // How long an outcome waits for a place among those, at most.
    private static readonly TimeSpan WriterWait = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _writers = new(MaxWriters);

    public void Dispose() => _writers.Dispose();

    // The campaign's lock first (see CampaignLocks), then the lease: a queue batch handing out this campaign at the
    // moment the lease ends either committed before (the call-back is another agent's now: refused) or reads it after
    // this outcome (finished, or released for a later attempt: not handed out).
    private const string LockLeaseSql = "select 1 from callbacks.lease where call_back_id = $1 for update";

    private const string LockSql = $"""
        select {CallBackRow.Columns},
               (select a.agent_id from callbacks.attempt a where a.call_back_id = c.id order by a.number desc limit 1),
               (select a.at from callbacks.attempt a where a.call_back_id = c.id order by a.number desc limit 1)
        from {CallBackRow.From} where c.id = $1 for update of c
        """;

    private const string AttemptSql = """
        insert into callbacks.attempt (call_back_id, number, agent_id, at, outcome, rating, reason, note)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        """;

    private const string UpdateSql = $"""
        update callbacks.call_back c
        set state = $2, attempts = $3, callable_from = coalesce($4, c.callable_from), completed_at = $5, rating = $6,
            outcome_note = $7, applied = $8
        where c.id = $1
        """;

    // A call-back to be tried again is released at once; a finished one keeps its lease to its end, so no queue takes it.
    private const string ReleaseSql = "update callbacks.lease set lease_until = least(lease_until, $2) where call_back_id = $1";


    private const string UnappliedSql = $"select {CallBackRow.Columns} from {CallBackRow.From} where not c.applied and c.completed_at < $1 order by c.completed_at limit 500";

    private const string MarkAppliedSql = "update callbacks.call_back set applied = true where id = $1";

    /// <summary>Checks a report at the edge, naming the field and the rule.</summary>
    /// <exception cref="HelplineException">REQUIRED, TOO_LONG, INVALID_VALUE.</exception>
    public static OutcomeReport Validate(CallBackOutcome outcome, string? reason, int? rating, string? note)
    {
        var why = string.IsNullOrWhiteSpace(reason) && outcome != CallBackOutcome.Dissatisfied ? null : UserText.Require(reason, MaxText, "reason");
        if (rating is < 1 or > 5)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"rating is 1 to 5, not {rating}.", "rating");
        }

        if (rating is not null && outcome == CallBackOutcome.NotReachable)
        {
            throw new HelplineException(ErrorCodes.Invalid, "A complainant who was not reached gave no rating.", "rating");
        }

        var said = string.IsNullOrWhiteSpace(note) ? null : UserText.Require(note, MaxText, "note");
        return new OutcomeReport(outcome, outcome == CallBackOutcome.NotReachable ? null : why, rating, said);
    }

    /// <summary>Records <paramref name="report"/> for the call-back <paramref name="agentId"/> holds.</summary>
    /// <exception cref="HelplineException">UNKNOWN_CALL_BACK, CALL_BACK_NOT_HELD, LEASE_EXPIRED, OUTCOME_ALREADY_RECORDED, GRIEVANCE_REOPENED.</exception>
    public async Task<RecordedOutcome> RecordAsync(string agentId, Guid callBackId, OutcomeReport report, CancellationToken cancellationToken)
    {
        // The grievance may have been reopened a moment ago, before its event cancelled this call-back. It is asked
        // before a connection is taken: asking needs one of its own, and recorders each holding one while waiting for
        // another would empty the pool.
        var known = await FindAsync(callBackId, cancellationToken);
        var grievance = await grievances.GetAsync(known.ReferenceNumber, cancellationToken);
        var stillDisposed = grievance.Status is GrievanceStatus.Resolved or GrievanceStatus.Rejected or GrievanceStatus.DisposedOnCall or GrievanceStatus.SpeciallyClosed
            && grievance.Timeline.LastOrDefault(e => e.Type is TimelineEventType.Resolved or TimelineEventType.Rejected or TimelineEventType.DisposedOnCall or TimelineEventType.SpeciallyClosed)?.Sequence == known.DisposalSequence;

        // The grievance is told once the outcome is committed and the connection is back in the pool, for the same reason.
        var (after, decision) = await WriteAsync(agentId, callBackId, report, stillDisposed, cancellationToken);
        return decision is { } d
            ? await ApplyAsync(after, d, agentId, cancellationToken)
            : new RecordedOutcome(after, null, true);
    }

    private async Task<(CallBackRow After, CallBackDecision? Decision)> WriteAsync(
        string agentId, Guid callBackId, OutcomeReport report, bool stillDisposed, CancellationToken cancellationToken)
    {
        var settings = options.Value;

        // A recorder may wait for its campaign's lock while a queue batch holds it; only a few wait holding a
        // connection, so outcomes waiting on one busy campaign cannot take the pool from the other campaigns' agents.
        if (!await _writers.WaitAsync(WriterWait, cancellationToken))
        {
            throw new HelplineException(
                ErrorCodes.OutcomeUnknown, "Outcomes are waiting for their campaigns on this silo; nothing was recorded: record it again.");
        }

        try
        {
            return await WriteLockedAsync(agentId, callBackId, report, stillDisposed, settings, cancellationToken);
        }
        finally
        {
            _writers.Release();
        }
    }

    private async Task<(CallBackRow After, CallBackDecision? Decision)> WriteLockedAsync(
        string agentId, Guid callBackId, OutcomeReport report, bool stillDisposed, CallBackOptions settings, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await CampaignLocks.BoundWaitsAsync(connection, tx, cancellationToken);
        var (row, lastAgent, lastAt) = await LockAsync(connection, tx, callBackId, cancellationToken);
        var now = clock.GetUtcNow();
        Check(row, agentId, lastAgent, lastAt, now);
        if (!stillDisposed)
        {
            throw Reopened(row);
        }

        var number = row.Attempts + 1;
        var result = CallBackRules.Attempt(report.Outcome, number, report.Rating, report.Reason, report.Note, now, settings);
        await using (var cmd = new NpgsqlCommand(AttemptSql, connection, tx))
        {
            var p = cmd.Parameters;
            p.Add(new NpgsqlParameter<Guid> { TypedValue = row.Id });
            p.Add(new NpgsqlParameter<int> { TypedValue = number });
            p.Add(new NpgsqlParameter<string> { TypedValue = agentId });
            p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            p.Add(new NpgsqlParameter<string> { TypedValue = StateNames.Of(report.Outcome) });
            p.Add(Nullable(report.Rating));
            p.Add(Nullable(report.Reason));
            p.Add(Nullable(report.Note));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        var finished = result.State != CallBackState.Pending;
        CallBackRow after;
        await using (var cmd = new NpgsqlCommand(UpdateSql, connection, tx))
        {
            var p = cmd.Parameters;
            p.Add(new NpgsqlParameter<Guid> { TypedValue = row.Id });
            p.Add(new NpgsqlParameter<string> { TypedValue = StateNames.Of(result.State) });
            p.Add(new NpgsqlParameter<int> { TypedValue = number });
            p.Add(new NpgsqlParameter { Value = (object?)result.CallableFrom ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            p.Add(new NpgsqlParameter { Value = finished ? now : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            p.Add(Nullable(report.Rating));
            p.Add(Nullable(result.TimelineNote));
            p.Add(new NpgsqlParameter<bool> { TypedValue = result.Decision is null });
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!finished)
        {
            await using var release = new NpgsqlCommand(ReleaseSql, connection, tx);
            release.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = row.Id });
            release.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await release.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var read = new NpgsqlCommand(CallBackRow.ByIdSql, connection, tx))
        {
            read.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = row.Id });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            after = CallBackRow.Read(reader);
        }

        await CallBackEvents.AppendAsync(
            CallBackEvent.Attempt(row.Keys, number, now, agentId, report.Outcome, result.State, report.Rating, report.Reason, report.Note),
            connection,
            tx,
            cancellationToken);
        await tx.CommitAsync(cancellationToken);
        LogRecorded(row.ReferenceNumber, row.Id, agentId, report.Outcome, number);
        return (after, result.Decision);
    }

    private async Task<CallBackRow> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await reads.FindAsync(id, cancellationToken)
            ?? throw new HelplineException(CallBackErrorCodes.UnknownCallBack, $"No call-back has id '{id}'.", "callBackId");

    /// <summary>Applies outcomes recorded before <paramref name="before"/> that were not applied; returns how many now are.</summary>
    public async Task<int> ApplyPendingAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var rows = new List<CallBackRow>();
        await using (var cmd = dataSource.CreateCommand(UnappliedSql))
        {
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before.ToUniversalTime() });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(CallBackRow.Read(reader));
            }
        }

        var applied = 0;
        foreach (var row in rows)
        {
            var decision = row.State == CallBackState.Dissatisfied ? CallBackDecision.Reopen : CallBackDecision.Close;
            if ((await ApplyAsync(row, decision, row.LeasedTo ?? "system", cancellationToken)).Applied)
            {
                applied++;
            }
        }

        return applied;
    }

    private async Task<RecordedOutcome> ApplyAsync(CallBackRow row, CallBackDecision decision, string actor, CancellationToken cancellationToken)
    {
        Grievance? grievance = null;
        try
        {
            grievance = await grievances.ApplyCallBackAsync(
                row.ReferenceNumber,
                new CallBackVerdict(row.Id.ToString(), row.DisposalSequence, decision, actor, row.OutcomeNote ?? "Call-back outcome recorded."),
                cancellationToken);
        }
        catch (HelplineException ex) when (ex.Code == GrievanceErrorCodes.DisposalSuperseded)
        {
            // Reopened by someone else between the check and now: the outcome stays recorded, the grievance as it is.
            LogSuperseded(row.ReferenceNumber, row.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogApplyFailed(ex, row.ReferenceNumber, row.Id);
            return new RecordedOutcome(row, null, false);
        }

        await using var cmd = dataSource.CreateCommand(MarkAppliedSql);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = row.Id });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return new RecordedOutcome(row with { Applied = true }, grievance, true);
    }

    private static async Task<(CallBackRow Row, string? LastAgent, DateTimeOffset? LastAt)> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken)
    {
        await using (var campaign = new NpgsqlCommand(CampaignLocks.OfCallBack, connection, tx))
        {
            campaign.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            await campaign.ExecuteScalarAsync(cancellationToken);
        }

        await using (var lease = new NpgsqlCommand(LockLeaseSql, connection, tx))
        {
            lease.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            await lease.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var cmd = new NpgsqlCommand(LockSql, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new HelplineException(CallBackErrorCodes.UnknownCallBack, $"No call-back has id '{id}'.", "callBackId");
        }

        var row = CallBackRow.Read(reader);
        return (row, reader.IsDBNull(28) ? null : reader.GetString(28), reader.IsDBNull(29) ? null : reader.GetFieldValue<DateTimeOffset>(29));
    }

    private static void Check(CallBackRow row, string agentId, string? lastAgent, DateTimeOffset? lastAt, DateTimeOffset now)
    {
        if (row.State == CallBackState.Cancelled)
        {
            throw Reopened(row);
        }

        if (row.LeasedTo != agentId)
        {
            throw new HelplineException(CallBackErrorCodes.NotHeld, "This call-back is not handed to you; ask for your next call.", "callBackId");
        }

        // The same agent reporting the same call twice (a double click, a retry after a lost answer).
        var recordedByThisAgent = lastAgent == agentId && lastAt >= row.LeasedAt;
        if (row.State != CallBackState.Pending || recordedByThisAgent)
        {
            throw new HelplineException(
                CallBackErrorCodes.OutcomeAlreadyRecorded,
                $"The outcome of this call was already recorded ({(row.State == CallBackState.Pending ? "not reachable; it will be tried again later" : StateNames.Of(row.State))}); nothing was changed.",
                "callBackId");
        }

        if (row.LeaseUntil is null || row.LeaseUntil <= now)
        {
            throw new HelplineException(
                CallBackErrorCodes.LeaseExpired,
                $"Your hold on this call-back ended{(row.LeaseUntil is { } until ? $" at {until:u}" : "")} and it went back to the queue; ask for your next call.",
                "callBackId");
        }
    }

    private static HelplineException Reopened(CallBackRow row) =>
        new(CallBackErrorCodes.GrievanceReopened,
            $"Grievance {row.ReferenceNumber} was reopened (or disposed of again) after the disposal this call-back checks; nothing was recorded.",
            "callBackId");

    private static NpgsqlParameter Nullable(int? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Smallint };

    private static NpgsqlParameter Nullable(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    [LoggerMessage(Level = LogLevel.Information, Message = "Call-back {CallBackId} of grievance {ReferenceNumber}: agent {AgentId} recorded {Outcome} on attempt {Attempt}")]
    private partial void LogRecorded(string referenceNumber, Guid callBackId, string agentId, CallBackOutcome outcome, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call-back {CallBackId}: grievance {ReferenceNumber} moved past the disposal it checked before the outcome was applied; left as it is")]
    private partial void LogSuperseded(string referenceNumber, Guid callBackId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call-back {CallBackId}: the outcome is recorded but grievance {ReferenceNumber} could not be told yet; the repair job will apply it")]
    private partial void LogApplyFailed(Exception exception, string referenceNumber, Guid callBackId);
}
