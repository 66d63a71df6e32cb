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
        var statements = new FactStatements();
        var now = clock.GetUtcNow();
        var next = 0;
        foreach (var e in events)
        {
            if (e.Stream == GrievanceEvents.Stream)
            {
                Grievance(grievances[next++], now, statements, batchState);
            }
            else
            {
                CallBack(CallBackEvents.Read(e), now, statements);
            }
        }

        await using var batch = new NpgsqlBatch(context.Connection, context.Transaction);
        statements.Write(batch);
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

    private void Grievance(GrievanceEvent e, DateTimeOffset now, FactStatements statements, BatchState batchState)
    {
        var at = e.At.ToUniversalTime();

        // The lifecycle takes a grievance off hold on more than a resumption (a new level or seat starts its clock
        // afresh); a flag left set would excuse a later breach and keep it out of pendency past its due date.
        if (EventKinds.LeavesHold(e.Type) && (batchState.Holdings.OnHold(e.ReferenceNumber) ?? batchState.OnHoldAtStart.Contains(e.ReferenceNumber)))
        {
            statements.Add(FactStatement.Hold, e.ReferenceNumber, e.ReferenceNumber, false);
            batchState.Holdings.OnHoldSet(e.ReferenceNumber, false);
        }

        switch (e.Type)
        {
            case TimelineEventType.Paused:
                statements.Add(FactStatement.Hold, e.ReferenceNumber, e.ReferenceNumber, true);
                batchState.Holdings.OnHoldSet(e.ReferenceNumber, true);
                break;
            case TimelineEventType.Breached when e.OfficerId is not null:
                FactOf(statements, e, "breach", null, now, e.Note);
                break;
            case TimelineEventType.BreachedAtTop:
                statements.Add(FactStatement.AtTop, e.ReferenceNumber, e.ReferenceNumber);
                break;
            case TimelineEventType.Reopened:
                statements.Add(FactStatement.Reopened, e.ReferenceNumber, e.EventId, e.ReferenceNumber, e.Sequence, at, now, e.Note);
                break;
            case TimelineEventType.ReturnRequested:
                statements.Add(FactStatement.ReturnRequested, e.ReferenceNumber, e.ReferenceNumber, e.Actor);
                break;
            case TimelineEventType.ReturnRefused when e.OfficerId is not null:
                FactOf(statements, e, "overturned_return", null, now, $"Return refused by {e.Actor}: {e.Note}");
                break;
            case TimelineEventType.ReturnApproved when e.ReturnKind == ReturnKind.NotPertaining && e.PositionId is not null && e.OfficerId is not null:
                statements.Add(FactStatement.Returned, e.ReferenceNumber, e.ReferenceNumber, e.PositionId, e.OfficerId, at);
                batchState.ReturnsOnRecord.Add(e.ReferenceNumber);
                break;
        }

        if (EventKinds.IsOfficerDisposal(e.Type) && e.OfficerId is not null)
        {
            // On time when disposed of at or before the due instant (the SLA engine's rule 1).
            FactOf(statements, e, "disposal", e.DueAt is not { } due || at <= due.ToUniversalTime(), now, null);
            statements.Add(FactStatement.Disposed, e.ReferenceNumber, e.ReferenceNumber, e.Sequence, e.OfficerId, e.PositionId);
            batchState.Holdings.OnHoldSet(e.ReferenceNumber, false);
        }

        if (EventKinds.MayClearBreach(e.Type))
        {
            if (e.Breached is false)
            {
                statements.Add(FactStatement.Clear, e.ReferenceNumber, e.ReferenceNumber, at, $"Cleared by {e.Type} (event {e.Sequence}) by {e.Actor}.", false);
            }
            else if (e.BreachedAtTop is false)
            {
                statements.Add(FactStatement.Clear, e.ReferenceNumber, e.ReferenceNumber, at, $"Top-of-chain breach cleared by {e.Type} (event {e.Sequence}) by {e.Actor}.", true);
            }
        }

        Holding(e, at, now, statements, batchState);
    }

    // Who holds it after the event, and until when it was due; a disposal ends the holding.
    private void Holding(GrievanceEvent e, DateTimeOffset at, DateTimeOffset now, FactStatements statements, BatchState batchState)
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
            statements.Add(
                FactStatement.CameBack, e.ReferenceNumber, EventKinds.Derived(e.EventId, EventKinds.CameBack), e.ReferenceNumber, e.Sequence, at, e.PositionId,
                now, $"Came back to {e.PositionId} by {e.Type} (event {e.Sequence})", e.DepartmentId!, e.JurisdictionId!,
                u.DistrictId, u.TehsilId, u.BlockId, supPosition, supOfficer);
        }
    }

    private void CallBack(CallBackEvent e, DateTimeOffset now, FactStatements statements)
    {
        if (e.Type != "AttemptRecorded" || e.OfficerId is null || e.Outcome is not (CallBackOutcome.Satisfied or CallBackOutcome.Dissatisfied))
        {
            return;
        }

        var u = places.Of(e.JurisdictionId);
        var (supPosition, supOfficer) = places.SupervisorOf(e.PositionId, e.OfficerId);
        var kind = e.Outcome == CallBackOutcome.Satisfied ? "satisfied" : "dissatisfied";
        var note = e.Outcome == CallBackOutcome.Dissatisfied ? $"Call-back {e.CallBackId}: {e.Reason}" : $"Call-back {e.CallBackId}";
        statements.Add(
            FactStatement.Fact, e.ReferenceNumber, e.EventId, kind, e.ReferenceNumber, e.DisposalSequence, e.At.ToUniversalTime(), e.OfficerId, e.PositionId,
            e.Level, supPosition, supOfficer, e.DepartmentId, e.JurisdictionId, u.DistrictId, u.TehsilId, u.BlockId, null, now, note);
    }

    private void FactOf(FactStatements statements, GrievanceEvent e, string kind, bool? onTime, DateTimeOffset now, string? note)
    {
        var jurisdiction = e.JurisdictionId ?? "";
        var u = places.Of(jurisdiction);
        var (supPosition, supOfficer) = places.SupervisorOf(e.PositionId, e.OfficerId);
        statements.Add(
            FactStatement.Fact, e.ReferenceNumber, e.EventId, kind, e.ReferenceNumber, e.Sequence, e.At.ToUniversalTime(), e.OfficerId!, e.PositionId, e.Level,
            supPosition, supOfficer, e.DepartmentId ?? "", jurisdiction, u.DistrictId, u.TehsilId, u.BlockId, onTime, now, note);
    }

    // What the batch's statements will have changed by the event at hand: the holdings to write at its head (with the
    // holds the batch set or lifted), the grievances a not-pertaining return is on record for (before the batch, or
    // returned by it), and those on hold before the batch.
    private sealed record BatchState(HoldingChanges Holdings, HashSet<string> ReturnsOnRecord, HashSet<string> OnHoldAtStart);
}
