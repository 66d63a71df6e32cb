using Npgsql;
using NpgsqlTypes;

namespace Helpline.Platform.Events;

/// <summary>
/// Appends to the integration event log (<c>events.event_log</c>). The producer adds the command to the transaction
/// that stores the change the events describe, so a change and its events commit together or not at all.
/// </summary>
public static class EventLog
{
    // A producer writes a key's events whole and in order, so only those after the last one stored are new: the
    // filter keeps a rewritten history from costing a payload parse or a position per old event. Positions come from
    // the one log_head row: its row lock, held to the end of the transaction, puts appends in commit order.
    private const string AppendSql = """
        with e as (
            select x.event_id, x.seq, x.type, x.at, x.payload, row_number() over (order by x.ord) as rn
            from unnest($3::uuid[], $4::int[], $5::text[], $6::timestamptz[], $7::text[]) with ordinality as x(event_id, seq, type, at, payload, ord)
            where x.seq > coalesce((select max(l.stream_seq) from events.event_log l where l.stream = $1 and l.stream_key = $2), 0)
        ), n as (
            select count(*) as count from e
        ), head as (
            update events.log_head set last_position = last_position + n.count from n where n.count > 0
            returning last_position - n.count as first_position
        )
        insert into events.event_log (position, event_id, stream, stream_key, stream_seq, type, occurred_at, payload)
        select head.first_position + e.rn, e.event_id, $1, $2, e.seq, e.type, e.at, e.payload::json
        from e cross join head
        order by e.rn
        """;


    /// <summary>
    /// A command that appends <paramref name="events"/> of one stream key, in the given order. Events already in
    /// the log (same stream, key and sequence) are skipped, so writing a stream's whole history again adds only
    /// what is new. From its first event to its commit the transaction holds the log's head: keep appends late in
    /// the transaction.
    /// </summary>
    /// <param name="stream">The stream, for example <c>grievance</c>.</param>
    /// <param name="streamKey">The key within the stream, for example a reference number.</param>
    /// <param name="events">The events, in stream order.</param>
    /// <returns>A command for the producer's batch.</returns>
    public static NpgsqlBatchCommand AppendCommand(string stream, string streamKey, IReadOnlyList<NewEvent> events)
    {
        var cmd = new NpgsqlBatchCommand(AppendSql);
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = stream });
        p.Add(new NpgsqlParameter<string> { TypedValue = streamKey });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = events.Select(e => EventIds.For(stream, streamKey, e.StreamSequence)).ToArray() });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = events.Select(e => e.StreamSequence).ToArray() });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => e.Type).ToArray() });
        p.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = events.Select(e => e.OccurredAt.ToUniversalTime()).ToArray() });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = events.Select(e => e.Payload).ToArray() });
        return cmd;
    }

    /// <summary>Appends <paramref name="events"/> inside the caller's transaction (see <see cref="AppendCommand"/>).</summary>
    public static async Task AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string stream,
        string streamKey,
        IReadOnlyList<NewEvent> events,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(AppendCommand(stream, streamKey, events));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
