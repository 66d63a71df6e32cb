using System.Diagnostics;
using Helpline.CallBacks;
using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Jurisdictions.Loading;
using Helpline.Platform.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Helpline.LoadTests.CallBackBenchmark;

/// <summary>What was seeded: the groups the call-backs were spread over and how long it took (not measured as a goal).</summary>
internal sealed record CallBackSeed(int CallBacks, IReadOnlyList<string> Districts, IReadOnlyList<string> Departments, TimeSpan MigrateTime, TimeSpan SeedTime);

/// <summary>
/// The callbacks schema alone (the module's own migrations through the service's migrator; its tables reference no
/// other schema) and pending call-backs written by one insert-select over generate_series.
/// </summary>
internal static class CallBackSeeder
{
    // Call-back i: district i mod D, department (i / D) mod P, disposed (and callable) i/N of 72 hours before now,
    // so due (72 hours after disposal) spread over the next 72 hours; registered by one of 50 registrars, never an agent.
    private const string SeedSql = """
        insert into callbacks.call_back (
            id, reference_number, disposal_sequence, disposal_type, disposed_at, disposed_by, officer_id, position_id, level,
            kind, department_id, category_id, jurisdiction_id, jurisdiction_path, district_id, registered_by, created_at,
            due_at, callable_from)
        select md5('callback-bench-' || g.i)::uuid, '99' || lpad(g.i::text, 10, '0'), 1, 'Resolved', g.at, 'bench-officer-' || (g.i % 997),
               'bench-officer-' || (g.i % 997), 'bench-position-' || (g.i % 997), 1, 'Complaint', $2[1 + (g.i / cardinality($1)) % cardinality($2)],
               null, $1[1 + g.i % cardinality($1)], array['state:9', $1[1 + g.i % cardinality($1)]], $1[1 + g.i % cardinality($1)],
               'bench-registrar-' || (g.i % 50), g.at, g.at + interval '72 hours', g.at
        from (select i, $4::timestamptz - (interval '72 hours' * i / $3) as at from generate_series(0, $3 - 1) as i) g
        """;

    /// <summary>Creates the callbacks schema on the empty database.</summary>
    public static async Task<TimeSpan> MigrateAsync(NpgsqlDataSource db)
    {
        var sw = Stopwatch.StartNew();
        await new DatabaseMigrator(db, [new CallBacksSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        return sw.Elapsed;
    }

    /// <summary>Seeds <paramref name="n"/> pending call-backs in no campaign, all callable at <paramref name="now"/>.</summary>
    public static async Task<CallBackSeed> SeedAsync(NpgsqlDataSource db, int n, int districts, int departments, DateTimeOffset now, TimeSpan migrateTime)
    {
        var districtIds = UpReferenceData.ReadEmbedded().Nodes.Where(j => j.Kind == JurisdictionKind.District).Select(j => j.Id).Order(StringComparer.Ordinal).Take(districts).ToArray();
        var departmentIds = CatalogueFiles.ReadEmbedded().Departments.Select(d => d.Id).Take(departments).ToArray();
        var sw = Stopwatch.StartNew();
        await using (var cmd = db.CreateCommand(SeedSql))
        {
            cmd.CommandTimeout = 600;
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = districtIds });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = departmentIds });
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = n });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
            var rows = await cmd.ExecuteNonQueryAsync();
            if (rows != n)
            {
                throw new InvalidOperationException($"Seeding wrote {rows:N0} call-backs, not {n:N0}.");
            }
        }

        await VacuumAsync(db);
        return new CallBackSeed(n, districtIds, departmentIds, migrateTime, sw.Elapsed);
    }

    /// <summary>Every call-back out of its campaign and every campaign gone, as before the first build; then vacuumed.</summary>
    public static async Task ResetCampaignsAsync(NpgsqlDataSource db)
    {
        await ExecuteAsync(db, "delete from callbacks.lease");
        await ExecuteAsync(db, "update callbacks.call_back set campaign_id = null where campaign_id is not null");
        await ExecuteAsync(db, "delete from callbacks.campaign");
        await VacuumAsync(db);
    }

    /// <summary>Every lease released (the call-backs back in their queues); returns how many were held.</summary>
    public static async Task<int> ReleaseLeasesAsync(NpgsqlDataSource db)
    {
        var released = await ExecuteAsync(db, "delete from callbacks.lease");
        await VacuumAsync(db);
        return released;
    }

    // As autovacuum would soon after: every round starts on a table without the previous round's dead rows.
    public static Task VacuumAsync(NpgsqlDataSource db) => ExecuteAsync(db, "vacuum analyze callbacks.call_back, callbacks.campaign, callbacks.lease");

    // The build series writes every call-back several times; the checkpoint that WAL calls for would otherwise run
    // through the next series, a cost of the build rather than of the queue. Returns false when the role may not.
    public static async Task<bool> CheckpointAsync(NpgsqlDataSource db)
    {
        try
        {
            await ExecuteAsync(db, "checkpoint");
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return false;
        }
    }

    public static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<int> ExecuteAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 600;
        return await cmd.ExecuteNonQueryAsync();
    }
}
