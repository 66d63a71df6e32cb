using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Helpline.Access.Tokens;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Platform.Access;
using Npgsql;

namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>
/// Issue 13's speed goals with 50,000 officers and 1,000,000 open grievances, each against a reference measured in
/// the same run. See load-tests/README.md, "Workload benchmark".
/// </summary>
internal static class WorkloadBenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = WorkloadBenchArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (a is null)
        {
            if (error is null)
            {
                Console.WriteLine(WorkloadBenchArguments.Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"workload-bench: {error}\n\n{WorkloadBenchArguments.Usage}");
            return 1;
        }

        var elapsed = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{elapsed.Elapsed:mm\\:ss\\.f}] {message}");
        BenchDatabase? database = null;
        try
        {
            database = await BenchDatabase.CreateAsync(a.AdminConnectionString, "workload_bench_");
            Log($"workload-bench: {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}; database {database.Name} created");
            var report = await RunAsync(a, database.ConnectionString, Log);
            report.Print(Console.Out);
            if (a.ReportFile is not null)
            {
                await report.WriteJsonAsync(a.ReportFile);
                Log($"report written to {a.ReportFile}");
            }

            return a.Check && !report.GoalsMet ? 3 : 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or HttpRequestException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"workload-bench: stopped: {ex.Message}");
            return 2;
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
                }
            }

            Log("done");
        }
    }

    /// <summary>The benchmark's core on an empty database: seed, start, measure. Also what the smoke test runs with tiny sizes.</summary>
    public static async Task<WorkloadBenchReport> RunAsync(WorkloadBenchArguments a, string connectionString, Action<string> log)
    {
        var (privateJwk, publicJwk) = AccessTokens.GenerateKey("workload-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var tokens = new Tokens(
            Mint(privateJwk, "workload-bench-auditor", Role.Auditor),
            Mint(privateJwk, "workload-bench-admin", Role.Administrator),
            Mint(privateJwk, RegistrationLoad.AgentId, Role.Agent));
        var logLines = new ConcurrentQueue<CapturedLog>();

        // Migrations, reference data and the generated roster first; the roster is extended before the host starts.
        var prepared = await WorkloadBenchHost.PrepareAsync(connectionString, publicJwk, logLines);
        log($"migrations, reference data and the generated roster in {prepared.TotalSeconds:0.0} s (host built, not started)");

        await using var db = NpgsqlDataSource.Create(connectionString);
        var roster = await RosterSnapshot.ReadAsync(db);
        if (!roster.HasPools)
        {
            log("this build has no pools (officers.position.pool_capacity): no officers are added and registration into a pool is not measured");
        }

        var plan = WorkloadPlan.Make(roster, a);
        log($"generated roster: {roster.Seats.Count:N0} seats, {roster.Officers:N0} officers; team below {plan.Supervisor.Id}: {plan.TeamSeats.Count} seats, {plan.TeamOfficers.Count} officers; " +
            $"pool {plan.PoolSeat?.Id ?? "-"} ({a.Pool} members), single seat {plan.SingleSeat?.Id ?? "-"}, category {plan.RegistrationCategory?.Id ?? "-"}; board {plan.BoardDistrict} ({plan.BoardOfficers} officers; {plan.BoardDepartment}: {plan.BoardDepartmentOfficers})");
        var seedStart = DateTimeOffset.UtcNow;
        var seed = await WorkloadSeeder.SeedAsync(db, roster, plan, seedStart, log);
        log($"{seed.Grievances:N0} open grievances copied in {seed.CopyTime.TotalSeconds:0.0} s, analyzed in {seed.AnalyzeTime.TotalSeconds:0.0} s");

        logLines.Clear();
        await using var host = await WorkloadBenchHost.StartAsync(connectionString, publicJwk, logLines);
        var started = DateTime.UtcNow;
        log($"host started on the seeded database in {host.StartTime.TotalSeconds:0.0} s (roster of {roster.Officers + seed.OfficersAdded:N0} officers); waiting for the start-up deadline sweep");
        var sweep = await WaitForSweepAsync(logLines, started, TimeSpan.FromMinutes(20));
        using (var process = Process.GetCurrentProcess())
        {
            sweep = sweep with { WorkingSetMb = process.WorkingSet64 / 1048576.0, ManagedHeapMb = GC.GetTotalMemory(false) / 1048576.0 };
        }

        log($"start-up sweep: {sweep.Message} after {sweep.Elapsed.TotalSeconds:0.0} s; working set {sweep.WorkingSetMb:N0} MB");

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None, MaxConnectionsPerServer = 4 })
        {
            BaseAddress = host.Address,
            Timeout = TimeSpan.FromMinutes(2),
        };
        var gql = new BenchGraphQL(http);
        var rest = await RestAsync(TimeSpan.FromSeconds(a.RestSeconds));
        log($"at rest for {rest.Seconds:0} s: this process used {rest.Cores:0.00} cores");
        var board = await BoardLoad.RunAsync(gql, host.Services, tokens.Auditor, plan, a, log);
        var registration = plan.PoolSeat is null
            ? null
            : await RegistrationLoad.RunAsync(gql, db, tokens.Agent, plan, a, log);
        var proposals = await ProposalLoad.RunAsync(gql, host.Services, tokens.Admin, plan, a, log);
        return new WorkloadBenchReport(
            a, Environment.ProcessorCount, roster.Seats.Count, roster.Officers + seed.OfficersAdded, seed, plan.Supervisor.Id, plan.TeamOfficers.Count,
            plan.TeamOfficers.Sum(o => plan.OpenOf[o]), sweep, rest, board, registration, proposals, LoadAverage());
    }

    private static async Task<SweepFigures> WaitForSweepAsync(ConcurrentQueue<CapturedLog> lines, DateTime started, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (lines.FirstOrDefault(l => l.Category == BenchHost.SweepCategory) is { } line)
            {
                return new SweepFigures(line.Message, line.AtUtc - started, 0, 0);
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The start-up deadline sweep did not finish within {limit.TotalMinutes} minutes.");
    }

    // CPU this process uses while no request is sent: the host's background work (the every-minute deadline sweep over
    // every officer with an open deadline, the read-model repair, Orleans' own), in cores.
    private static async Task<RestFigures> RestAsync(TimeSpan span)
    {
        var before = Environment.CpuUsage.TotalTime;
        await Task.Delay(span);
        return new RestFigures(span.TotalSeconds, span > TimeSpan.Zero ? (Environment.CpuUsage.TotalTime - before) / span : 0);
    }

    private static string Mint(string privateJwk, string subject, Role role)
    {
        var now = DateTimeOffset.UtcNow;
        return AccessTokens.Mint(privateJwk, new TokenClaims(subject, role, null, null, null, AccessTokens.NewTokenId(), now.AddMinutes(-1), now.AddHours(6)));
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private sealed record Tokens(string Auditor, string Admin, string Agent);
}

/// <summary>How long the start-up deadline sweep (every officer grain with an open deadline activated) took after the host started.</summary>
internal sealed record SweepFigures(string Message, TimeSpan Elapsed, double WorkingSetMb, double ManagedHeapMb);

/// <summary>CPU this process used in cores over <paramref name="Seconds"/> without requests.</summary>
internal sealed record RestFigures(double Seconds, double Cores);
