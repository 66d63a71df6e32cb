using System.Globalization;
using Helpline.Grievances.ReadModel;
using Helpline.Platform.Access;
using Helpline.Platform.Database;
using Npgsql;

namespace Helpline.Grievances.Desk;

/// <summary>The agent desk's reads of the read model and the limit overrides (migration 0007).</summary>
internal sealed class DeskQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Complaints registered from the mobile in [from, before), and the overrides granted for the month.</summary>
    public async Task<(int Complaints, IReadOnlyList<LimitOverride> Overrides)> MonthAsync(
        string mobile, string month, DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken)
    {
        // Asked before every registration: prepared (PreparedBatch), in a transaction of its own that confines its
        // settings, in one round trip.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        // The limit's own count (0010_month_complaints.sql), so the desk shows what the limit allows.
        var count = new NpgsqlBatchCommand("select grievances.month_complaints($1, $2, $3)");
        count.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mobile });
        count.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime() });
        count.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before.ToUniversalTime() });
        var overrides = new NpgsqlBatchCommand(
            "select supervisor_id, at, reason from grievances.complaint_limit_override where mobile = $1 and month = $2 order by at, client_request_id");
        overrides.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mobile });
        overrides.Parameters.Add(new NpgsqlParameter<string> { TypedValue = month });
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(overrides);
        await batch.PrepareAsTransactionByKeyAsync(cancellationToken);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var complaints = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        var list = new List<LimitOverride>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new LimitOverride(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2)));
        }

        return (complaints, list);
    }

    /// <summary>The override stored under a client request id: its mobile, or null when there is none.</summary>
    public async Task<string?> OverrideMobileAsync(string clientRequestId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("select mobile from grievances.complaint_limit_override where client_request_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clientRequestId });
        return (string?)await cmd.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Stores an override once per client request id (a concurrent twin stores nothing more); returns the mobile stored under the id.</summary>
    public async Task<string> AddOverrideAsync(
        string clientRequestId, string mobile, string month, string supervisorId, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            insert into grievances.complaint_limit_override (client_request_id, mobile, month, supervisor_id, at, reason)
            values ($1, $2, $3, $4, $5, $6) on conflict (client_request_id) do nothing
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clientRequestId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mobile });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = month });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = supervisorId });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reason });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return await OverrideMobileAsync(clientRequestId, cancellationToken) ?? mobile;
    }

    /// <summary>
    /// Open grievances of the mobile, then open ones of the category in the jurisdiction, each newest first, within
    /// the scope: at most <paramref name="first"/> in all (each part one range of its index). The caller's own come
    /// first so that a busy place never pushes them off the list; a grievance that is both is the caller's own.
    /// </summary>
    public async Task<IReadOnlyList<(string GrainKey, DuplicateReason Reason)>> DuplicatesAsync(
        string? mobile, string? categoryId, string? jurisdictionId, int first, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand();
        var scopeWhere = new List<string>();
        ScopeSql.Add(scope, (clause, value) =>
        {
            var name = "s" + cmd.Parameters.Count.ToString(CultureInfo.InvariantCulture);
            cmd.Parameters.AddWithValue(name, value);
            scopeWhere.Add(clause.Replace("?", "@" + name, StringComparison.Ordinal));
        });
        var and = string.Concat(scopeWhere.Select(w => " and " + w));
        cmd.Parameters.AddWithValue("n", first);
        var parts = new List<string>();
        if (mobile is not null)
        {
            cmd.Parameters.AddWithValue("mobile", mobile);
            parts.Add($"(select reference_number, registered_at, 0 as reason, grain_key from grievances.grievance where complainant_mobile = @mobile and status = 'Open'{and} order by registered_at desc, reference_number desc limit @n)");
        }

        if (categoryId is not null && jurisdictionId is not null)
        {
            cmd.Parameters.AddWithValue("category", categoryId);
            cmd.Parameters.AddWithValue("jurisdiction", jurisdictionId);
            parts.Add($"(select reference_number, registered_at, 1 as reason, grain_key from grievances.grievance where category_id = @category and jurisdiction_id = @jurisdiction and status = 'Open'{and} order by registered_at desc, reference_number desc limit @n)");
        }

        if (parts.Count == 0)
        {
            return [];
        }

        cmd.CommandText = string.Join(" union all ", parts);
        var rows = new List<(string Reference, DateTimeOffset At, DuplicateReason Reason, string GrainKey)>();
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2) == 0 ? DuplicateReason.SameCaller : DuplicateReason.SamePlaceAndCategory, reader.GetString(3)));
            }
        }

        return [.. rows
            .GroupBy(r => r.Reference, StringComparer.Ordinal)
            .Select(g => g.OrderBy(r => r.Reason).First())
            .OrderBy(r => r.Reason).ThenByDescending(r => r.At).ThenByDescending(r => r.Reference, StringComparer.Ordinal)
            .Take(first)
            .Select(r => (r.GrainKey, r.Reason))];
    }
}
