using Helpline.Grievances.Events;
using Helpline.Platform.Events;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.Feed;

/// <summary>
/// Copies every grievance event into the feed, in the batch's transaction: an event delivered again finds its row
/// and only counts the redelivery.
/// </summary>
internal sealed class FeedSubscriber : GrievanceEventSubscriber
{
    private const string InsertSql = """
        insert into feed.grievance_event (event_id, reference_number, sequence, type, at, actor, note, kind,
                                          officer_id, position_id, level, department_id, category_id, jurisdiction_id, due_at)
        select event_id, reference_number, sequence, type, at, actor, note, kind,
               officer_id, position_id, level, department_id, category_id, jurisdiction_id, due_at
        from unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[],
                             $9::text[], $10::text[], $11::int[], $12::text[], $13::text[], $14::text[], $15::timestamptz[])
                      with ordinality as e(event_id, reference_number, sequence, type, at, actor, note, kind,
                                           officer_id, position_id, level, department_id, category_id, jurisdiction_id, due_at, ord)
        order by ord
        on conflict (event_id) do update set deliveries = feed.grievance_event.deliveries + 1
        """;

    public override string Name => "feed.grievance-events";

    protected override async Task HandleAsync(IReadOnlyList<GrievanceEvent> events, EventBatchContext context, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(InsertSql, context.Connection, context.Transaction);
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = events.Select(e => e.EventId).ToArray() });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => e.ReferenceNumber).ToArray() });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = events.Select(e => e.Sequence).ToArray() });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => e.Type.ToString()).ToArray() });
        p.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = events.Select(e => e.At).ToArray() });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => e.Actor).ToArray() });
        p.Add(Texts(events.Select(e => e.Note)));
        p.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => e.Kind.ToString()).ToArray() });
        p.Add(Texts(events.Select(e => e.OfficerId)));
        p.Add(Texts(events.Select(e => e.PositionId)));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = events.Select(e => e.Level).ToArray() });
        p.Add(Texts(events.Select(e => e.DepartmentId)));
        p.Add(Texts(events.Select(e => e.CategoryId)));
        p.Add(Texts(events.Select(e => e.JurisdictionId)));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = events.Select(e => e.DueAt).ToArray() });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Texts(IEnumerable<string?> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values.ToArray() };
}
