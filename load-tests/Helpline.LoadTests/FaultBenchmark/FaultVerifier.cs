using Helpline.Grievances;
using Npgsql;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>What the database says of one seeded deadline.</summary>
/// <param name="Level">The read model's level (null: no row).</param>
/// <param name="Breaches">Breached events of the grievance in the event log.</param>
/// <param name="Escalations">Escalated events in the event log.</param>
/// <param name="AtTop">BreachedAtTop events in the event log (an L1 breach that found no supervisor).</param>
/// <param name="TimelineBreaches">Breached rows of its timeline in the read model.</param>
/// <param name="FirstBreachRecorded">recorded_at (the database's now()) of the first Breached event.</param>
internal sealed record DeadlineRow(int? Level, int Breaches, int Escalations, int AtTop, int TimelineBreaches, DateTimeOffset? FirstBreachRecorded);

/// <summary>What the database says of one registration's client request id.</summary>
/// <param name="Rows">Read-model rows carrying its description (more than one: a duplicate).</param>
/// <param name="ReferenceNumber">The reference number of its grain key's row (null: not in the read model).</param>
/// <param name="RegisteredAt">That row's registration instant (the grain's clock).</param>
internal sealed record RegistrationRow(int Rows, string? ReferenceNumber, DateTimeOffset? RegisteredAt);

/// <summary>Reads the outcome of the run from the database (read model and event log), never through a silo.</summary>
internal sealed class FaultVerifier(string connectionString)
{
    /// <summary>PostgreSQL's clock minus this process's clock (best of 20 round trips), to correct recorded_at.</summary>
    public async Task<TimeSpan> ClockOffsetAsync()
    {
        var best = (Rtt: TimeSpan.MaxValue, Offset: TimeSpan.Zero);
        await using var conn = await OpenAsync();
        for (var i = 0; i < 20; i++)
        {
            await using var cmd = new NpgsqlCommand("select clock_timestamp()", conn);
            var before = DateTime.UtcNow;
            var server = (DateTime)(await cmd.ExecuteScalarAsync())!;
            var after = DateTime.UtcNow;
            if (after - before < best.Rtt)
            {
                best = (after - before, server.ToUniversalTime() - (before + ((after - before) / 2)));
            }
        }

        return best.Offset;
    }

    /// <summary>Seeded deadlines due before <paramref name="asOf"/> not yet breached, and acknowledged registrations not yet in the read model.</summary>
    public async Task<(int Unbreached, int Unprojected)> PendingAsync(IReadOnlyList<SeededDeadline> deadlines, IReadOnlyList<Registration> acknowledged, DateTimeOffset asOf)
    {
        await using var conn = await OpenAsync();
        var due = deadlines.Where(d => d.DueAt < asOf).Select(d => d.ReferenceNumber).ToArray();
        await using var a = new NpgsqlCommand(
            """
            select count(*) from unnest($1::text[]) r(ref)
            where not exists (select 1 from events.event_log e where e.stream = 'grievance' and e.stream_key = r.ref and e.type = 'Breached')
            """, conn);
        a.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = due });
        var unbreached = Convert.ToInt32(await a.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await using var b = new NpgsqlCommand(
            "select count(*) from unnest($1::text[]) k(key) where not exists (select 1 from grievances.grievance g where g.grain_key = k.key)", conn);
        b.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = acknowledged.Select(r => GrievanceKeys.ForRequest(r.ClientRequestId)).ToArray() });
        var unprojected = Convert.ToInt32(await b.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        return (unbreached, unprojected);
    }

    public async Task<IReadOnlyDictionary<string, DeadlineRow>> DeadlinesAsync(IReadOnlyList<SeededDeadline> deadlines)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand(
            """
            select r.ref, g.level,
                   count(*) filter (where e.type = 'Breached'),
                   count(*) filter (where e.type = 'Escalated'),
                   count(*) filter (where e.type = 'BreachedAtTop'),
                   (select count(*) from grievances.timeline_event t where t.reference_number = r.ref and t.type = 'Breached'),
                   min(e.recorded_at) filter (where e.type = 'Breached')
            from unnest($1::text[]) r(ref)
            left join grievances.grievance g on g.reference_number = r.ref
            left join events.event_log e on e.stream = 'grievance' and e.stream_key = r.ref
            group by r.ref, g.level
            """, conn);
        cmd.CommandTimeout = 300;
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = deadlines.Select(d => d.ReferenceNumber).ToArray() });
        var rows = new Dictionary<string, DeadlineRow>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = new DeadlineRow(
                reader.IsDBNull(1) ? null : reader.GetInt32(1),
                (int)reader.GetInt64(2),
                (int)reader.GetInt64(3),
                (int)reader.GetInt64(4),
                (int)reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
        }

        return rows;
    }

    public async Task<IReadOnlyDictionary<string, RegistrationRow>> RegistrationsAsync(IReadOnlyList<Registration> registrations)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand(
            """
            with d as (
                select description, count(*) as n from grievances.grievance where description like $2 || '%' group by description
            )
            select c.id, coalesce(d.n, 0), g.reference_number, g.registered_at
            from unnest($1::text[], $3::text[]) c(id, key)
            left join d on d.description = $2 || c.id
            left join grievances.grievance g on g.grain_key = c.key
            """, conn);
        cmd.CommandTimeout = 300;
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = registrations.Select(r => r.ClientRequestId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RegistrationDriver.Description("") });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = registrations.Select(r => GrievanceKeys.ForRequest(r.ClientRequestId)).ToArray() });
        var rows = new Dictionary<string, RegistrationRow>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = new RegistrationRow(
                (int)reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
        }

        return rows;
    }

    /// <summary>Block seats with a category they resolve, spread over the state: where the registrations go.</summary>
    public async Task<IReadOnlyList<(string Jurisdiction, string Category)>> TargetsAsync(int count)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand(
            """
            select p.jurisdiction_id, min(c.id)
            from officers.position p
            join jurisdictions.jurisdiction j on j.id = p.jurisdiction_id and j.kind = 'Block'
            join catalogue.categories c on c.department_id = p.department_id and c.resolution_level = 'Block' and c.retired_at is null
            group by p.id, p.jurisdiction_id
            order by md5(p.id)
            limit $1
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        var targets = new List<(string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            targets.Add((reader.GetString(0), reader.GetString(1)));
        }

        return targets;
    }

    // A fresh connection each time, never pooled: PostgreSQL restarts during the run break pooled ones.
    private async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }
}
