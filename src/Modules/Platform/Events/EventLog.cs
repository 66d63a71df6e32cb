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
    // the one log_head row: its row lock, held to the end of the transaction, puts appends in commit order, so one
    // statement appends every key of a producer's batch and takes the head once.
    private const string AppendSql = """
        with x as (
            select * from unnest($2::text[], $3::uuid[], $4::int[], $5::text[], $6::timestamptz[], $7::text[])
                with ordinality as x(stream_key, event_id, seq, type, at, payload, ord)
        ), stored as (
            select k.stream_key, coalesce((select max(l.stream_seq) from events.event_log l where l.stream = $1 and l.stream_key = k.stream_key), 0) as seq
            from (select distinct x.stream_key from x) k
        ), e as (
            select x.stream_key, x.event_id, x.seq, x.type, x.at, x.payload, row_number() over (order by x.ord) as rn
            from x join stored on stored.stream_key = x.stream_key
            where x.seq > stored.seq
        ), n as (
            select count(*) as count from e
        ), head as (
            update events.log_head set last_position = last_position + n.count from n where n.count > 0
            returning last_position - n.count as first_position
        )
        insert into events.event_log (position, event_id, stream, stream_key, stream_seq, type, occurred_at, payload)
        select head.first_position + e.rn, e.event_id, $1, e.stream_key, e.seq, e.type, e.at, e.payload::json
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
    public static NpgsqlBatchCommand AppendCommand(string stream, string streamKey, IReadOnlyList<NewEvent> events) =>
        AppendCommand(stream, [new StreamEvents(streamKey, events)]);

    /// <summary>
    /// One command that appends the events of several keys of <paramref name="stream"/>, key after key, each key's
    /// events as <see cref="AppendCommand(string, string, IReadOnlyList{NewEvent})"/> would: a batch of many changes
    /// takes the log's head once, not once a key.
    /// </summary>
    /// <param name="stream">The stream, for example <c>grievance</c>.</param>
    /// <param name="keys">Each key with its events in stream order; a key appears once.</param>
    /// <returns>A command for the producer's batch.</returns>
    public static NpgsqlBatchCommand AppendCommand(string stream, IReadOnlyList<StreamEvents> keys)
    {
        var all = keys.SelectMany(k => k.Events.Select(e => (k.StreamKey, Event: e))).ToArray();
        var cmd = new NpgsqlBatchCommand(AppendSql);
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = stream });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = all.Select(x => x.StreamKey).ToArray() });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = all.Select(x => EventIds.For(stream, x.StreamKey, x.Event.StreamSequence)).ToArray() });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = all.Select(x => x.Event.StreamSequence).ToArray() });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = all.Select(x => x.Event.Type).ToArray() });
        p.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = all.Select(x => x.Event.OccurredAt.ToUniversalTime()).ToArray() });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = all.Select(x => x.Event.Payload).ToArray() });
        return cmd;
    }

    /// <summary>Appends <paramref name="events"/> inside the caller's transaction (see <see cref="AppendCommand(string, string, IReadOnlyList{NewEvent})"/>).</summary>
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

/// <summary>The events of one stream key to append, in stream order.</summary>
/// <param name="StreamKey">The key within the stream, for example a reference number.</param>
/// <param name="Events">The key's events, in stream order.</param>
public sealed record StreamEvents(string StreamKey, IReadOnlyList<NewEvent> Events);
