using System.Threading.Channels;
using Helpline.Grievances.Events;
using Helpline.Jurisdictions;
using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Helpline.Platform.Orleans;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.Grievances.ReadModel;

/// <summary>
/// Writes a grievance's stored state, read-model row and timeline, and publishes its timeline as grievance events, in
/// one transaction gathered with others.
/// </summary>
internal interface IGrievanceProjection
{
    /// <summary>
    /// Stores the grain's state as the version after <see cref="GrievanceStateWrite.ExpectedVersion"/>, with its
    /// projection-outbox entry, and writes <paramref name="grievance"/> (that state's view) to the read model and the
    /// event log, in one transaction. Completes when it has committed. The outbox entry stays until
    /// <see cref="AcknowledgeAsync"/>: the grain acknowledges once its officers know the change.
    /// </summary>
    /// <returns>The new stored version.</returns>
    /// <exception cref="ProjectionRefusedException">The read model refused this grievance's rows for good; nothing of the write committed, the state included.</exception>
    /// <exception cref="PostgresException">With <see cref="ProjectedStateWrite.VersionConflict"/>: the stored state is not at the expected version; nothing committed.</exception>
    Task<int> WriteWithStateAsync(GrievanceStateWrite state, Grievance grievance, CancellationToken cancellationToken);

    /// <summary>
    /// Upserts the row at <paramref name="version"/> (older versions never overwrite newer ones), adds missing
    /// timeline events, appends them to the event log, and acknowledges the grain's projection-outbox entry, in one
    /// transaction: a state stored earlier, written again (a repair, a retried request). Completes when that
    /// transaction has committed.
    /// </summary>
    /// <exception cref="ProjectionRefusedException">The read model refused this grievance's rows for good; nothing of the write committed.</exception>
    Task WriteAsync(string grainKey, Grievance grievance, int version, CancellationToken cancellationToken);

    /// <summary>
    /// Acknowledges the grain's projection-outbox entry up to <paramref name="version"/>: the read model shows that
    /// version and its officers know it, or the grain holds no grievance at it. Gathered into a transaction with others.
    /// </summary>
    Task AcknowledgeAsync(string grainKey, int version, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="AcknowledgeAsync"/>, without waiting: the acknowledgement commits with the next gathered
    /// transaction. One that is lost (a crash, a failed transaction) leaves the entry for the repair job, which tells
    /// the officers again and finds the read model written.
    /// </summary>
    void Acknowledge(string grainKey, int version);
}

/// <summary>
/// A grievance grain's state to store with its projection, as the storage serializer wrote it, replacing
/// <see cref="ExpectedVersion"/> (null for the first write); a new complaint's first write carries its monthly limit
/// (<see cref="LimitCheck"/>), checked before anything of it is written.
/// </summary>
internal sealed record GrievanceStateWrite(string ServiceId, GrainId GrainId, byte[] Payload, int? ExpectedVersion, Desk.ComplaintLimitCheck? LimitCheck = null)
{
    /// <summary>The version the write stores.</summary>
    public int NewVersion => (ExpectedVersion ?? 0) + 1;
}

/// <summary>
/// Group commit for grievance state and the read model: writes and acknowledgements that arrive while a transaction
/// is in flight are gathered and committed together (up to <see cref="MaxBatch"/>), so under load a grievance change
/// costs a fraction of a commit instead of one for its state and one for its read model. If a gathered transaction
/// fails, its items are retried one by one so that one bad row fails only its own caller.
/// </summary>
internal sealed partial class GrievanceProjection : IGrievanceProjection, IAsyncDisposable
{
    internal const string StateName = "grievance";
    private const int MaxBatch = 64;

    // Appends hold the event log's head until they commit, so writers wait on each other there, whatever their number.
    // Measured on two cores (throughput-bench and sla-bench): two writers registered 5-15 % more a second than four,
    // and a burst of 20,000 escalations took 9 % less of PostgreSQL's CPU (one writer: 22 % less). Two, not one, so
    // that a batch retried item by item, or waiting on its commit, does not hold up every other change.
    private const int Writers = 2;

    private const string UpsertSql = """
        insert into grievances.grievance as g (
            reference_number, grain_key, kind, status, channel, complainant_name, complainant_mobile,
            jurisdiction_id, jurisdiction_path, category_id, department_id, description, position_id, officer_id,
            level, registered_at, due_at, breached, breached_at_top, closed_at, disposal, registered_by, version, at_risk_at, at_risk_announced, on_hold_since, last_changed_at, final_closed_at, projected_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, now())
        on conflict (reference_number) do update set
            status = excluded.status, category_id = excluded.category_id, department_id = excluded.department_id,
            position_id = excluded.position_id, officer_id = excluded.officer_id, level = excluded.level,
            due_at = excluded.due_at, breached = excluded.breached, breached_at_top = excluded.breached_at_top,
            closed_at = excluded.closed_at, disposal = excluded.disposal, version = excluded.version,
            at_risk_at = excluded.at_risk_at, at_risk_announced = excluded.at_risk_announced, on_hold_since = excluded.on_hold_since,
            last_changed_at = excluded.last_changed_at, final_closed_at = excluded.final_closed_at, projected_at = now()
        where g.version < excluded.version
        """;

    // The grain sends its whole timeline, but rows are only ever added, each write a whole prefix of it: entries up to
    // the highest stored sequence are all stored, and one probe skips them instead of a conflicting insert each.
    // The conflict clause still settles two concurrent writes of the same new entries.
    private const string TimelineSql = """
        insert into grievances.timeline_event (reference_number, seq, type, at, actor, note, officer_id, level, due_at)
        select $1, t.* from unnest($2::int[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::int[], $9::timestamptz[])
            as t(seq, type, at, actor, note, officer_id, level, due_at)
        where t.seq > coalesce((select max(e.seq) from grievances.timeline_event e where e.reference_number = $1), 0)
        on conflict (reference_number, seq) do nothing
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly IJurisdictionDirectory _jurisdictions;
    private readonly ILogger<GrievanceProjection> _logger;
    private readonly Channel<Item> _queue = System.Threading.Channels.Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] _writers;

    public GrievanceProjection(NpgsqlDataSource dataSource, IJurisdictionDirectory jurisdictions, ILogger<GrievanceProjection> logger)
    {
        _dataSource = dataSource;
        _jurisdictions = jurisdictions;
        _logger = logger;
        _writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    public async Task<int> WriteWithStateAsync(GrievanceStateWrite state, Grievance grievance, CancellationToken cancellationToken)
    {
        await EnqueueAsync(new Item(ProjectionOutbox.GrainKeyOf(state.GrainId), grievance, state.NewVersion, state), cancellationToken);
        return state.NewVersion;
    }

    public Task WriteAsync(string grainKey, Grievance grievance, int version, CancellationToken cancellationToken) =>
        EnqueueAsync(new Item(grainKey, grievance, version, null), cancellationToken);

    public Task AcknowledgeAsync(string grainKey, int version, CancellationToken cancellationToken) =>
        EnqueueAsync(new Item(grainKey, null, version, null), cancellationToken);

    public void Acknowledge(string grainKey, int version) =>
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(new Item(grainKey, null, version, null, Awaited: false)), this);

    private Task EnqueueAsync(Item item, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);
        return item.Done!.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Item>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            var attempt = new Attempt();
            try
            {
                await CommitAsync(batch, attempt);
                batch.ForEach(i => i.Done?.TrySetResult());
            }
            catch (Exception ex) when (attempt.Committing && (ex is not PostgresException || SessionEnded(ex)))
            {
                // The commit may have happened (the server's own error would say it rolled back): sent again, a stored
                // state would meet its own write as a conflict.
                // Every caller hears the outcome is unknown; a retried request finds what was stored.
                LogFailed(ex, batch[0].Name);
                batch.ForEach(i => i.Done?.TrySetException(ex));
            }
            catch (Exception) when (batch.Count > 1)
            {
                foreach (var item in batch)
                {
                    try
                    {
                        await CommitAsync([item], new Attempt());
                        item.Done?.TrySetResult();
                    }
                    catch (Exception ex)
                    {
                        if (item.Done is null)
                        {
                            LogFailed(ex, item.Name);
                        }

                        item.Done?.TrySetException(ex);
                    }
                }
            }
            catch (Exception ex)
            {
                // A complaint over its monthly limit is the caller's answer, not a failed write.
                if (Desk.ComplaintLimitCheck.Of(ex.InnerException) is null)
                {
                    LogFailed(ex, batch[0].Name);
                }

                batch[0].Done?.TrySetException(ex);
            }
        }
    }

    private async Task CommitAsync(List<Item> items, Attempt attempt)
    {
        await using var conn = await _dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();

        // A write made alone that fails for good is the grievance's own refusal: said so, for the grain to give up a
        // change nobody has seen. Anything that may pass, a stored version that moved on, or a commit whose outcome
        // is unknown stays as it is.
        var refusable = items is [{ Grievance: not null }];
        try
        {
            await using var batch = new NpgsqlBatch(conn, tx);

            // Rows are written in key order so that two concurrent transactions touching the same rows cannot deadlock.
            var writes = items.Where(i => i.Grievance is not null).OrderBy(i => i.Grievance!.ReferenceNumber, StringComparer.Ordinal).ToList();
            foreach (var item in writes)
            {
                AddCommands(batch, item);
            }

            foreach (var ack in items.Where(i => i.Grievance is null).OrderBy(i => i.GrainKey, StringComparer.Ordinal))
            {
                batch.BatchCommands.Add(ProjectionOutbox.AcknowledgeCommand(StateName, ack.GrainKey, ack.Version));
            }

            // Appending events holds the log's head until the commit, so they come last (the rest runs concurrently
            // with other transactions), in one statement for the whole batch. Two versions of one grievance in a
            // batch append the later one's timeline, which holds the earlier's.
            if (writes.Count > 0)
            {
                batch.BatchCommands.Add(EventLog.AppendCommand(
                    GrievanceEvents.Stream,
                    [.. writes.GroupBy(i => i.Grievance!.ReferenceNumber, StringComparer.Ordinal)
                        .Select(g => g.MaxBy(i => i.Version)!)
                        .Select(i => new StreamEvents(i.Grievance!.ReferenceNumber, GrievanceEvents.From(i.Grievance)))]));
            }

            await batch.PrepareByKeyAsync(CancellationToken.None);
            await batch.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (refusable && !ProjectionRefusedException.MayPass(ex) && !ProjectedStateWrite.IsVersionConflict(ex))
        {
            throw new ProjectionRefusedException(items[0].Name, ex);
        }

        try
        {
            attempt.Committing = true;
            await tx.CommitAsync();
        }
        catch (PostgresException ex) when (refusable && !ex.IsTransient)
        {
            // The server answered the commit itself with an error: the transaction was rolled back.
            throw new ProjectionRefusedException(items[0].Name, ex);
        }
    }

    // Npgsql writes timestamptz only from UTC offsets: every instant is written as UTC here, whatever offset a caller
    // (an import, a test clock) gave it, so no state the grain stored can fail to project for its offset.
    private void AddCommands(NpgsqlBatch batch, Item item)
    {
        // The state first: a version that moved on, or a complaint over its monthly limit, fails the transaction
        // before anything else is written.
        if (item.State is { } state)
        {
            if (state.LimitCheck is { } limit)
            {
                batch.BatchCommands.Add(limit.Command());
            }

            batch.BatchCommands.Add(ProjectedStateWrite.Command(state.ServiceId, StateName, state.GrainId, state.Payload, state.ExpectedVersion));
        }

        var g = item.Grievance!;
        var r = g.Request;
        var path = _jurisdictions.PathToRoot(r.JurisdictionId).Select(j => j.Id).ToArray();
        var upsert = new NpgsqlBatchCommand(UpsertSql);
        var p = upsert.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = g.ReferenceNumber });
        p.Add(new NpgsqlParameter<string> { TypedValue = item.GrainKey });
        p.Add(new NpgsqlParameter<string> { TypedValue = r.Kind.ToString() });
        p.Add(new NpgsqlParameter<string> { TypedValue = g.Status.ToString() });
        p.Add(new NpgsqlParameter<string> { TypedValue = r.Channel.ToString() });
        p.Add(new NpgsqlParameter<string> { TypedValue = r.Complainant.Name });
        p.Add(new NpgsqlParameter<string> { TypedValue = r.Complainant.Mobile });
        p.Add(new NpgsqlParameter<string> { TypedValue = r.JurisdictionId });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = path.Length > 0 ? path : [r.JurisdictionId] });
        p.Add(new NpgsqlParameter<string> { TypedValue = r.CategoryId });
        p.Add(new NpgsqlParameter<string> { TypedValue = g.DepartmentId });
        p.Add(new NpgsqlParameter<string> { TypedValue = r.Description });
        p.Add(new NpgsqlParameter<string> { TypedValue = g.PositionId });
        p.Add(new NpgsqlParameter<string> { TypedValue = g.OfficerId });
        p.Add(new NpgsqlParameter<int> { TypedValue = g.Level });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = g.RegisteredAt.ToUniversalTime() });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)g.DueAt?.ToUniversalTime() ?? DBNull.Value });
        p.Add(new NpgsqlParameter<bool> { TypedValue = g.Breached });
        p.Add(new NpgsqlParameter<bool> { TypedValue = g.BreachedAtTop });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)g.ClosedAt?.ToUniversalTime() ?? DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)g.Disposal ?? DBNull.Value });
        p.Add(new NpgsqlParameter<string> { TypedValue = r.AgentId });
        p.Add(new NpgsqlParameter<int> { TypedValue = item.Version });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)g.AtRiskAt?.ToUniversalTime() ?? DBNull.Value });
        p.Add(new NpgsqlParameter<bool> { TypedValue = g.Timeline.Count > 0 && g.AtRiskAt is not null && AtRiskAnnounced(g) });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)g.OnHoldSince?.ToUniversalTime() ?? DBNull.Value });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = LastChange(g).ToUniversalTime() });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)FinalClose(g)?.ToUniversalTime() ?? DBNull.Value });
        batch.BatchCommands.Add(upsert);

        var t = g.Timeline;
        var timeline = new NpgsqlBatchCommand(TimelineSql);
        var q = timeline.Parameters;
        q.Add(new NpgsqlParameter<string> { TypedValue = g.ReferenceNumber });
        q.Add(new NpgsqlParameter<int[]> { TypedValue = t.Select(e => e.Sequence).ToArray() });
        q.Add(new NpgsqlParameter<string[]> { TypedValue = t.Select(e => e.Type.ToString()).ToArray() });
        q.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = t.Select(e => e.At.ToUniversalTime()).ToArray() });
        q.Add(new NpgsqlParameter<string[]> { TypedValue = t.Select(e => e.Actor).ToArray() });
        q.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = t.Select(e => e.Note).ToArray() });
        q.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = t.Select(e => e.OfficerId).ToArray() });
        q.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = t.Select(e => e.Level).ToArray() });
        q.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = t.Select(e => e.DueAt?.ToUniversalTime()).ToArray() });
        batch.BatchCommands.Add(timeline);

        // A state written now keeps its outbox entry until its officers know it; a state written before is done.
        if (item.State is null)
        {
            batch.BatchCommands.Add(ProjectionOutbox.AcknowledgeCommand(StateName, item.GrainKey, item.Version));
        }
    }

    /// <summary>
    /// Whether the server ended the session (an administrator's termination, a shutdown, a start-up: 57P01 to 57P03)
    /// or the connection failed (class 08) rather than answering. Npgsql counts these transient, like a serialization
    /// failure, but unlike that answer they do not say the transaction rolled back: a commit in flight may have happened.
    /// </summary>
    internal static bool SessionEnded(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow }
            or PostgresException { SqlState: ['0', '8', ..] };

    // The latest timeline entry is the last change; an imported grievance without one last changed when registered.
    private static DateTimeOffset LastChange(Grievance g) => g.Timeline.Count == 0 ? g.RegisteredAt : g.Timeline.Max(e => e.At);

    // The close after the call-back, while the grievance stays closed (a reopened one is no longer closed).
    private static DateTimeOffset? FinalClose(Grievance g) =>
        g.Status == GrievanceStatus.Closed ? g.Timeline.LastOrDefault(e => e.Type == TimelineEventType.Closed)?.At : null;

    // The warning of the current level was given when an AtRisk event follows the level's clock start (a handover
    // keeps the level's clock, so it is not a start).
    private static bool AtRiskAnnounced(Grievance g)
    {
        for (var i = g.Timeline.Count - 1; i >= 0; i--)
        {
            switch (g.Timeline[i].Type)
            {
                case TimelineEventType.AtRisk:
                    return true;
                case TimelineEventType.Routed or TimelineEventType.Escalated or TimelineEventType.Recomputed or TimelineEventType.Reopened:
                    return false;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write of grievance {Grievance} failed; the caller sees the error")]
    private partial void LogFailed(Exception ex, string grievance);

    private sealed class Attempt
    {
        public bool Committing { get; set; }
    }

    // A write (with or without the state) or, without a grievance, an acknowledgement.
    private sealed record Item(string GrainKey, Grievance? Grievance, int Version, GrievanceStateWrite? State, bool Awaited = true)
    {
        // Nobody waits for an acknowledgement sent without waiting: it has nothing to complete, and its failure is logged.
        public TaskCompletionSource? Done { get; } = Awaited ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;

        public string Name => Grievance?.ReferenceNumber ?? GrainKey;
    }
}
