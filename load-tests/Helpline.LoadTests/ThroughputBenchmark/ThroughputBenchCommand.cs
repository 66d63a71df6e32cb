using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using HdrHistogram;
using Helpline.Access.Tokens;
using Helpline.Host;
using Helpline.LoadTests.AccessBenchmark;
using Helpline.LoadTests.GraphQLBenchmark;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Npgsql;

namespace Helpline.LoadTests.ThroughputBenchmark;

/// <summary>
/// Issue 17's goals for registrations and lookups, each against PostgreSQL's own figure on the same server in the
/// same run. See load-tests/README.md, "Throughput benchmark".
/// </summary>
internal static class ThroughputBenchCommand
{
    private const int ScopeCount = 8;
    private const int LookupSet = 3000;

    public static async Task<int> RunAsync(string[] args)
    {
        var a = ThroughputBenchArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (a is null)
        {
            if (error is null)
            {
                Console.WriteLine(ThroughputBenchArguments.Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"throughput-bench: {error}\n\n{ThroughputBenchArguments.Usage}");
            return 1;
        }

        if (a.CheckOnly)
        {
            Console.WriteLine($"throughput-bench: the options are good{(a.ReplayFile is { } file ? $", and {file} reads as a Boston 311 export" : "")}");
            return 0;
        }

        var elapsed = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{elapsed.Elapsed:mm\\:ss\\.f}] {message}");
        using var interrupt = new BenchInterrupt(a.KeepDatabase);
        BenchDatabase? database = null;
        try
        {
            Console.WriteLine($"throughput-bench: {Machine()}");
            database = await BenchDatabase.CreateAsync(a.AdminConnectionString, "throughput_bench_");
            interrupt.Track(database);
            Log($"database {database.Name} created");
            var (privateJwk, publicJwk) = AccessTokens.GenerateKey("throughput-bench-" + Guid.NewGuid().ToString("N")[..8]);
            await using var host = await BenchHostProcess.StartAsync(database.ConnectionString, publicJwk);
            interrupt.Track(host);
            await using var plain = await PlainEndpoint.StartAsync(database.ConnectionString);
            var pgbench = new PgBench(database.ConnectionString);
            await pgbench.InitialiseAsync();
            await using var data = NpgsqlDataSource.Create(database.ConnectionString);
            Log($"host at {host.Address}, plain endpoint at {plain.Address}, pgbench tables created");

            if (a.ReplayFile is not null)
            {
                return await ReplayColdThenWarmAsync(a, host, privateJwk, publicJwk, pgbench, data, interrupt, Log);
            }

            using var http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = a.Clients + 8,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
            })
            { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(60) };

            var scopes = await AccessBenchSeeder.ScopesAsync(database.ConnectionString, ScopeCount);
            if (scopes.Count == 0)
            {
                throw new InvalidOperationException("The reference data has no block seat with a category it resolves.");
            }

            var agent = "Bearer " + AccessBenchSeeder.Mint(privateJwk, "throughput-bench-agent", Role.Agent, null, null);
            var registrations = new RegistrationLoad(http, agent, scopes, a.Clients);
            var phase = TimeSpan.FromSeconds(a.PhaseSeconds);
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed < TimeSpan.FromSeconds(a.WarmupSeconds))
            {
                var w = await registrations.RunAsync(0, TimeSpan.FromSeconds(5), measured: false);
                Log($"warm-up: {w.PerSecond:N0} registrations/s{(w.Failures > 0 ? $", {w.Failures} FAILED: {registrations.FirstFailure}" : "")}");
            }

            // A fresh database has no statistics until autovacuum first visits it, which may be after the run. A
            // statement prepared before then keeps the plan it got for empty tables: in 2 runs of 7 the complaint
            // limit's count read the month's registrations through their time index (1.2 ms and 960 pages a count
            // instead of 9 us and 2), and those runs measured a fifth fewer registrations. A helpline in service
            // has statistics; analysing replans the prepared statements, so the phases measure that.
            await using (var analyze = data.CreateCommand("analyze"))
            {
                analyze.CommandTimeout = 300;
                await analyze.ExecuteNonQueryAsync();
            }

            Log("statistics gathered (analyze) after the warm-up");
            var meter = new CpuMeter(data);
            var rows = new List<(RegistrationPhase A, double B, CpuFigures Cpu)>();
            for (var i = 1; i <= a.Phases; i++)
            {
                var before = await meter.TakeAsync();
                var p = await registrations.RunAsync(i, phase, measured: true);
                var cpu = await meter.SinceAsync(before);
                var tps = await pgbench.SimpleUpdateAsync(a.Clients, phase);
                rows.Add((p, tps, cpu));
                Log($"phase {i}: A {p.PerSecond:N1} registrations/s (host CPU {Per(cpu.HostSeconds, p.Acknowledged)} us, PostgreSQL {Per(cpu.PostgresSeconds, p.Acknowledged)} us each), B pgbench -N {tps:N0} tps{(p.Failures > 0 ? $", {p.Failures:N0} FAILED: {registrations.FirstFailure}" : "")}");
            }

            var registrationLoad = LoadAverage();
            var missing = await WaitForReadModelAsync(data, registrations.Acknowledged, Log);
            PrintRegistrations(Console.Out, a, rows, registrations, missing, registrationLoad);

            LookupResult? lookups = null;
            if (!a.SkipLookups)
            {
                lookups = await RunLookupsAsync(a, http, host.Address, plain.Address, pgbench, data, scopes, privateJwk, Log);
                PrintLookups(Console.Out, a, lookups);
            }

            SustainedResult? sustained = null;
            if (a.SustainMinutes > 0)
            {
                sustained = await SustainedIntake.RunAsync(registrations, TimeSpan.FromMinutes(a.SustainMinutes), data, host.Grains, Log);
                PrintSustained(Console.Out, a, sustained);
            }

            var failed = rows.Sum(r => r.A.Failures) + (lookups?.Failures ?? 0) + (sustained?.Failures ?? 0);
            missing += sustained?.Missing ?? 0;
            if (sustained is { OfficersDisagreeing: > 0 })
            {
                await Console.Error.WriteLineAsync($"throughput-bench: {sustained.OfficersDisagreeing:N0} officers' grains do not hold exactly their open grievances with deadlines");
                return 2;
            }

            if (failed > 0 || missing > 0)
            {
                await Console.Error.WriteLineAsync($"throughput-bench: {failed:N0} requests answered wrong, {missing:N0} acknowledged registrations missing from the read model; the first: {registrations.FirstFailure ?? lookups?.FirstFailure}");
                return 2;
            }

            return 0;
        }
        catch (Exception) when (BenchInterrupt.Interrupted)
        {
            // The hosts were stopped under the phases: whatever failed, the interrupt says why the run ended.
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"throughput-bench: stopped: {ex.Message}");
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

    // Cold: into the database as fresh as the host left it, through a service that has done nothing yet. Warm: the
    // first host stopped, into a second fresh database through a second host in this process, which runs the code the
    // first one compiled (a fresh process spends about a third of its CPU during a 50,000-record replay compiling and
    // running code not yet optimised).
    private static async Task<int> ReplayColdThenWarmAsync(
        ThroughputBenchArguments a, BenchHostProcess host, string privateJwk, string publicJwk, PgBench pgbench, NpgsqlDataSource data,
        BenchInterrupt interrupt, Action<string> log)
    {
        var cold = await ReplayPhase.RunAsync(a, host.Address, privateJwk, pgbench, new CpuMeter(data), "cold", log);
        if (!cold.Completed)
        {
            return ReplayPhase.Print([cold], Console.Out);
        }

        await host.DisposeAsync();
        var second = await BenchDatabase.CreateAsync(a.AdminConnectionString, "throughput_bench_");
        interrupt.Track(second);
        try
        {
            await using var warmHost = await BenchHostProcess.StartAsync(second.ConnectionString, publicJwk);
            interrupt.Track(warmHost);
            await using var secondData = NpgsqlDataSource.Create(second.ConnectionString);
            log($"database {second.Name} created, a second host at {warmHost.Address}");
            var warm = await ReplayPhase.RunAsync(a, warmHost.Address, privateJwk, pgbench, new CpuMeter(secondData), "warm", log);
            return ReplayPhase.Print([cold, warm], Console.Out);
        }
        finally
        {
            if (a.KeepDatabase)
            {
                log($"database {second.Name} kept");
            }
            else
            {
                await second.DisposeAsync();
            }
        }
    }

    private static async Task<LookupResult> RunLookupsAsync(
        ThroughputBenchArguments a, HttpClient http, Uri hostAddress, Uri plainAddress, PgBench pgbench, NpgsqlDataSource data,
        IReadOnlyList<ScopeTarget> scopes, string privateJwk, Action<string> log)
    {
        var partners = scopes.ToDictionary(s => (s.BlockId, s.DepartmentId), s => "Bearer " + AccessBenchSeeder.PartnerToken(privateJwk, s));
        var seeded = new List<SeededGrievance>();
        await using (var cmd = data.CreateCommand("select reference_number, jurisdiction_id, department_id from grievances.grievance order by md5(reference_number) limit $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LookupSet });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var scope = scopes.First(s => s.BlockId == reader.GetString(1) && s.DepartmentId == reader.GetString(2));
                seeded.Add(new SeededGrievance(reader.GetString(0), scope, partners[(scope.BlockId, scope.DepartmentId)], AccessBenchSeeder.Body(reader.GetString(0))));
            }
        }

        var load = new LookupLoad(http, new Uri(hostAddress, "/graphql"), plainAddress, seeded, a.Clients);
        var references = seeded.Select(s => s.ReferenceNumber).ToArray();
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(a.WarmupSeconds))
        {
            var wa = await load.RunAsync(Lookup.GraphQL, 0, TimeSpan.FromSeconds(2.5), measured: false);
            var wb = await load.RunAsync(Lookup.Plain, 0, TimeSpan.FromSeconds(2.5), measured: false);
            log($"lookup warm-up: A {wa.RequestsPerSecond:N0} req/s, B {wb.RequestsPerSecond:N0} req/s");
        }

        var phases = new List<(LookupPhase A, LookupPhase B, double C)>();
        var phase = TimeSpan.FromSeconds(a.PhaseSeconds);
        for (var i = 1; i <= a.Phases; i++)
        {
            var pa = await load.RunAsync(Lookup.GraphQL, i, phase, measured: true);
            var pb = await load.RunAsync(Lookup.Plain, i, phase, measured: true);
            var pc = await pgbench.SelectRowAsync(references, a.Clients, phase);
            phases.Add((pa, pb, pc));
            log($"lookup phase {i}: A {pa.RequestsPerSecond:N0} req/s, B {pb.RequestsPerSecond:N0} req/s, C pgbench select {pc:N0} tps");
        }

        return new LookupResult(phases, load.Latency[Lookup.GraphQL], load.Latency[Lookup.Plain], phases.Sum(p => p.A.Failures + p.B.Failures), load.FirstFailure, LoadAverage());
    }

    /// <summary>How many acknowledged registrations the read model still lacks after waiting up to 120 s.</summary>
    internal static async Task<long> WaitForReadModelAsync(NpgsqlDataSource data, long acknowledged, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var cmd = data.CreateCommand("select count(*) from grievances.grievance g where exists (select from grievances.timeline_event t where t.reference_number = g.reference_number)");
            var projected = (long)(await cmd.ExecuteScalarAsync())!;
            if (projected >= acknowledged || clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                log($"read model holds {projected:N0} grievances with their timelines; {acknowledged:N0} registrations were acknowledged");
                return Math.Max(0, acknowledged - projected);
            }

            await Task.Delay(250);
        }
    }

    private static void PrintRegistrations(TextWriter o, ThroughputBenchArguments a, List<(RegistrationPhase A, double B, CpuFigures Cpu)> rows, RegistrationLoad load, long missing, string loadAverage)
    {
        var rate = rows.Sum(r => r.A.Acknowledged) / rows.Sum(r => r.A.Elapsed.TotalSeconds);
        var tps = rows.Average(r => r.B);
        var ratio = rate / tps;
        var acknowledged = rows.Sum(r => r.A.Acknowledged);
        o.WriteLine();
        o.WriteLine(Inv($"registrations: {a.Clients} clients, {a.Phases} phases of {a.PhaseSeconds} s each, A B A B ..., after {a.WarmupSeconds} s of warm-up; load average {loadAverage}"));
        o.WriteLine("  A durable registerGrievance over GraphQL      per s   p50 ms   p99 ms  host CPU us  PostgreSQL CPU us  failed");
        o.WriteLine(Inv($"  {"",-43} {rate,7:N0} {Ms(load.Latency, 50),8:0.00} {Ms(load.Latency, 99),8:0.00} {Per(rows.Sum(r => r.Cpu.HostSeconds), acknowledged),12} {Per(rows.Sum(r => r.Cpu.PostgresSeconds ?? 0), acknowledged),18} {rows.Sum(r => r.A.Failures),7:N0}"));
        o.WriteLine(Inv($"  B pgbench -N, {a.Clients} clients                     {tps,7:N0} tps"));
        o.WriteLine("  per pair A/B: " + string.Join(", ", rows.Select(r => Inv($"{r.A.PerSecond / r.B:0.000}"))));
        o.WriteLine(Inv($"  every acknowledged registration in the read model: {(missing == 0 ? "yes" : $"NO, {missing:N0} missing")}"));
        o.WriteLine(Inv($"registration ratio A/B {ratio:0.000} (goal >= {ThroughputBenchArguments.RegistrationGoal:0.00}): {(ratio >= ThroughputBenchArguments.RegistrationGoal && missing == 0 ? "met" : "missed")}"));
    }

    private static void PrintLookups(TextWriter o, ThroughputBenchArguments a, LookupResult r)
    {
        var rateA = r.Phases.Sum(p => p.A.Requests) / r.Phases.Sum(p => p.A.Elapsed.TotalSeconds);
        var rateB = r.Phases.Sum(p => p.B.Requests) / r.Phases.Sum(p => p.B.Elapsed.TotalSeconds);
        var rateC = r.Phases.Average(p => p.C);
        o.WriteLine();
        o.WriteLine(Inv($"lookups: {a.Clients} clients, {a.Phases} phases of {a.PhaseSeconds} s each, A B C A B C ...; load average {r.LoadAverage}"));
        o.WriteLine(Inv($"  A grievance(referenceNumber) with timeline, GraphQL  {rateA,8:N0} req/s  p50 {Ms(r.GraphQL, 50):0.00} ms  p99 {Ms(r.GraphQL, 99):0.00} ms"));
        o.WriteLine(Inv($"  B plain minimal-API JSON endpoint, same data       {rateB,8:N0} req/s  p50 {Ms(r.Plain, 50):0.00} ms  p99 {Ms(r.Plain, 99):0.00} ms"));
        o.WriteLine(Inv($"  C pgbench selecting the same row                   {rateC,8:N0} tps"));
        o.WriteLine("  per phase A/B, A/C: " + string.Join("; ", r.Phases.Select(p => Inv($"{p.A.RequestsPerSecond / p.B.RequestsPerSecond:0.00}, {p.A.RequestsPerSecond / p.C:0.00}"))));
        o.WriteLine(Inv($"lookup ratio A/B {rateA / rateB:0.00} (goal >= {ThroughputBenchArguments.LookupGoal:0.0}): {(rateA / rateB >= ThroughputBenchArguments.LookupGoal ? "met" : "missed")}"));
        o.WriteLine(Inv($"lookup ratio A/C {rateA / rateC:0.00} (goal >= {ThroughputBenchArguments.SelectGoal:0.00}): {(rateA / rateC >= ThroughputBenchArguments.SelectGoal ? "met" : "missed")}"));
    }

    private static void PrintSustained(TextWriter o, ThroughputBenchArguments a, SustainedResult r)
    {
        static string Mib(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
        o.WriteLine();
        o.WriteLine(Inv($"sustained intake: {a.Clients} clients for {r.Elapsed.TotalMinutes:0.0} min, {r.Acknowledged:N0} registered ({r.Acknowledged / r.Elapsed.TotalSeconds:N0}/s), {r.Failures:N0} failed; load average {LoadAverage()}"));
        o.WriteLine("  RSS of this process (host, clients and all) every minute: " + string.Join(", ", r.Samples.Where((_, i) => i % 6 == 5).Select(x => (x.Rss / 1048576.0).ToString("N0", CultureInfo.InvariantCulture))) + " MiB");
        o.WriteLine(Inv($"  RSS at the start {Mib(r.StartRss)}, peak {Mib(r.PeakRss)}, at the end {Mib(r.EndRss)}"));
        o.WriteLine(Inv($"  read model: {(r.Missing == 0 ? "every registration" : $"{r.Missing:N0} MISSING")}; officers' grains: {r.OfficersChecked:N0} officers, {r.TrackedByOfficers:N0} tracked of {r.OpenInReadModel:N0} open, {(r.OfficersDisagreeing == 0 ? "all agree, every deadline armed" : $"{r.OfficersDisagreeing:N0} DISAGREE")}"));
        var met = r.PeakRss < ThroughputBenchArguments.MemoryGoalBytes && r.Missing == 0 && r.OfficersDisagreeing == 0;
        o.WriteLine(Inv($"peak RSS / 4 GiB {(double)r.PeakRss / ThroughputBenchArguments.MemoryGoalBytes:0.00}: {(met ? "met" : "missed")}"));
    }

    private static string Per(double? seconds, long count) =>
        seconds is { } s && count > 0 ? (s * 1_000_000 / count).ToString("N0", CultureInfo.InvariantCulture) : "-";

    private static double Ms(LongHistogram h, double percentile) => h.TotalCount == 0 ? double.NaN : h.GetValueAtPercentile(percentile) / 1000.0;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return Inv($"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), load {LoadAverage()} at start, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, .NET {Environment.Version}; host, plain endpoint and HTTP clients in one process, pgbench a child");
    }

    private static string LoadAverage() => GraphQLBenchCommand.LoadAverage();

    private sealed record LookupResult(List<(LookupPhase A, LookupPhase B, double C)> Phases, LongHistogram GraphQL, LongHistogram Plain, long Failures, string? FirstFailure, string LoadAverage);

    /// <summary>The real host in this process (one silo), trusting one generated key, rate limits off. Stopped before the database goes.</summary>
    private sealed class BenchHostProcess(WebApplication app, Uri address) : IAsyncDisposable
    {
        public Uri Address => address;

        public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

        public static async Task<BenchHostProcess> StartAsync(string connectionString, string trustedPublicJwk)
        {
            var builder = HelplineHost.CreateBuilder(
                [
                    $"--HELPLINE_DB={connectionString}",
                    $"--Helpline:SiloPort={BenchHost.FreePort()}",
                    $"--Helpline:GatewayPort={BenchHost.FreePort()}",
                    "--urls=http://127.0.0.1:0",
                    $"--Helpline:Access:TrustedKeys:0={trustedPublicJwk}",
                    // Measured is what a request costs, not an agent's or partner's rate limit.
                    "--Helpline:GraphQL:RateLimits:Enabled=false",
                    // The service's own log levels (src/Host/appsettings.json, which is not in this process's content
                    // root): what a registration logs is part of its cost.
                    "--Logging:LogLevel:Default=Information",
                    "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
                    "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
                    "--Logging:LogLevel:Orleans=Warning",
                    "--Logging:LogLevel:Quartz=Warning",
                    "--Logging:LogLevel:Polly=Warning",
                    "--Logging:LogLevel:Helpline.Platform.Database.DatabaseMigrator=Warning",
                    "--Logging:LogLevel:System.Net.Http.HttpClient=Warning",
                ],
                b =>
                {
                    b.Logging.ClearProviders();
                    b.Logging.AddSimpleConsole(o => o.SingleLine = true);
                    b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                });
            var app = await HelplineHost.BuildAsync(builder);
            await app.StartAsync();
            var first = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new BenchHostProcess(app, new Uri(first));
        }

        private int _disposed;

        // Once, from whichever asks first: the replay stops the first host before the second starts, an interrupt
        // stops every host, and each host's scope disposes it again.
        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
