using System.Diagnostics;
using Helpline.Grievances;
using Helpline.Grievances.ReadModel;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>A fresh database on the server of the admin connection string, dropped on dispose.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private BenchDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Creates <c>&lt;prefix&gt;&lt;12 random hex digits&gt;</c>; the prefix must be a plain lower-case identifier.</summary>
    public static async Task<BenchDatabase> CreateAsync(string adminConnectionString, string prefix = "sla_bench_")
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..12];
        await using (var conn = new NpgsqlConnection(adminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        // Same settings as the admin connection string (pool size included: the service's default unless it says otherwise).
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name };
        return new BenchDatabase(adminConnectionString, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists {Name} with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>A block-level seat and the officer holding it, with what a grievance routed to it needs.</summary>
public sealed record BlockSeat(string OfficerId, string PositionId, string DepartmentId, string JurisdictionId, string[] JurisdictionPath, string[] Categories);

/// <summary>What <see cref="GrievanceSeeder.SeedAsync"/> wrote.</summary>
public sealed record SeedResult(long Rows, int Officers, DateTimeOffset FirstDueAt, DateTimeOffset LastDueAt, TimeSpan CopyTime, TimeSpan AnalyzeTime);

/// <summary>
/// Writes open grievances straight into the read model (grievances.grievance) with binary COPY, as if registered
/// earlier: the officer grains rebuild their lists from exactly these rows after a restart. No grain state and no
/// timeline is written (the officer grain reads neither).
/// </summary>
public static class GrievanceSeeder
{
    /// <summary>
    /// Every seat at block level with its officer, ordered by officer id, with the department's categories (those
    /// resolved at block level first; the department's others if it has none).
    /// </summary>
    public static async Task<IReadOnlyList<BlockSeat>> BlockSeatsAsync(NpgsqlDataSource db)
    {
        const string sql = """
            select o.id, p.id, p.department_id, p.jurisdiction_id, j.path,
                   coalesce(
                     (select array_agg(c.id order by c.id) from catalogue.categories c
                       where c.department_id = p.department_id and c.resolution_level = 'Block' and c.retired_at is null),
                     (select array_agg(c.id order by c.id) from catalogue.categories c
                       where c.department_id = p.department_id and c.retired_at is null))
            from officers.position p
            join officers.officer o on o.position_id = p.id
            join jurisdictions.jurisdiction j on j.id = p.jurisdiction_id
            where j.kind = 'Block'
            order by o.id
            """;
        await using var cmd = db.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        var seats = new List<BlockSeat>();
        while (await reader.ReadAsync())
        {
            if (reader.IsDBNull(5))
            {
                continue; // a department without categories cannot hold a grievance
            }

            var rootFirst = reader.GetFieldValue<string[]>(4);
            seats.Add(new BlockSeat(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                rootFirst.Reverse().ToArray(), // the read model stores the node first, the root last
                reader.GetFieldValue<string[]>(5)));
        }

        return seats;
    }

    /// <summary>
    /// Seeds <paramref name="n"/> open grievances: seat i mod seats (round-robin over every block officer), a category
    /// of the seat's department, due instants spread uniformly over [<paramref name="windowStart"/>,
    /// <paramref name="windowStart"/> + <paramref name="window"/>), at-risk one day before, version 1. Reference
    /// numbers are "99" + 10 digits of i: unique and 12 digits long, but without a valid Verhoeff check digit (the
    /// officer grain never checks it, and real numbers start with the two-digit year, so they cannot collide).
    /// </summary>
    public static async Task<SeedResult> SeedAsync(
        NpgsqlDataSource db, IReadOnlyList<BlockSeat> seats, long n, DateTimeOffset registeredBefore, DateTimeOffset windowStart, TimeSpan window,
        Action<long>? progress = null)
    {
        const string copy = """
            copy grievances.grievance (
                reference_number, grain_key, kind, status, channel, complainant_name, complainant_mobile,
                jurisdiction_id, jurisdiction_path, category_id, department_id, description, position_id, officer_id,
                level, registered_at, due_at, breached, breached_at_top, closed_at, disposal, registered_by, version,
                projected_at, at_risk_at, at_risk_announced, on_hold_since, last_changed_at)
            from stdin (format binary)
            """;
        var sw = Stopwatch.StartNew();
        var step = n == 0 ? 0 : window.Ticks / (double)n;
        var registeredUtc = registeredBefore.UtcDateTime;
        var first = DateTimeOffset.MaxValue;
        var last = DateTimeOffset.MinValue;
        await using (var conn = await db.OpenConnectionAsync())
        {
            await using var writer = await conn.BeginBinaryImportAsync(copy);
            for (long i = 0; i < n; i++)
            {
                var seat = seats[(int)(i % seats.Count)];
                var category = seat.Categories[(int)(i / seats.Count % seat.Categories.Length)];
                var due = windowStart.AddTicks((long)(i * step));
                first = due < first ? due : first;
                last = due > last ? due : last;
                var dueUtc = due.UtcDateTime;
                await writer.StartRowAsync();
                await writer.WriteAsync("99" + i.ToString("D10", System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                await writer.WriteAsync(GrievanceKeys.ForRequest("bench-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), NpgsqlDbType.Text);
                await writer.WriteAsync("Complaint", NpgsqlDbType.Text);
                await writer.WriteAsync("Open", NpgsqlDbType.Text);
                await writer.WriteAsync("Phone", NpgsqlDbType.Text);
                await writer.WriteAsync("Bench Complainant", NpgsqlDbType.Text);
                await writer.WriteAsync("9415012345", NpgsqlDbType.Text);
                await writer.WriteAsync(seat.JurisdictionId, NpgsqlDbType.Text);
                await writer.WriteAsync(seat.JurisdictionPath, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(category, NpgsqlDbType.Text);
                await writer.WriteAsync(seat.DepartmentId, NpgsqlDbType.Text);
                await writer.WriteAsync("SLA benchmark grievance", NpgsqlDbType.Text);
                await writer.WriteAsync(seat.PositionId, NpgsqlDbType.Text);
                await writer.WriteAsync(seat.OfficerId, NpgsqlDbType.Text);
                await writer.WriteAsync(1, NpgsqlDbType.Integer);
                await writer.WriteAsync(registeredUtc.AddTicks(-(long)(i * step)), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(dueUtc, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteNullAsync();
                await writer.WriteNullAsync();
                await writer.WriteAsync("sla-bench", NpgsqlDbType.Text);
                await writer.WriteAsync(1, NpgsqlDbType.Integer);
                await writer.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(dueUtc.AddDays(-1), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteNullAsync();
                await writer.WriteAsync(registeredUtc.AddTicks(-(long)(i * step)), NpgsqlDbType.TimestampTz); // last changed: when registered
                if (progress is not null && (i + 1) % 100_000 == 0)
                {
                    progress(i + 1);
                }
            }

            await writer.CompleteAsync();
        }

        var copyTime = sw.Elapsed;
        sw.Restart();

        // The tables as a long-running service's are: the million count deltas the inserts left folded (by the
        // service's own fold), and the vacuum that a million inserts and a million deleted deltas call for, with
        // statistics. Left to the service and autovacuum, that cleanup ran a minute or two later, in the middle of a
        // measurement in some runs (four times the WAL records of a 1,000 burst, and hundreds of milliseconds on its p99).
        await new GrievanceQueries(db, TimeProvider.System).FoldCountsAsync(CancellationToken.None);
        await using (var cmd = db.CreateCommand("vacuum (analyze) grievances.grievance, grievances.grievance_count_delta, grievances.grievance_count"))
        {
            cmd.CommandTimeout = 600;
            await cmd.ExecuteNonQueryAsync();
        }

        return new SeedResult(n, (int)Math.Min(n, seats.Count), first, last, copyTime, sw.Elapsed);
    }
}
