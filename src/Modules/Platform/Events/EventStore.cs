using Helpline.Platform.Database;
using Npgsql;

namespace Helpline.Platform.Events;

/// <summary>Where a subscriber has read up to: the last handled event's position (and, for diagnosis, its transaction).</summary>
internal sealed record Checkpoint(string Transaction, long Position);

/// <summary>The SQL of event delivery: checkpoints, leadership, reading after a checkpoint.</summary>
internal static class EventStore
{
    // Two-key advisory locks: the first key marks Helpline's event delivery, the second the subscriber.
    private const string LeadSql = "select pg_try_advisory_lock(hashtext('helpline.events'), hashtext($1))";

    // Appends are serialised on the log's head until they commit, so the visible rows are always every row up to
    // some position: reading on from the checkpoint in position order never passes over one that commits later.
    private const string ReadSql = """
        select position, tx::text, event_id, stream, stream_key, stream_seq, type, occurred_at, payload::text
        from events.event_log
        where position > $1
        order by position
        limit $2
        """;

    public static async Task EnsureSubscriptionAsync(NpgsqlConnection connection, string subscriber, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("insert into events.event_subscription (subscriber) values ($1) on conflict do nothing", connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscriber });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<bool> TryLeadAsync(NpgsqlConnection connection, string subscriber, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(LeadSql, connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscriber });
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task StepDownAsync(NpgsqlConnection connection, string subscriber)
    {
        try
        {
            await using var cmd = new NpgsqlCommand("select pg_advisory_unlock(hashtext('helpline.events'), hashtext($1))", connection);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscriber });
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // Usually the connection is broken and the server ended the session, lock and all. But pooled connections are
            // not reset when returned (DatabasePool): if this one still works (a timed-out unlock), it must not go back
            // holding the lock, so the pool discards it, with its idle neighbours, instead of lending it again.
            NpgsqlConnection.ClearPool(connection);
        }
    }

    public static async Task<Checkpoint> ReadCheckpointAsync(NpgsqlConnection connection, string subscriber, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("select tx::text, position from events.event_subscription where subscriber = $1", connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscriber });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"Subscriber '{subscriber}' has no checkpoint row.");
        }

        return new Checkpoint(reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>Up to <paramref name="max"/> events after <paramref name="after"/>, in position order; <paramref name="connection"/> must be outside a transaction.</summary>
    public static async Task<IReadOnlyList<IntegrationEvent>> ReadAfterAsync(NpgsqlConnection connection, Checkpoint after, int max, CancellationToken cancellationToken)
    {
        // Planned afresh on every run, the read cost PostgreSQL more to plan than to run (under load, every subscriber
        // reads several times a second): prepared, in a transaction that confines its settings and writes nothing.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var read = new NpgsqlBatchCommand(ReadSql);
        read.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Position });
        read.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        batch.BatchCommands.Add(read);
        await batch.PrepareByKeyAsync(cancellationToken);
        var events = new List<IntegrationEvent>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new IntegrationEvent(
                reader.GetGuid(2),
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetInt32(5),
                reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(8)));
        }

        return events;
    }

    public static async Task<bool> MoveCheckpointAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string subscriber, Checkpoint from, Checkpoint to, int delivered, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var cmd = new NpgsqlBatchCommand(
            """
            update events.event_subscription
            set tx = $2::xid8, position = $3, delivered = delivered + $4, updated_at = now(), last_error = null, failing_since = null
            where subscriber = $1 and position = $5
            """);
        batch.BatchCommands.Add(cmd);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscriber });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = to.Transaction });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to.Position });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = delivered });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from.Position });

        // Every delivered batch moves its checkpoint: prepared, as the read is.
        await batch.PrepareByKeyAsync(cancellationToken);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return cmd.RecordsAffected == 1;
    }

    public static async Task RecordErrorAsync(NpgsqlConnection connection, string subscriber, string error, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "update events.event_subscription set last_error = $2, failing_since = coalesce(failing_since, now()) where subscriber = $1",
            connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscriber });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error.Length > 2000 ? error[..2000] : error });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task ClearErrorAsync(NpgsqlConnection connection, string subscriber, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("update events.event_subscription set last_error = null, failing_since = null where subscriber = $1", connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscriber });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
