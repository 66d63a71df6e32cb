using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Helpline.Host;
using Npgsql;
using Spectre.Console;

namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>The parsed command line of <c>sla-bench</c>.</summary>
public sealed record SlaBenchArguments
{
    public long Open { get; init; } = 1_000_000;

    public int Burst { get; init; } = 1000;

    public required string AdminConnectionString { get; init; }

    public string? Report { get; init; }

    public bool KillNine { get; init; } = true;

    public bool KeepDatabase { get; init; }

    public int TrickleSeconds { get; init; } = 60;

    public int OneOfficer { get; init; } = 200;

    /// <summary>GC of the phase processes: <c>server</c> (as the service runs) or <c>workstation</c>.</summary>
    public string Gc { get; init; } = "server";

    /// <summary>Internal: the phase this process runs (<c>baseline</c> or <c>loaded</c>), started by the benchmark itself.</summary>
    public string? Phase { get; init; }

    public string? PhaseConnection { get; init; }

    public string? PhaseResult { get; init; }

    public long ClockStartTicks { get; init; }

    /// <summary>Parses the arguments after <c>sla-bench</c>; null with an error (or a null error for --help).</summary>
    public static SlaBenchArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        error = null;
        var admin = environment("HELPLINE_TEST_DB") ?? SlaBenchCommand.DefaultAdmin;
        var result = new SlaBenchArguments { AdminConnectionString = admin };
        var parsed = BenchOptions.Parse(args, result, (o, r) => o.Name switch
        {
            "-h" or "--help" => null,
            "--open" => r with { Open = o.Whole(0, 20_000_000) },
            "--burst" => r with { Burst = (int)o.Whole(1, 100_000) },
            "--trickle-seconds" => r with { TrickleSeconds = (int)o.Whole(1, 3600) },
            "--one-officer" => r with { OneOfficer = (int)o.Whole(0, 100_000) },
            "--db" => r with { AdminConnectionString = o.Value() },
            "--report" => r with { Report = o.Value() },
            "--no-kill9" => r with { KillNine = false },
            "--keep-db" => r with { KeepDatabase = true },
            "--gc" => r with { Gc = o.Value() is var gc && gc is "server" or "workstation" ? gc : throw new ArgumentException($"--gc {gc}: give server or workstation") },
            "--phase" => r with { Phase = o.Value() is var ph && ph is "baseline" or "loaded" ? ph : throw new ArgumentException($"--phase {ph}: baseline or loaded") },
            "--phase-db" => r with { PhaseConnection = o.Value() },
            "--phase-result" => r with { PhaseResult = o.Value() },
            "--clock-start" => r with { ClockStartTicks = o.Whole(0, DateTimeOffset.MaxValue.UtcTicks) },
            _ => throw o.Unknown(),
        }, out error);
        if (parsed is null)
        {
            return null;
        }

        result = parsed;

        if (result.Phase is not null && (result.PhaseConnection is null || result.PhaseResult is null || result.ClockStartTicks == 0))
        {
            error = "--phase needs --phase-db, --phase-result and --clock-start";
            return null;
        }

        error = BenchOptions.DatabaseProblem(result.AdminConnectionString);
        return error is null ? result : null;
    }
}

/// <summary>
/// The SLA scale benchmark: memory per open grievance, time to re-arm every deadline after a restart, breach
/// latency (burst and trickle), and restart after kill -9. See load-tests/README.md ("SLA scale benchmark").
/// </summary>
public static class SlaBenchCommand
{
    public const string DefaultAdmin = "Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres";

    public const string Usage = """
        Usage: dotnet run --project load-tests/Helpline.LoadTests -c Release -- sla-bench [options]

        Runs the real host in process (in a fresh process of this tool per measurement) over a fresh database
        (created on the server, dropped at the end) and measures: memory per open grievance and the time to re-arm
        every deadline after a restart (N open grievances seeded into the read model), breach latency (a burst due
        at one instant, a trickle over 60 s, a burst at one officer), and a restart of the service process after
        kill -9. See load-tests/README.md, "SLA scale benchmark".

        Options:
          --open N             open grievances to seed (default 1,000,000)
          --burst N            grievances per breach-latency measurement (default 1,000)
          --trickle-seconds N  fake-time span of the trickle's due instants (default 60)
          --one-officer N      also a burst of N held by one officer, due at one instant (default 200; 0: skip)
          --db CONNSTRING      PostgreSQL server to create the database on, as a connection string to an existing
                               database (default: $HELPLINE_TEST_DB, else the ./helpline test cluster:
                               Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres)
          --report FILE        also write the figures as JSON to FILE
          --gc server|workstation
                               GC of the processes that run the host (default server, as the service runs)
          --no-kill9           skip the child-process kill -9 restart
          --keep-db            do not drop the database at the end (its name is printed)
          -h, --help           this text

        Exit codes: 0 done (goals met or not: read the table), 1 bad arguments, 2 stopped by an error, 130 interrupted
        (the processes it started stopped and the database dropped, unless --keep-db; a second interrupt quits at once
        and leaves them).
        """;

    private static readonly TimeSpan SeedWindowOffset = TimeSpan.FromDays(4);
    private static readonly TimeSpan SeedWindow = TimeSpan.FromDays(7);

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = SlaBenchArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (parsed is null)
        {
            if (error is null)
            {
                Console.WriteLine(Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"sla-bench: {error}\n\n{Usage}");
            return 1;
        }

        if (parsed.Phase is not null)
        {
            var phase = await new PhaseRunner(parsed).RunAsync();
            await File.WriteAllTextAsync(parsed.PhaseResult!, phase.ToJson());
            return phase.Error is null ? 0 : 2;
        }

        // An interrupt stops the processes the run started and drops the database before exiting; a second one quits
        // at once.
        using var interrupted = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            if (interrupted.IsCancellationRequested)
            {
                return;
            }

            context.Cancel = true;
            Console.Error.WriteLine(parsed.KeepDatabase
                ? "sla-bench: interrupted; stopping its processes and keeping the database (interrupt again to quit at once)"
                : "sla-bench: interrupted; stopping its processes and dropping the database (interrupt again to quit at once, leaving them)");
            interrupted.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var report = await new Runner(parsed, interrupted.Token).RunAsync();

        // An interrupt after the last step the run checks still makes the report say so, as the exit code does.
        if (interrupted.IsCancellationRequested)
        {
            report.FatalError ??= "interrupted";
        }
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 160; // a file or a pipe: do not wrap at 80 columns
        }

        Print(console, report);
        if (parsed.Report is { } path)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }

            await File.WriteAllTextAsync(path, report.ToJson());
        }

        return interrupted.IsCancellationRequested ? 130 : report.FatalError is null ? 0 : 2;
    }

    private sealed class Runner(SlaBenchArguments a, CancellationToken stop)
    {
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();

        private void Log(string message) => Console.Error.WriteLine($"[{_elapsed.Elapsed:mm\\:ss\\.f}] {message}");

        public async Task<SlaBenchReport> RunAsync()
        {
            var now = DateTimeOffset.UtcNow;
            var t0 = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            var report = new SlaBenchReport
            {
                Machine = await MachineAsync(),
                Open = a.Open,
                Burst = a.Burst,
                StartedAt = now,
                ClockStart = t0,
            };
            Log($"sla-bench: N = {a.Open:N0}, burst = {a.Burst:N0}; {report.Machine.Cores} cores, {report.Machine.MemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB, load {report.Machine.LoadAverageAtStart}; phases with {a.Gc} GC");

            BenchDatabase? database = null;
            try
            {
                database = await BenchDatabase.CreateAsync(a.AdminConnectionString);
                Log($"database {database.Name} created");
                await using var db = NpgsqlDataSource.Create(database.ConnectionString);
                await MigrateAsync(database.ConnectionString);
                Log("migrations and reference data applied");

                // 1. Baseline: the empty service, in a fresh process.
                var baseline = await PhaseAsync("baseline", database.ConnectionString, t0, report);
                Log($"baseline (0 open, sweep armed {baseline.BaselineSweepOfficers} officers): RSS {Mib(baseline.Baseline!.RssBytes)}, GC heap {Mib(baseline.Baseline.GcHeapBytes)}");

                // The service process over the empty database, for its RSS without a forced GC.
                ChildStart? empty = null;
                var ports = (Http: BenchHost.FreePort(), Silo: BenchHost.FreePort(), Gateway: BenchHost.FreePort());
                if (a.KillNine)
                {
                    await using var service = ChildService.Start(ChildService.LocateHostDll(), database.ConnectionString, ports.Http, ports.Silo, ports.Gateway);
                    empty = await MeasureStartAsync(service, TimeSpan.FromMinutes(3));
                    await service.StopAsync();
                    Log($"service process, empty database: healthy at {empty.HealthySeconds:0.0} s, RSS {Mib(empty.RssBytesSettled)}");
                }

                // 2. Seed N open grievances into the read model.
                stop.ThrowIfCancellationRequested();
                if (a.Open > 0)
                {
                    var seats = await GrievanceSeeder.BlockSeatsAsync(db);
                    Log($"seeding {a.Open:N0} open grievances over {seats.Count:N0} block officers");
                    var seed = await GrievanceSeeder.SeedAsync(db, seats, a.Open, t0, t0 + SeedWindowOffset, SeedWindow, n =>
                    {
                        // Thrown out of the import, which is then not completed: nothing of it is stored.
                        stop.ThrowIfCancellationRequested();
                        Log($"  {n:N0} rows");
                    });
                    report.Seed = new SeedFigures(seed.Rows, seed.Officers, seed.FirstDueAt, seed.LastDueAt, Math.Round(seed.CopyTime.TotalSeconds, 1), Math.Round(seed.AnalyzeTime.TotalSeconds, 1));
                    Log($"seeded in {seed.CopyTime.TotalSeconds:0.0} s (+ count fold and vacuum analyze {seed.AnalyzeTime.TotalSeconds:0.0} s)");
                }

                // 3-5. A fresh process over the seeded database: re-arm, memory, breach latency.
                var loaded = await PhaseAsync("loaded", database.ConnectionString, t0, report);
                report.Rearm = loaded.Rearm;
                report.Breach = loaded.Breach;
                if (loaded.WithOpen is { } withOpen)
                {
                    var b = baseline.Baseline;
                    var perOpen = Math.Max(1, a.Open);
                    report.Memory = new MemoryFigures(
                        b,
                        withOpen,
                        Math.Round((withOpen.RssBytes - b.RssBytes) / (double)perOpen, 1),
                        Math.Round((withOpen.GcHeapBytes - b.GcHeapBytes) / (double)perOpen, 1),
                        Math.Round((withOpen.GcCommittedBytes - b.GcCommittedBytes) / (double)perOpen, 1));
                    Log($"memory: {report.Memory.RssBytesPerOpen:0} B RSS, {report.Memory.HeapBytesPerOpen:0} B GC heap per open grievance");
                }

                if (loaded.Error is { } phaseError)
                {
                    throw new InvalidOperationException("The loaded phase failed: " + phaseError);
                }

                // 6. kill -9 and restart of the service process.
                if (a.KillNine)
                {
                    stop.ThrowIfCancellationRequested();
                    report.KillNine = await KillNineAsync(database.ConnectionString, db, empty, ports);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                report.FatalError = "interrupted";
                Log("interrupted");
            }
            catch (Exception ex)
            {
                report.FatalError = ex.ToString();
                Log($"stopped by an error: {ex}");
            }
            finally
            {
                if (database is not null)
                {
                    if (a.KeepDatabase)
                    {
                        Log($"database {database.Name} kept");
                    }
                    else
                    {
                        await database.DisposeAsync();
                        Log($"database {database.Name} dropped");
                    }
                }
            }

            report.FinishedAt = DateTimeOffset.UtcNow;
            report.ElapsedSeconds = Math.Round(_elapsed.Elapsed.TotalSeconds, 1);
            return report;
        }

        /// <summary>Applies the migrations and loads the reference data (HelplineHost.BuildAsync without starting the app).</summary>
        private static async Task MigrateAsync(string connectionString)
        {
            var builder = HelplineHost.CreateBuilder(
            [
                $"--HELPLINE_DB={connectionString}",
                $"--Helpline:SiloPort={BenchHost.FreePort()}",
                $"--Helpline:GatewayPort={BenchHost.FreePort()}",
                "--urls=http://127.0.0.1:0",
                "--Logging:LogLevel:Default=Error",
            ]);
            var app = await HelplineHost.BuildAsync(builder);
            await app.DisposeAsync();
        }

        /// <summary>
        /// Runs one phase in a fresh process of this tool (its progress goes to this stderr), so that each memory
        /// figure is of a process that has run one host: a host stopped in process is not all released at once
        /// (measured: the managed heap keeps up to two stopped hosts, about 33 MiB each, for a while).
        /// </summary>
        private async Task<PhaseResult> PhaseAsync(string phase, string connectionString, DateTimeOffset t0, SlaBenchReport report)
        {
            stop.ThrowIfCancellationRequested();
            var resultFile = Path.Combine(Path.GetTempPath(), $"sla-bench-{phase}-{Guid.NewGuid():N}.json");
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
            var start = new ProcessStartInfo(self) { UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(typeof(SlaBenchCommand).Assembly.Location);
            }

            foreach (var arg in new[]
            {
                "sla-bench", "--phase", phase, "--phase-db", connectionString, "--phase-result", resultFile,
                "--clock-start", t0.UtcTicks.ToString(CultureInfo.InvariantCulture),
                "--open", a.Open.ToString(CultureInfo.InvariantCulture), "--burst", a.Burst.ToString(CultureInfo.InvariantCulture),
                "--trickle-seconds", a.TrickleSeconds.ToString(CultureInfo.InvariantCulture), "--one-officer", a.OneOfficer.ToString(CultureInfo.InvariantCulture),
            })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["DOTNET_gcServer"] = a.Gc == "server" ? "1" : "0";
            Log($"phase {phase}: a fresh process");
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the phase process.");
            try
            {
                await process.WaitForExitAsync(stop).WaitAsync(TimeSpan.FromMinutes(20));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"Phase {phase} did not finish within 20 minutes.");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                File.Delete(resultFile);
                throw;
            }

            if (!File.Exists(resultFile))
            {
                throw new InvalidOperationException($"Phase {phase} exited with code {process.ExitCode} without a result.");
            }

            var result = PhaseResult.FromJson(await File.ReadAllTextAsync(resultFile));
            File.Delete(resultFile);
            report.HostWarnings.AddRange(result.Warnings.Take(50 - report.HostWarnings.Count).Select(w => $"{phase}: {w}"));
            report.Machine = report.Machine with { ServerGc = result.ServerGc };
            return result.Error is not null && phase == "baseline"
                ? throw new InvalidOperationException($"Phase {phase} failed: {result.Error}")
                : result;
        }

        private async Task<KillNineFigures> KillNineAsync(string connectionString, NpgsqlDataSource db, ChildStart? empty, (int Http, int Silo, int Gateway) ports)
        {
            var dll = ChildService.LocateHostDll();
            var (http, silo, gateway) = ports;
            var timeout = TimeSpan.FromMinutes(3);

            Log("kill -9: starting the service process");
            var tokens = FaultBenchmark.BenchTokens.Create(Guid.NewGuid().ToString("N")[..12], TimeSpan.FromHours(2));
            ChildStart first;
            await using (var service = ChildService.Start(dll, connectionString, http, silo, gateway, tokens.SiloEnvironment))
            {
                first = await MeasureStartAsync(service, timeout);
                Log($"kill -9: first start healthy at {first.HealthySeconds:0.0} s, armed at {first.ArmedSeconds:0.0} s ({first.Officers} officers), RSS {Mib(first.RssBytesSettled)}");
                await service.KillNineAsync();
            }

            stop.ThrowIfCancellationRequested();
            Log("kill -9: killed; starting again on the same ports");
            await using var again = ChildService.Start(dll, connectionString, http, silo, gateway, tokens.SiloEnvironment);
            var second = await MeasureStartAsync(again, timeout);
            Log($"kill -9: restart healthy at {second.HealthySeconds:0.0} s, armed at {second.ArmedSeconds:0.0} s ({second.Officers} officers), RSS {Mib(second.RssBytesSettled)}");

            // A sample of officers: the restarted service's in-memory workload against the read model.
            var expected = new Dictionary<string, long>(StringComparer.Ordinal);
            await using (var cmd = db.CreateCommand("""
                select officer_id, count(*) from grievances.grievance
                where status = 'Open' and due_at is not null and officer_id in (select distinct officer_id from grievances.grievance where status = 'Open' order by officer_id limit 20)
                group by officer_id
                """))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    expected[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            var actual = await again.WorkloadOpenAsync(expected.Keys, tokens.Auditor).WaitAsync(stop);
            double? perOpen = empty is null || a.Open == 0 ? null : Math.Round((first.RssBytesSettled - empty.RssBytesSettled) / (double)a.Open, 1);
            return new KillNineFigures(empty, first, second, perOpen, expected.Count, actual == expected.Values.Sum());
        }

        // An interrupt leaves the waits at once; the caller's disposal of the service process kills it.
        private async Task<ChildStart> MeasureStartAsync(ChildService service, TimeSpan timeout)
        {
            var healthy = await service.WaitHealthyAsync(timeout).WaitAsync(stop);
            var armed = await service.WaitArmedAsync(timeout).WaitAsync(stop);
            var rss = service.Rss();
            await Task.Delay(TimeSpan.FromSeconds(10), stop);
            return new ChildStart(
                Math.Round(healthy.TotalSeconds, 2),
                armed is null ? null : Math.Round(armed.Value.At.TotalSeconds, 2),
                armed?.Officers,
                rss,
                service.Rss());
        }

        private async Task<MachineInfo> MachineAsync()
        {
            string? pg = null;
            try
            {
                await using var conn = new NpgsqlConnection(a.AdminConnectionString);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand("select version()", conn);
                pg = (string?)await cmd.ExecuteScalarAsync();
            }
            catch (NpgsqlException)
            {
                // Reported when the database is created.
            }

            var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
            return new MachineInfo(
                Environment.ProcessorCount,
                MemorySample.MachineMemory(),
                RuntimeInformation.OSDescription,
                RuntimeInformation.FrameworkDescription,
                a.Gc == "server",
                GCSettings.LatencyMode.ToString(),
                load,
                pg);
        }
    }

    /// <summary>One phase, run in its own process: the host in process over the benchmark's database.</summary>
    private sealed class PhaseRunner(SlaBenchArguments a)
    {
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();

        private void Log(string message) => Console.Error.WriteLine($"  [{a.Phase} {_elapsed.Elapsed:mm\\:ss\\.f}] {message}");

        public async Task<PhaseResult> RunAsync()
        {
            var result = new PhaseResult { ServerGc = GCSettings.IsServerGC };
            var clock = new ManualClock(new DateTimeOffset(a.ClockStartTicks, TimeSpan.Zero));
            BenchHost? host = null;
            try
            {
                if (a.Phase == "baseline")
                {
                    host = await BenchHost.StartAsync(a.PhaseConnection!, clock);
                    var sweep = await WaitForSweepAsync(host, TimeSpan.FromSeconds(60));
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    result.Baseline = MemorySample.Take();
                    result.BaselineSweepOfficers = sweep?.Officers;
                }
                else
                {
                    await using var db = NpgsqlDataSource.Create(a.PhaseConnection!);
                    var meter = new CpuMeter(db);
                    var cpu = await meter.TakeAsync();
                    var startWall = DateTime.UtcNow;
                    var since = Stopwatch.StartNew();
                    host = await BenchHost.StartAsync(a.PhaseConnection!, clock);
                    Log($"host started: build {host.LastBuild.TotalSeconds:0.0} s, start {host.LastStart.TotalSeconds:0.0} s");
                    var probe = new RearmProbe(host.Services.GetRequiredService<IGrainFactory>());
                    var lastReport = TimeSpan.Zero;
                    var (reached, progress) = await probe.WaitForAsync(a.Open, since, TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(10), (open, officers) =>
                    {
                        if (since.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
                        {
                            lastReport = since.Elapsed;
                            Log($"armed {open:N0} in {officers:N0} officers");
                        }
                    });
                    var rearmCpu = await meter.SinceAsync(cpu);
                    var sweep = await WaitForSweepAsync(host, TimeSpan.FromSeconds(reached is null ? 1 : 60));
                    result.Rearm = new RearmFigures(
                        Math.Round(host.LastBuild.TotalSeconds, 2),
                        Math.Round(host.LastStart.TotalSeconds, 2),
                        sweep is null ? null : Math.Round((sweep.Value.At - startWall).TotalSeconds, 2),
                        reached is null ? null : Math.Round(reached.Value.TotalSeconds, 2),
                        sweep?.Officers,
                        probe.ActiveOfficers,
                        probe.Open,
                        progress,
                        rearmCpu);
                    Log(reached is null
                        ? $"NOT all armed after 10 min: {probe.Open:N0} of {a.Open:N0}"
                        : $"all {a.Open:N0} deadlines armed {reached.Value.TotalSeconds:0.0} s after the start began ({probe.ActiveOfficers:N0} officers; sweep logged at {result.Rearm.SweepLoggedSeconds:0.0} s)");

                    result.WithOpen = MemorySample.Take();
                    Log($"with {a.Open:N0} open: RSS {Mib(result.WithOpen.RssBytes)}, GC heap {Mib(result.WithOpen.GcHeapBytes)}");

                    result.Breach = await new BreachLatency(host, db, Log).RunAsync(a.Burst, TimeSpan.FromSeconds(a.TrickleSeconds), a.OneOfficer);
                }
            }
            catch (Exception ex)
            {
                result.Error = ex.ToString();
                Log($"stopped by an error: {ex}");
            }
            finally
            {
                if (host is not null)
                {
                    result.Warnings.AddRange(host.Log.Where(l => l.Level >= LogLevel.Warning).Take(50)
                        .Select(l => $"{l.AtUtc:HH:mm:ss.fff} {l.Level} {l.Category}: {l.Message}{(l.Exception is null ? "" : " (" + l.Exception + ")")}"));
                    await host.DisposeAsync();
                }
            }

            return result;
        }

        private static async Task<(DateTime At, int Officers)?> WaitForSweepAsync(BenchHost host, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < timeout)
            {
                var line = host.Log.FirstOrDefault(l => l.Category == BenchHost.SweepCategory && l.Message.StartsWith("Deadlines re-armed", StringComparison.Ordinal));
                if (line is not null)
                {
                    // "Deadlines re-armed at start-up for N officers (...)": the count follows "for".
                    var words = line.Message.Split(' ');
                    var n = int.Parse(words[Array.IndexOf(words, "for") + 1], CultureInfo.InvariantCulture);
                    return (line.AtUtc, n);
                }

                await Task.Delay(50);
            }

            return null;
        }
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("N1", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>Prints the figures as a table, with the goals.</summary>
    public static void Print(IAnsiConsole console, SlaBenchReport r)
    {
        var m = r.Machine;
        var table = new Table().Border(TableBorder.Rounded).Title(
            $"SLA scale benchmark — N = {r.Open:N0} open, burst {r.Burst:N0}; {m.Cores} cores, {m.MemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB, load {Markup.Escape(m.LoadAverageAtStart)}; {(m.ServerGc ? "server" : "workstation")} GC");
        table.AddColumn("figure");
        table.AddColumn(new TableColumn("measured").RightAligned());
        table.AddColumn("goal");
        void Row(string name, string value, string goal = "") => table.AddRow(Markup.Escape(name), Markup.Escape(value), goal);
        static string Goal(bool? met, string text) => met switch
        {
            true => $"[green]met[/] ({Markup.Escape(text)})",
            false => $"[red]missed[/] ({Markup.Escape(text)})",
            null => Markup.Escape(text),
        };
        static string F(double v, string format = "N1") => v.ToString(format, CultureInfo.InvariantCulture);
        static string L(LatencyMs l) => $"{F(l.P50)} / {F(l.P90)} / {F(l.P99)} / {F(l.Max)}";
        static string Jit(JitFigures? j) => j is null ? "n/a" : $"{j.Methods:N0} methods compiled, {F(j.Milliseconds, "N0")} ms";

        static string Cpu(CpuFigures c) =>
            $"{F(c.HostSeconds, "N2")} / {(c.PostgresSeconds is { } pg ? F(pg, "N2") : "n/a")} / {(c.MachineBusySeconds is { } mb ? F(mb, "N2") : "n/a")} s in {F(c.WallSeconds, "N2")} s";

        if (r.Seed is { } s)
        {
            Row("seeded (binary COPY; count fold + vacuum analyze)", $"{s.Rows:N0} rows, {s.Officers:N0} officers, {F(s.CopySeconds)} s + {F(s.AnalyzeSeconds)} s");
        }

        if (r.Rearm is { } re)
        {
            Row("restart → every deadline armed", re.AllArmedSeconds is { } x ? $"{F(x)} s" : "not reached", Goal(re.AllArmedSeconds is { } y ? y <= 30 : false, "≤ 30 s"));
            Row("  of which build (migrations, reference data)", $"{F(re.BuildSeconds)} s");
            Row("  of which start (silo, Quartz, HTTP)", $"{F(re.StartSeconds)} s");
            Row("  start-up sweep logged at", re.SweepLoggedSeconds is { } z ? $"{F(z)} s ({re.SweepOfficers:N0} officers)" : "not seen");
            Row("  armed / officer activations", $"{re.ArmedOpen:N0} / {re.ActiveOfficers:N0}");
            if (re.Cpu is { } c)
            {
                Row("  CPU: host / PostgreSQL / machine busy", Cpu(c));
            }
        }

        if (r.Memory is { } mem)
        {
            Row("RSS per open grievance", $"{F(mem.RssBytesPerOpen, "N0")} B", Goal(mem.RssBytesPerOpen <= 1024, "≤ 1 KiB"));
            Row("GC heap per open grievance", $"{F(mem.HeapBytesPerOpen, "N0")} B", Goal(mem.HeapBytesPerOpen <= 1024, "≤ 1 KiB"));
            Row("  RSS baseline → with N", $"{Mib(mem.Baseline.RssBytes)} → {Mib(mem.WithOpen.RssBytes)}");
            Row("  GC heap baseline → with N", $"{Mib(mem.Baseline.GcHeapBytes)} → {Mib(mem.WithOpen.GcHeapBytes)}");
            Row("  GC committed baseline → with N", $"{Mib(mem.Baseline.GcCommittedBytes)} → {Mib(mem.WithOpen.GcCommittedBytes)}");
        }

        if (r.Breach is { } b)
        {
            Row("registration (IGrievanceService, 16 at a time)", $"{b.Registration.Count:N0} in {F(b.Registration.Seconds)} s; p50/p99 {F(b.Registration.Latency.P50)}/{F(b.Registration.Latency.P99)} ms");
            Row("at-risk warnings for all of them", $"{F(b.AtRiskSeconds)} s");
            if (b.FirstEscalations is { } fe)
            {
                Row($"first escalations of the process p50/p90/p99/max (ms), {fe.Count:N0} at one instant", L(fe.LatencyMs));
                Row("  escalated; JIT", $"{fe.Escalated:N0}/{fe.Count:N0}; {Jit(fe.Jit)}");
            }

            Row(
                $"burst breach latency p50/p90/p99/max (ms), {b.Burst.Officers:N0} officers",
                L(b.Burst.LatencyMs),
                Goal(b.Burst.Escalated == b.Burst.Count && b.Burst.LatencyMs.P99 <= 1000, "p99 ≤ 1 s"));
            Row("  escalated / last seen by the poll", $"{b.Burst.Escalated:N0}/{b.Burst.Count:N0} / {F(b.Burst.CompletedSeconds, "N2")} s; SetUtcNow {F(b.Burst.SetUtcNowMs ?? 0)} ms; JIT {Jit(b.Burst.Jit)}");
            if (b.Burst.Cpu is { } bc)
            {
                Row("  CPU: host / PostgreSQL / machine busy", Cpu(bc));
            }

            if (b.Burst.Wal is { } bw)
            {
                Row("  WAL (whole server)", WalMeter.Format(bw));
            }

            Row(
                $"trickle breach latency p50/p90/p99/max (ms), 100 ms steps",
                L(b.Trickle.LatencyMs),
                Goal(b.Trickle.Escalated == b.Trickle.Count && b.Trickle.LatencyMs.P99 <= 1000, "p99 ≤ 1 s"));
            Row("  escalated; steps late by at most", $"{b.Trickle.Escalated:N0}/{b.Trickle.Count:N0}; {F(b.Trickle.ClockStepMaxLateMs ?? 0)} ms");
            if (b.OneOfficer is { } one)
            {
                Row(
                    $"one-officer burst latency p50/p90/p99/max (ms), {one.Count:N0} grievances",
                    L(one.LatencyMs),
                    Goal(one.Escalated == one.Count && one.LatencyMs.P99 <= 1000, "p99 ≤ 1 s"));
                Row("  escalated / last seen by the poll", $"{one.Escalated:N0}/{one.Count:N0} / {F(one.CompletedSeconds, "N2")} s");
                if (one.Cpu is { } oc)
                {
                    Row("  CPU: host / PostgreSQL / machine busy", Cpu(oc));
                }
            }

            Row("  PostgreSQL clock offset", $"{F(b.DbClockOffsetMs, "N2")} ms");
        }

        if (r.KillNine is { } k)
        {
            static string Start(ChildStart c) =>
                $"healthy {c.HealthySeconds:0.0} s, armed {(c.ArmedSeconds is { } a ? a.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "not seen")} ({c.Officers:N0} officers), RSS {Mib(c.RssBytesSettled)}";
            if (k.Empty is { } e0)
            {
                Row("service process, empty database", Start(e0));
            }

            Row("service process, first start", Start(k.First));
            if (k.RssBytesPerOpen is { } rp)
            {
                Row("  RSS per open grievance (server GC, nothing forced)", $"{F(rp, "N0")} B", Goal(rp <= 1024, "≤ 1 KiB"));
            }

            Row("service process, after kill -9", Start(k.AfterKill), Goal(k.AfterKill.ArmedSeconds is { } t ? t <= 30 : false, "armed ≤ 30 s"));
            Row("  workload of sampled officers matches", $"{k.SampleMatches} ({k.SampledOfficers} officers)");
        }

        if (r.FatalError is { } e)
        {
            Row(e == "interrupted" ? "stopped" : "stopped by an error", e.Split('\n')[0]);
        }

        Row("elapsed", $"{F(r.ElapsedSeconds)} s");
        console.Write(table);
    }
}
