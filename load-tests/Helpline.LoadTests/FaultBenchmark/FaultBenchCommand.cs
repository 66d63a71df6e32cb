using System.Diagnostics;
using System.Globalization;
using Helpline.LoadTests.SlaBenchmark;
using Npgsql;
using Spectre.Console;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>
/// Issue 10's experiment: N silos under registration load with live deadlines, one silo killed with SIGKILL every
/// interval, PostgreSQL restarted; then what became of every acknowledged registration and every deadline.
/// See load-tests/README.md, "Fault benchmark".
/// </summary>
public static class FaultBenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = FaultBenchArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (parsed is null)
        {
            if (error is null)
            {
                Console.WriteLine(FaultBenchArguments.Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"fault-bench: {error}\n\n{FaultBenchArguments.Usage}");
            return 1;
        }

        var report = await new Runner(parsed).RunAsync();
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 200; // a file or a pipe: do not wrap at 80 columns
        }

        FaultReportPrinter.Print(console, report);
        if (parsed.Report is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, report.ToJson());
            await Console.Error.WriteLineAsync($"report written to {path}");
        }

        return report.FatalError is null ? 0 : 2;
    }

    private sealed class Runner(FaultBenchArguments a)
    {
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();

        private void Log(string message) => Console.Error.WriteLine($"  [{_elapsed.Elapsed:mm\\:ss}] {message}");

        public async Task<FaultBenchReport> RunAsync()
        {
            var report = new FaultBenchReport
            {
                Settings = new FaultBenchSettings(
                    a.Silos, a.Rate, a.Deadlines, a.DurationSeconds, a.KillIntervalSeconds, a.RestartDelaySeconds,
                    a.PgData is null ? 0 : a.PgRestarts, a.PgDownSeconds, a.SeedWhileRunning),
                Cores = Environment.ProcessorCount,
                StartedAt = DateTimeOffset.UtcNow,
                LoadAverageAtStart = LoadAverage(),
            };
            if (a.PgData is null && a.PgRestarts > 0)
            {
                report.Notes.Add("PostgreSQL was not restarted: no data directory (--pg-data or HELPLINE_TEST_PG_DATA; ./helpline fault-bench sets it).");
            }

            BenchDatabase? db = null;
            SiloFleet? fleet = null;
            try
            {
                var maxConnections = await AdminScalarAsync("show max_connections");
                report.PostgreSql = await AdminScalarAsync("select version()");
                db = await BenchDatabase.CreateAsync(a.AdminConnectionString, "fault_bench_");
                report.Database = db.Name;
                Log($"database {db.Name}");

                // Each silo opens up to three pools of this size; leave superuser_reserved_connections (3) and some for this tool and operators.
                var max = int.Parse(maxConnections, CultureInfo.InvariantCulture);
                var pool = Math.Clamp((max - 3 - 12) / (3 * a.Silos), 2, 20);
                report.Pools = $"Maximum Pool Size {pool} a silo (3 pools), max_connections {max}";
                if (3 * pool * a.Silos + 15 > max)
                {
                    report.Notes.Add($"{a.Silos} silos × 3 pools × {pool} connections exceed max_connections {max}: raise max_connections.");
                }

                var siloDb = new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = pool }.ConnectionString;
                // Valid for the whole run: seeding, the load, settling, and a margin for a slow machine.
                var tokens = BenchTokens.Create(Guid.NewGuid().ToString("N")[..12], TimeSpan.FromSeconds(a.DurationSeconds + a.SettleSeconds) + TimeSpan.FromHours(2));
                var logDir = Path.Combine(a.Logs ?? Path.Combine(Path.GetTempPath(), "helpline-fault-bench"), db.Name);
                fleet = new SiloFleet(a.Silos, ChildService.LocateHostDll(), siloDb, tokens.SiloEnvironment, logDir, Log);
                for (var i = 0; i < a.Silos; i++)
                {
                    Log(fleet.Describe(i));
                }

                await RunAsync(report, db, fleet, tokens);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or NpgsqlException or HttpRequestException or IOException)
            {
                report.FatalError = ex.ToString();
                Log($"stopped: {ex.Message.Split('\n')[0]}");
            }
            finally
            {
                if (fleet is not null)
                {
                    report.UnexpectedExits.AddRange(fleet.UnexpectedExits);
                    Log("stopping the silos");
                    await fleet.StopAllAsync();
                }

                if (db is not null)
                {
                    if (a.KeepDatabase)
                    {
                        report.Notes.Add($"database kept: {db.Name}");
                    }
                    else
                    {
                        await db.DisposeAsync();
                    }
                }

                report.FinishedAt = DateTimeOffset.UtcNow;
                report.LoadAverageAtEnd = LoadAverage();
            }

            return report;
        }

        private async Task RunAsync(FaultBenchReport report, BenchDatabase db, SiloFleet fleet, BenchTokens tokens)
        {
            var seeder = new DeadlineSeeder(Log);
            var verifier = new FaultVerifier(db.ConnectionString);
            var seedClients = Enumerable.Range(0, fleet.Count).Select(i => new HttpClient { BaseAddress = fleet.BaseAddress(i), Timeout = TimeSpan.FromSeconds(120) }).ToList();
            try
            {
                // Silo 1 alone first: it migrates the database and loads the reference data once.
                await fleet.StartAsync(0);
                if (!a.SeedWhileRunning)
                {
                    await seeder.CreateWorldAsync(seedClients[0], tokens.Importer);
                }

                await Task.WhenAll(Enumerable.Range(1, fleet.Count - 1).Select(fleet.StartAsync));
                if (a.SeedWhileRunning)
                {
                    await seeder.CreateWorldAsync(seedClients[0], tokens.Importer);
                    report.Notes.Add("--seed-while-running: the imported city was created through silo 1 with every silo up.");
                }

                // The deadlines fall due from 10 s after the run starts to 10 s before it ends; the run starts once they are seeded.
                // Lead: about what 2,000 imports took on a busy 2-core machine (4 calls of 100 at a time).
                var runStart = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30 + (a.Deadlines / 50.0));
                var runEnd = runStart + TimeSpan.FromSeconds(a.DurationSeconds);
                var deadlines = a.Deadlines == 0
                    ? []
                    : await seeder.SeedAsync(seedClients, tokens.Importer, a.Deadlines, runStart.AddSeconds(10), runEnd.AddSeconds(-10));
                var targets = await verifier.TargetsAsync(500);
                if (DateTimeOffset.UtcNow > runStart)
                {
                    report.Notes.Add($"seeding ended {(DateTimeOffset.UtcNow - runStart).TotalSeconds:0.0} s after the planned start: the first deadlines fell due before the faults began.");
                }
                else
                {
                    await Task.Delay(runStart - DateTimeOffset.UtcNow);
                }

                report.RunStartedAt = runStart;
                Log($"run: {a.DurationSeconds} s of load ({a.Rate}/s over {targets.Count} block seats) and faults");
                var pg = a.PgData is null ? null : new PgControl(a.PgCtl, a.PgData, new NpgsqlConnectionStringBuilder(a.AdminConnectionString).Port);
                var schedule = new FaultSchedule(fleet, pg, a, Log);
                using var driver = new RegistrationDriver(fleet, targets, Guid.NewGuid().ToString("N")[..8], TimeSpan.FromSeconds(a.GiveUpSeconds), tokens.Agent);
                var load = driver.RunAsync(a.Rate, TimeSpan.FromSeconds(a.DurationSeconds), CancellationToken.None);
                var faults = schedule.RunAsync(runStart);
                var progress = ProgressAsync(driver, runEnd);
                await faults;
                await load;
                await progress;

                var registrations = driver.Registrations.ToList();
                var acknowledged = registrations.Where(r => r.ReferenceNumber is not null).ToList();
                Log($"run over: {acknowledged.Count:N0} of {registrations.Count:N0} registrations acknowledged; settling (up to {a.SettleSeconds} s)");
                var settle = Stopwatch.StartNew();
                while (true)
                {
                    var (unbreached, unprojected) = await verifier.PendingAsync(deadlines, acknowledged, DateTimeOffset.UtcNow.AddSeconds(-1));
                    if ((unbreached == 0 && unprojected == 0) || settle.Elapsed.TotalSeconds >= a.SettleSeconds)
                    {
                        Log($"settled: {unbreached} due deadlines not breached, {unprojected} acknowledged registrations not in the read model, after {settle.Elapsed.TotalSeconds:0} s");
                        break;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(2));
                }

                report.SettleSeconds = Math.Round(settle.Elapsed.TotalSeconds, 1);
                var checkedAt = DateTimeOffset.UtcNow;
                var offset = await verifier.ClockOffsetAsync();
                report.DbClockOffsetMs = Math.Round(offset.TotalMilliseconds, 2);
                var failures = driver.Failures.ToList();
                var events = schedule.Events;
                report.Faults.AddRange(FaultAnalysis.Windows(events, failures, runStart, runEnd));
                report.Registrations = FaultAnalysis.Registrations(registrations, failures, await verifier.RegistrationsAsync(registrations));
                report.Deadlines = FaultAnalysis.Deadlines(deadlines, await verifier.DeadlinesAsync(deadlines), events, checkedAt, offset);
                report.Goals.AddRange(FaultAnalysis.Goals(report.Registrations, report.Deadlines));
            }
            finally
            {
                foreach (var c in seedClients)
                {
                    c.Dispose();
                }
            }
        }

        private async Task ProgressAsync(RegistrationDriver driver, DateTimeOffset runEnd)
        {
            while (DateTimeOffset.UtcNow < runEnd)
            {
                await Task.Delay(TimeSpan.FromSeconds(30));
                var all = driver.Registrations.ToList();
                Log($"progress: {all.Count(r => r.ReferenceNumber is not null):N0} of {all.Count:N0} acknowledged, {driver.Failures.Count:N0} failed attempts");
            }
        }

        private async Task<string> AdminScalarAsync(string sql)
        {
            await using var conn = new NpgsqlConnection(a.AdminConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, conn);
            return Convert.ToString(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
        }

        private static string LoadAverage() =>
            File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
    }
}
