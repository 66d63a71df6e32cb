using Helpline.CallBacks.Domain;
using Helpline.CallBacks.Events;
using Helpline.Grievances;
using Helpline.Grievances.Events;
using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.Accountability.Facts;

/// <summary>
/// Turns grievance and call-back events into facts about the officers who handled each grievance, in the event batch's
/// transaction (so each event adds its facts once). Every fault is recorded against the officer who held the grievance
/// when it happened, as the event names them: a breach against the holder whose due date passed, a reopening against
/// the officer whose disposal it undoes, a dissatisfied call-back against the officer who disposed of it.
/// </summary>
internal sealed class FactSubscriber(Places places, TimeProvider clock) : IEventSubscriber
{
    private static readonly IReadOnlySet<string> Wanted = new HashSet<string>(StringComparer.Ordinal) { GrievanceEvents.Stream, CallBackEvents.Stream };

    public string Name => "accountability.facts";

    public IReadOnlySet<string> Streams => Wanted;

    public async Task HandleAsync(IReadOnlyList<IntegrationEvent> events, EventBatchContext context, CancellationToken cancellationToken)
    {
        var grievances = events.Where(e => e.Stream == GrievanceEvents.Stream).Select(GrievanceEvents.Read).ToArray();
        var batchState = await StateAtStartAsync(grievances, context, cancellationToken);
        await using var batch = new NpgsqlBatch(context.Connection, context.Transaction);
        var now = clock.GetUtcNow();
        var next = 0;
        foreach (var e in events)
        {
            if (e.Stream == GrievanceEvents.Stream)
            {
                Grievance(grievances[next++], now, batch, batchState);
            }
            else
            {
                CallBack(CallBackEvents.Read(e), now, batch);
            }
        }

        batchState.Holdings.WriteFirst(batch);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.PrepareByKeyAsync(cancellationToken);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // Of the grievances this batch moves or takes off hold: those a move may bring back to the seat that returned them,
    // and those on hold. The others need no statement for either.
    private static async Task<BatchState> StateAtStartAsync(
        IReadOnlyList<GrievanceEvent> events, EventBatchContext context, CancellationToken cancellationToken)
    {
        var state = new BatchState(new HoldingChanges(), new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        var asked = events.Where(e => (e.PositionId is not null && EventKinds.Moves(e.Type)) || EventKinds.LeavesHold(e.Type))
            .Select(e => e.ReferenceNumber).Distinct().ToArray();
        if (asked.Length == 0)
        {
            return state;
        }

        await using var command = new NpgsqlCommand(FactSql.StateAtStart, context.Connection, context.Transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = asked, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBoolean(1))
            {
                state.ReturnsOnRecord.Add(reader.GetString(0));
            }

            if (reader.GetBoolean(2))
            {
                state.OnHoldAtStart.Add(reader.GetString(0));
            }
        }

        return state;
    }

    private void Grievance(GrievanceEvent e, DateTimeOffset now, NpgsqlBatch batch, BatchState batchState)
    {
        var at = e.At.ToUniversalTime();

        // The lifecycle takes a grievance off hold on more than a resumption (a new level or seat starts its clock
        // afresh); a flag left set would excuse a later breach and keep it out of pendency past its due date.
        if (EventKinds.LeavesHold(e.Type) && (batchState.Holdings.OnHold(e.ReferenceNumber) ?? batchState.OnHoldAtStart.Contains(e.ReferenceNumber)))
        {
            batch.BatchCommands.Add(Command(FactSql.Hold, e.ReferenceNumber, false));
            batchState.Holdings.OnHoldSet(e.ReferenceNumber, false);
        }

        switch (e.Type)
        {
            case TimelineEventType.Paused:
                batch.BatchCommands.Add(Command(FactSql.Hold, e.ReferenceNumber, true));
                batchState.Holdings.OnHoldSet(e.ReferenceNumber, true);
                break;
            case TimelineEventType.Breached when e.OfficerId is not null:
                batch.BatchCommands.Add(FactOf(e, "breach", null, now, e.Note));
                break;
            case TimelineEventType.BreachedAtTop:
                batch.BatchCommands.Add(Command(FactSql.AtTop, e.ReferenceNumber));
                break;
            case TimelineEventType.Reopened:
                batch.BatchCommands.Add(Command(FactSql.Reopened, e.EventId, e.ReferenceNumber, e.Sequence, at, now, Text(e.Note)));
                break;
            case TimelineEventType.ReturnRequested:
                batch.BatchCommands.Add(Command(FactSql.ReturnRequested, e.ReferenceNumber, e.Actor));
                break;
            case TimelineEventType.ReturnRefused when e.OfficerId is not null:
                batch.BatchCommands.Add(FactOf(e, "overturned_return", null, now, $"Return refused by {e.Actor}: {e.Note}"));
                break;
            case TimelineEventType.ReturnApproved when e.ReturnKind == ReturnKind.NotPertaining && e.PositionId is not null && e.OfficerId is not null:
                batch.BatchCommands.Add(Command(FactSql.Returned, e.ReferenceNumber, e.PositionId, e.OfficerId, at));
                batchState.ReturnsOnRecord.Add(e.ReferenceNumber);
                break;
        }

        if (EventKinds.IsOfficerDisposal(e.Type) && e.OfficerId is not null)
        {
            // On time when disposed of at or before the due instant (the SLA engine's rule 1).
            batch.BatchCommands.Add(FactOf(e, "disposal", e.DueAt is not { } due || at <= due.ToUniversalTime(), now, null));
            batch.BatchCommands.Add(Command(FactSql.Disposed, e.ReferenceNumber, e.Sequence, e.OfficerId, Text(e.PositionId)));
            batchState.Holdings.OnHoldSet(e.ReferenceNumber, false);
        }

        if (EventKinds.MayClearBreach(e.Type))
        {
            if (e.Breached is false)
            {
                batch.BatchCommands.Add(Command(FactSql.Clear, e.ReferenceNumber, at, $"Cleared by {e.Type} (event {e.Sequence}) by {e.Actor}.", false));
            }
            else if (e.BreachedAtTop is false)
            {
                batch.BatchCommands.Add(Command(FactSql.Clear, e.ReferenceNumber, at, $"Top-of-chain breach cleared by {e.Type} (event {e.Sequence}) by {e.Actor}.", true));
            }
        }

        Holding(e, at, now, batch, batchState);
    }

    // Who holds it after the event, and until when it was due; a disposal ends the holding.
    private void Holding(GrievanceEvent e, DateTimeOffset at, DateTimeOffset now, NpgsqlBatch batch, BatchState batchState)
    {
        var ends = EventKinds.EndsHolding(e.Type);
        var starts = EventKinds.StartsHolding(e.Type) && e.OfficerId is not null && e.DepartmentId is not null && e.JurisdictionId is not null;
        if (!ends && !starts)
        {
            return;
        }

        batchState.Holdings.End(e.ReferenceNumber, e.Sequence, at);
        if (!starts)
        {
            return;
        }

        var u = places.Of(e.JurisdictionId!);
        bool? onHold = e.Type switch { TimelineEventType.Paused => true, TimelineEventType.Resumed or TimelineEventType.Reopened => false, _ => null };
        batchState.Holdings.Start(
            new HoldingStart(e.ReferenceNumber, e.Sequence, at, e.OfficerId!, e.PositionId, e.Level, e.DepartmentId!, e.JurisdictionId!, u, e.DueAt?.ToUniversalTime()),
            onHold);

        if (e.PositionId is not null && EventKinds.Moves(e.Type) && batchState.ReturnsOnRecord.Contains(e.ReferenceNumber))
        {
            var (supPosition, supOfficer) = places.SupervisorOf(e.PositionId, e.OfficerId);
            batch.BatchCommands.Add(Command(
                FactSql.CameBack, EventKinds.Derived(e.EventId, EventKinds.CameBack), e.ReferenceNumber, e.Sequence, at, e.PositionId, now,
                $"Came back to {e.PositionId} by {e.Type} (event {e.Sequence})", e.DepartmentId!, e.JurisdictionId!,
                Text(u.DistrictId), Text(u.TehsilId), Text(u.BlockId), Text(supPosition), Text(supOfficer)));
        }
    }

    private void CallBack(CallBackEvent e, DateTimeOffset now, NpgsqlBatch batch)
    {
        if (e.Type != "AttemptRecorded" || e.OfficerId is null || e.Outcome is not (CallBackOutcome.Satisfied or CallBackOutcome.Dissatisfied))
        {
            return;
        }

        var u = places.Of(e.JurisdictionId);
        var (supPosition, supOfficer) = places.SupervisorOf(e.PositionId, e.OfficerId);
        var kind = e.Outcome == CallBackOutcome.Satisfied ? "satisfied" : "dissatisfied";
        var note = e.Outcome == CallBackOutcome.Dissatisfied ? $"Call-back {e.CallBackId}: {e.Reason}" : $"Call-back {e.CallBackId}";
        batch.BatchCommands.Add(Command(
            FactSql.Insert, e.EventId, kind, e.ReferenceNumber, e.DisposalSequence, e.At.ToUniversalTime(), e.OfficerId, Text(e.PositionId), Int(e.Level),
            Text(supPosition), Text(supOfficer), e.DepartmentId, e.JurisdictionId, Text(u.DistrictId), Text(u.TehsilId), Text(u.BlockId), Bool(null), now, Text(note)));
    }

    private NpgsqlBatchCommand FactOf(GrievanceEvent e, string kind, bool? onTime, DateTimeOffset now, string? note)
    {
        var jurisdiction = e.JurisdictionId ?? "";
        var u = places.Of(jurisdiction);
        var (supPosition, supOfficer) = places.SupervisorOf(e.PositionId, e.OfficerId);
        return Command(
            FactSql.Insert, e.EventId, kind, e.ReferenceNumber, e.Sequence,
            e.At.ToUniversalTime(), e.OfficerId!, Text(e.PositionId), Int(e.Level), Text(supPosition), Text(supOfficer), e.DepartmentId ?? "", jurisdiction,
            Text(u.DistrictId), Text(u.TehsilId), Text(u.BlockId), Bool(onTime), now, Text(note));
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var c = new NpgsqlBatchCommand(sql);
        foreach (var v in values)
        {
            c.Parameters.Add(v as NpgsqlParameter ?? new NpgsqlParameter { Value = v });
        }

        return c;
    }

    private static NpgsqlParameter Text(string? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Int(int? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter Bool(bool? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean };

    // What the batch's statements will have changed by the event at hand: the holdings to write at its head (with the
    // holds the batch set or lifted), the grievances a not-pertaining return is on record for (before the batch, or
    // returned by it), and those on hold before the batch.
    private sealed record BatchState(HoldingChanges Holdings, HashSet<string> ReturnsOnRecord, HashSet<string> OnHoldAtStart);
}
