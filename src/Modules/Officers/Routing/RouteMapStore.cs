using Helpline.Platform.SharedData;
using Npgsql;

namespace Helpline.Officers.Routing;

/// <summary>
/// Reads and writes <c>officers.route_rule</c> and its history <c>officers.route_change</c>, and holds this silo's
/// in-memory <see cref="RouteMap"/>, swapped in whole. A write records the change and publishes it to every silo
/// (<see cref="RoutingArea"/>) in the transaction that stores it; the caller then refreshes this silo.
/// </summary>
internal sealed class RouteMapStore(NpgsqlDataSource dataSource)
{
    // Writers of the map take turns, so that the rule read as "before" is still the rule when the change is stored.
    private const string LockSql = "select pg_advisory_xact_lock(hashtext('helpline.officers.route-map'))";

    private long _lastRead;
    private RouteMap _current = RouteMap.Empty;

    /// <summary>The map in force on this silo; take it once per decision.</summary>
    internal RouteMap Current => Volatile.Read(ref _current);

    /// <summary>
    /// Reads every rule and publishes the map. Concurrent refreshes are safe: a read that started earlier never
    /// replaces one that started later.
    /// </summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _lastRead);
        var rules = new List<RouteRule>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var command = new NpgsqlCommand("select category_id, jurisdiction_id, position_id, set_by, set_at from officers.route_rule", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rules.Add(new RouteRule(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
            }
        }

        var fresh = RouteMap.Build(rules, sequence);
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current.Sequence > sequence || ReferenceEquals(Interlocked.CompareExchange(ref _current, fresh, current), current))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="rule"/> the rule of its category and jurisdiction, recording the change. When that seat is
    /// already the rule's, nothing is written and the stored rule (with its original author and time) is returned.
    /// </summary>
    /// <returns>The rule stored, and whether this call changed it.</returns>
    internal async Task<(RouteRule Rule, bool Changed)> SetAsync(RouteRule rule, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, cancellationToken);
        var before = await ReadRuleAsync(connection, transaction, rule.CategoryId, rule.JurisdictionId, cancellationToken);
        if (before is not null && before.PositionId == rule.PositionId)
        {
            await transaction.CommitAsync(cancellationToken);
            return (before, false);
        }

        await using (var upsert = new NpgsqlCommand(
            """
            insert into officers.route_rule (category_id, jurisdiction_id, position_id, set_by, set_at) values ($1, $2, $3, $4, $5)
            on conflict (category_id, jurisdiction_id) do update
              set position_id = excluded.position_id, set_by = excluded.set_by, set_at = excluded.set_at
            """,
            connection,
            transaction))
        {
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rule.CategoryId });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rule.JurisdictionId });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rule.PositionId });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rule.SetBy });
            upsert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = rule.SetAt.ToUniversalTime() });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await RecordAsync(connection, transaction, rule.SetAt, rule.SetBy, rule.CategoryId, rule.JurisdictionId, before?.PositionId, rule.PositionId, reason, cancellationToken);
        await SharedDataChanges.PublishAsync(
            connection, transaction, RoutingArea.Name, $"route of {rule.CategoryId} at {rule.JurisdictionId} set to {rule.PositionId}", rule.SetAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (rule, true);
    }

    /// <summary>Removes the rule of a category at a jurisdiction, recording the change.</summary>
    /// <returns>The rule removed, or null when there was none (nothing is written then).</returns>
    internal async Task<RouteRule?> ClearAsync(
        string categoryId, string jurisdictionId, string actor, DateTimeOffset at, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, cancellationToken);
        var before = await ReadRuleAsync(connection, transaction, categoryId, jurisdictionId, cancellationToken);
        if (before is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        await using (var delete = new NpgsqlCommand("delete from officers.route_rule where category_id = $1 and jurisdiction_id = $2", connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = categoryId });
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jurisdictionId });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await RecordAsync(connection, transaction, at, actor, categoryId, jurisdictionId, before.PositionId, null, reason, cancellationToken);
        await SharedDataChanges.PublishAsync(connection, transaction, RoutingArea.Name, $"route of {categoryId} at {jurisdictionId} cleared", at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return before;
    }

    /// <summary>The recorded changes, newest first, of one category or of all.</summary>
    internal async Task<IReadOnlyList<RouteChange>> ChangesAsync(string? categoryId, int first, CancellationToken cancellationToken)
    {
        var changes = new List<RouteChange>(Math.Min(first, 64));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select id, at, actor, category_id, jurisdiction_id, position_before, position_after, reason from officers.route_change
            where $1::text is null or category_id = $1
            order by id desc limit $2
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)categoryId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = first });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new RouteChange(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return changes;
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LockSql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<RouteRule?> ReadRuleAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string categoryId, string jurisdictionId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select position_id, set_by, set_at from officers.route_rule where category_id = $1 and jurisdiction_id = $2", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = categoryId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jurisdictionId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RouteRule(categoryId, jurisdictionId, reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    private static async Task RecordAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        DateTimeOffset at,
        string actor,
        string categoryId,
        string jurisdictionId,
        string? before,
        string? after,
        string? reason,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            insert into officers.route_change (at, actor, category_id, jurisdiction_id, position_before, position_after, reason)
            values ($1, $2, $3, $4, $5, $6, $7)
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = categoryId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jurisdictionId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)before ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)after ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
