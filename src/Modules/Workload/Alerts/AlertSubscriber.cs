using Helpline.Grievances;
using Helpline.Grievances.Events;
using Helpline.Officers;
using Helpline.Platform.Events;
using Npgsql;

namespace Helpline.Workload.Alerts;

/// <summary>
/// Keeps officers' alerts from grievance events, in the batch's transaction: an at-risk warning goes to the holder
/// (<c>AT_RISK</c>) and to whoever acts for the supervisor seat (<c>SUBORDINATE_AT_RISK</c>); an escalation goes to the
/// officer it reached (<c>ESCALATED_TO_YOU</c>). An event delivered again finds its rows and adds nothing. Events
/// older than the alerts' retention give none (the first run reads the whole history of the log).
/// </summary>
internal sealed class AlertSubscriber(IOfficerDirectory directory, TimeProvider clock) : GrievanceEventSubscriber
{
    private const string InsertSql = """
        insert into workload.officer_alert (officer_id, at, reference_number, kind, message, event_id)
        select officer_id, at, reference_number, kind, message, event_id
        from unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::uuid[])
                 with ordinality as a(officer_id, at, reference_number, kind, message, event_id, ord)
        order by ord
        on conflict (event_id, officer_id, kind) do nothing
        """;

    public override string Name => "workload.alerts";

    protected override async Task HandleAsync(IReadOnlyList<GrievanceEvent> events, EventBatchContext context, CancellationToken cancellationToken)
    {
        var rows = AlertsOf(events, directory, clock.GetUtcNow() - OfficerAlerts.Retention);
        if (rows.Count == 0)
        {
            return;
        }

        await using var cmd = new NpgsqlCommand(InsertSql, context.Connection, context.Transaction);
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.OfficerId).ToArray() });
        p.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = rows.Select(r => r.Alert.At).ToArray() });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Alert.ReferenceNumber).ToArray() });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Alert.Kind).ToArray() });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Alert.Message).ToArray() });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = rows.Select(r => r.EventId).ToArray() });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The alerts a batch of events gives, in event order; none for events before <paramref name="since"/>.</summary>
    internal static IReadOnlyList<(string OfficerId, OfficerAlert Alert, Guid EventId)> AlertsOf(IReadOnlyList<GrievanceEvent> events, IOfficerDirectory directory, DateTimeOffset since)
    {
        var rows = new List<(string, OfficerAlert, Guid)>();
        // The holder before each event, for the grievances of this batch: an escalation that stays with the same officer
        // (who also acts for the seat above) tells them nothing new.
        var holderBefore = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            holderBefore.TryGetValue(e.ReferenceNumber, out var previous);
            switch (e.At < since ? (TimelineEventType?)null : e.Type)
            {
                case TimelineEventType.AtRisk when e.OfficerId is { } holder:
                    var alert = new OfficerAlert(e.At, e.ReferenceNumber, AlertKinds.AtRisk, AlertText.AtRisk(e));
                    rows.Add((holder, alert, e.EventId));
                    if (e.PositionId is { } seat && directory.SupervisorOf(seat) is { } supervisor)
                    {
                        rows.Add((supervisor.Officer.Id, alert with { Kind = AlertKinds.SubordinateAtRisk }, e.EventId));
                    }

                    break;
                case TimelineEventType.Escalated when e.OfficerId is { } reached && reached != previous:
                    rows.Add((reached, new OfficerAlert(e.At, e.ReferenceNumber, AlertKinds.EscalatedToYou, AlertText.Escalated(e)), e.EventId));
                    break;
            }

            holderBefore[e.ReferenceNumber] = e.OfficerId;
        }

        return rows;
    }
}
