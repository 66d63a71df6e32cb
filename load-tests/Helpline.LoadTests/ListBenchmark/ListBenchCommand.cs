using System.Diagnostics;
using System.Globalization;
using Helpline.Grievances;
using Helpline.Grievances.ReadModel;
using Helpline.LoadTests.AccountabilityBenchmark;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Platform.Access;
using Npgsql;

namespace Helpline.LoadTests.ListBenchmark;

/// <summary>
/// Issue 16's list goal: a list's first page with its totalCount under 50 ms at p99, a dashboard under 100 ms, with
/// 10,000,000 grievances stored. See load-tests/README.md, "List benchmark".
/// </summary>
internal static class ListBenchCommand
{
    private const double ListGoalMs = 50;
    private const double DashboardGoalMs = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var a = ListBenchArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (a is null)
        {
            if (error is null)
            {
                Console.WriteLine(ListBenchArguments.Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"list-bench: {error}\n\n{ListBenchArguments.Usage}");
            return 1;
        }

        var elapsed = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{elapsed.Elapsed:mm\\:ss\\.f}] {message}");
        BenchDatabase? database = null;
        try
        {
            database = await BenchDatabase.CreateAsync(a.AdminConnectionString, "list_bench_");
            Log($"list-bench: {Environment.ProcessorCount} cores; database {database.Name} created");
            return await RunAsync(a, database.ConnectionString, Log, Console.Out) ? 0 : 2;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"list-bench: stopped: {ex.Message}");
            return 2;
        }
        finally
        {
            if (database is not null)
            {
                if (a.Keep)
                {
                    Log($"database {database.Name} kept");
                }
                else
                {
                    await database.DisposeAsync();
                }
            }

            Log("done");
        }
    }

    private sealed record Shape(string Name, GrievanceFilter Filter, CallerScope? Scope, GrievanceOrder? Order, int First, string Reference, object[] ReferenceParameters);

    /// <summary>The benchmark on an empty database: schema, seed, each shape timed, counts checked; false when a check failed.</summary>
    public static async Task<bool> RunAsync(ListBenchArguments a, string connectionString, Action<string> log, TextWriter output)
    {
        await using var db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 10 }.ConnectionString);
        var migrate = await AccountabilitySeeder.MigrateAsync(db);
        log($"every module's schema in {migrate.TotalSeconds:0.0} s; seeding {a.Grievances:N0} grievances ({a.Open:N0} open)");
        var seed = await ListSeeder.SeedAsync(db, a.Grievances, a.Open, log);
        log($"seeded in {seed.Total.TotalSeconds:0.0} s (insert {seed.Insert.TotalSeconds:0.0}, indexes {seed.Indexes.TotalSeconds:0.0}, counts {seed.Counts.TotalSeconds:0.0}, vacuum analyze {seed.VacuumAnalyze.TotalSeconds:0.0})");

        var district = await TextAsync(db, "select node from grievances.grievance_count where node like 'district:%' group by node order by sum(n) desc limit 1");
        var department = await TextAsync(db, "select department_id from grievances.grievance_count where node = '*' group by 1 order by sum(n) desc limit 1");
        var officer = await TextAsync(db, "select officer_id from grievances.grievance where reference_number = 'B00000000000'");
        var week = new InstantRange(ListSeeder.Now.AddDays(-7), null);
        var districtScope = new CallerScope(null, new HashSet<string>([district], StringComparer.Ordinal));
        const string count = "select count(*) from grievances.grievance";
        Shape[] shapes =
        [
            new("state, first 10", new(), null, null, 10, count, []),
            new("state, first 50", new(), null, null, 50, count, []),
            new("state, open", new(Status: GrievanceStatus.Open), null, null, 50, count + " where status = 'Open'", []),
            new("district", new(JurisdictionId: district), null, null, 50, count + " where jurisdiction_path @> array[$1]", [district]),
            new("district partner (scope)", new(), districtScope, null, 50, count + " where jurisdiction_path && array[$1]", [district]),
            new("district + department + open", new(Status: GrievanceStatus.Open, DepartmentId: department, JurisdictionId: district), null, null, 50,
                count + " where status = 'Open' and department_id = $2 and jurisdiction_path @> array[$1]", [district, department]),
            new("department", new(DepartmentId: department), null, null, 50, count + " where department_id = $1", [department]),
            new("officer", new(OfficerId: officer), null, null, 50, count + " where officer_id = $1", [officer]),
            new("state, open, by due date", new(Status: GrievanceStatus.Open), null, new(GrievanceOrderField.DueAt, false), 50, count + " where status = 'Open'", []),
            new("district, by last change", new(JurisdictionId: district), null, new(GrievanceOrderField.LastChangedAt, true), 50, count + " where jurisdiction_path @> array[$1]", [district]),
            new("state, overdue", new(Overdue: true), null, null, 50, count + " where status = 'Open' and on_hold_since is null and due_at < $1", [ListSeeder.Now]),
            new("state, registered last 7 days", new(Registered: week), null, null, 50, count + " where registered_at >= $1", [week.From!.Value]),
        ];

        var queries = new GrievanceQueries(db, new FixedClock(ListSeeder.Now));
        var rows = new List<string>();
        var met = true;
        var problems = new List<string>();
        foreach (var shape in shapes)
        {
            var times = new List<TimeSpan>();
            GrievancePage? page = null;
            for (var i = 0; i < a.Runs + 3; i++)
            {
                var sw = Stopwatch.StartNew();
                page = await queries.ListAsync(shape.Filter, shape.First, null, CancellationToken.None, shape.Scope, shape.Order);
                if (i >= 3)
                {
                    times.Add(sw.Elapsed);
                }
            }

            var (reference, referenceCount) = await ReferenceAsync(db, shape.Reference, shape.ReferenceParameters);
            if (referenceCount != page!.TotalCount)
            {
                problems.Add($"{shape.Name}: totalCount {page.TotalCount:N0}, count(*) {referenceCount:N0}");
            }

            var l = LatencyMs.From(times);
            met &= l.P99 < ListGoalMs;
            rows.Add(Row(shape.Name, l, ListGoalMs, reference, page.TotalCount, page.Items.Count));
            log($"{shape.Name}: p99 {l.P99:0.0} ms, totalCount {page.TotalCount:N0}");
        }

        foreach (var (name, jurisdiction, reference, parameters) in new[]
                 {
                     ("dashboard, state", (string?)null, "select department_id, status, count(*) from grievances.grievance group by 1, 2", Array.Empty<object>()),
                     ("dashboard, district", district, "select department_id, status, count(*) from grievances.grievance where jurisdiction_path @> array[$1] group by 1, 2", [district]),
                 })
        {
            var times = new List<TimeSpan>();
            GrievanceDashboard? dashboard = null;
            for (var i = 0; i < a.Runs + 3; i++)
            {
                var sw = Stopwatch.StartNew();
                dashboard = await queries.DashboardAsync(jurisdiction, null, CancellationToken.None);
                if (i >= 3)
                {
                    times.Add(sw.Elapsed);
                }
            }

            var (referenceTime, _) = await ReferenceAsync(db, reference, parameters);
            var expected = await ListSeeder.ScalarAsync(db, jurisdiction is null ? count : count + " where jurisdiction_path @> array[$1]", jurisdiction is null ? [] : [jurisdiction]);
            if (expected != dashboard!.Total.Total)
            {
                problems.Add($"{name}: total {dashboard.Total.Total:N0}, count(*) {expected:N0}");
            }

            var l = LatencyMs.From(times);
            met &= l.P99 < DashboardGoalMs;
            rows.Add(Row(name, l, DashboardGoalMs, referenceTime, dashboard.Total.Total, dashboard.Departments.Count));
            log($"{name}: p99 {l.P99:0.0} ms; open {dashboard.Total.Open:N0}, overdue {dashboard.Total.Overdue:N0}, at risk {dashboard.Total.AtRisk:N0}, on hold {dashboard.Total.OnHold:N0}");
        }

        var inserts = await InsertRatesAsync(db, a.Grievances, log);

        output.WriteLine($"list-bench: {seed.Grievances:N0} grievances ({seed.Open:N0} open) over {seed.Officers:N0} officers in {seed.Places:N0} blocks of {seed.Districts} districts, {seed.Departments} departments; {a.Runs} timed runs each, {Environment.ProcessorCount} cores");
        output.WriteLine($"load average (1 min) at the end: {LoadAverage()}");
        output.WriteLine($"seed: {seed.Total.TotalSeconds:0.0} s (insert {seed.Insert.TotalSeconds:0.0} s, indexes {seed.Indexes.TotalSeconds:0.0} s, counts {seed.Counts.TotalSeconds:0.0} s, vacuum analyze {seed.VacuumAnalyze.TotalSeconds:0.0} s)");
        output.WriteLine();
        output.WriteLine($"{"shape",-32} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"goal ms",8} {"p99/goal",9} {"count(*) ms",12} {"p99/ref",8} {"totalCount",12} {"rows",6}");
        rows.ForEach(output.WriteLine);
        output.WriteLine();
        output.WriteLine($"registration-shaped inserts (100 rows a transaction, into the {seed.Grievances:N0}-row table): {inserts.With:N0} rows/s with migration 0006's indexes and count trigger, {inserts.Without:N0} rows/s without them (ratio {inserts.With / inserts.Without:0.00})");
        foreach (var p in problems)
        {
            output.WriteLine($"CHECK FAILED: {p}");
        }

        output.WriteLine($"verdict: {(met ? "goal met" : "goal missed")}: every list p99 under {ListGoalMs} ms and every dashboard under {DashboardGoalMs} ms: {(met ? "yes" : "no")}");
        return problems.Count == 0;
    }

    private static string Row(string name, LatencyMs l, double goal, TimeSpan reference, long total, int rows) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{name,-32} {l.P50,8:0.0} {l.P99,8:0.0} {l.Max,8:0.0} {goal,8:0} {l.P99 / goal,9:0.00} {reference.TotalMilliseconds,12:0.0} {l.P99 / reference.TotalMilliseconds,8:0.000} {total,12:N0} {rows,6}");

    // The plain statement, run 3 times (the first warms the cache); the fastest is kept.
    private static async Task<(TimeSpan Time, long Count)> ReferenceAsync(NpgsqlDataSource db, string sql, object[] parameters)
    {
        var best = TimeSpan.MaxValue;
        long n = 0;
        for (var i = 0; i < 3; i++)
        {
            await using var cmd = db.CreateCommand(sql);
            cmd.CommandTimeout = 600;
            foreach (var p in parameters)
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = p });
            }

            var sw = Stopwatch.StartNew();
            await using (var r = await cmd.ExecuteReaderAsync())
            {
                while (await r.ReadAsync())
                {
                    n = r.GetInt64(r.FieldCount - 1);
                }
            }

            best = sw.Elapsed < best ? sw.Elapsed : best;
        }

        return (best, n);
    }

    // Open grievances inserted 100 to a transaction, as the projection's group commit writes registrations, first with
    // everything migration 0006 added, then with its indexes and trigger dropped (the table as it was before).
    private static async Task<(double With, double Without)> InsertRatesAsync(NpgsqlDataSource db, int grievances, Action<string> log)
    {
        const int rows = 20_000;
        async Task<double> RateAsync(long start)
        {
            await using var connection = await db.OpenConnectionAsync();
            var sw = Stopwatch.StartNew();
            for (var b = 0; b < rows / 100; b++)
            {
                await ListSeeder.ExecuteAsync(connection, """
                    insert into grievances.grievance (
                        reference_number, grain_key, kind, status, channel, complainant_name, complainant_mobile, jurisdiction_id,
                        jurisdiction_path, category_id, department_id, description, position_id, officer_id, level, registered_at,
                        due_at, breached, breached_at_top, registered_by, version, at_risk_at, last_changed_at)
                    select 'N' || lpad(g::text, 11, '0'), 'N' || g, o.kind, 'Open', o.channel, 'N*** R***', o.complainant_mobile, o.jurisdiction_id,
                           o.jurisdiction_path, o.category_id, o.department_id, 'Inserted by list-bench', o.position_id, o.officer_id, 1, $2,
                           $2 + interval '10 days', false, false, 'agent-bench', 1, $2 + interval '8 days', $2
                    from generate_series($1::bigint, $1::bigint + 99) g
                    cross join lateral (select * from grievances.grievance where reference_number = 'B' || lpad((g % $3)::text, 11, '0')) o
                    """, start + (b * 100L), ListSeeder.Now, (long)grievances);
            }

            return rows / sw.Elapsed.TotalSeconds;
        }

        var with = await RateAsync(0);
        await using (var connection = await db.OpenConnectionAsync())
        {
            foreach (var drop in new[]
                     {
                         "drop trigger grievance_count_insert_delete on grievances.grievance", "drop trigger grievance_count_update on grievances.grievance",
                         "drop index grievances.grievance_due_order_idx", "drop index grievances.grievance_open_due_order_idx", "drop index grievances.grievance_open_department_idx", "drop index grievances.grievance_changed_idx",
                         "drop index grievances.grievance_disposed_idx", "drop index grievances.grievance_final_closed_idx",
                         "drop index grievances.grievance_open_overdue_idx", "drop index grievances.grievance_open_at_risk_count_idx",
                     })
            {
                await ListSeeder.ExecuteAsync(connection, drop);
            }
        }

        var without = await RateAsync(rows);
        log($"inserts: {with:N0} rows/s with 0006, {without:N0} without");
        return (with, without);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static async Task<string> TextAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 600;
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
