using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Helpline.Host;
using Helpline.LoadTests.AccessBenchmark;
using Helpline.LoadTests.AccountabilityBenchmark;
using Helpline.LoadTests.ListBenchmark;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Helpline.LoadTests.DeskBenchmark;

/// <summary>
/// Issue 18's goal: the agent desk's caller history and duplicate hints within 200 ms at p99 with 1,000,000 grievances
/// stored, over GraphQL, beside the same reads straight on PostgreSQL. See load-tests/README.md, "Desk benchmark".
/// </summary>
internal static class DeskBenchCommand
{
    private const double GoalMs = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        var a = DeskBenchArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (a is null)
        {
            if (error is null)
            {
                Console.WriteLine(DeskBenchArguments.Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"desk-bench: {error}\n\n{DeskBenchArguments.Usage}");
            return 1;
        }

        var elapsed = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{elapsed.Elapsed:mm\\:ss\\.f}] {message}");
        BenchDatabase? database = null;
        try
        {
            database = await BenchDatabase.CreateAsync(a.AdminConnectionString, "desk_bench_");
            Log($"desk-bench: {Environment.ProcessorCount} cores; database {database.Name} created");
            return await RunAsync(a, database.ConnectionString, Log, Console.Out) ? 0 : 2;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or TimeoutException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"desk-bench: stopped: {ex.Message}");
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

    /// <summary>Seed, start the service, register the callers, time the desk's request and the reference; false when an answer was wrong.</summary>
    public static async Task<bool> RunAsync(DeskBenchArguments a, string connectionString, Action<string> log, TextWriter output)
    {
        await using var db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 10 }.ConnectionString);
        var migrate = await AccountabilitySeeder.MigrateAsync(db);
        log($"every module's schema in {migrate.TotalSeconds:0.0} s; seeding {a.Grievances:N0} grievances ({a.Open:N0} open)");
        var seed = await ListSeeder.SeedAsync(db, a.Grievances, a.Open, log);
        log($"seeded in {seed.Total.TotalSeconds:0.0} s");

        var (privateJwk, publicJwk) = Helpline.Access.Tokens.AccessTokens.GenerateKey("desk-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var app = await StartHostAsync(connectionString, publicJwk);
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = a.Clients + 8, UseProxy = false, AutomaticDecompression = DecompressionMethods.None })
            { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            var agent = "Bearer " + AccessBenchSeeder.Mint(privateJwk, "desk-bench-agent", Role.Agent, null, null);
            var load = new DeskLoad(http, agent, db);
            var scopes = await AccessBenchSeeder.ScopesAsync(connectionString, 8);
            var sw = Stopwatch.StartNew();
            var callers = await load.RegisterCallersAsync(scopes, a.Callers);
            log($"{a.Callers * DeskLoad.ComplaintsPerCaller:N0} complaints of {a.Callers:N0} callers registered through registerGrievance at {scopes.Count} places in {sw.Elapsed.TotalSeconds:0.0} s");

            for (var i = 0; i < 20; i++)
            {
                var (_, problem) = await load.DeskAsync(callers[i % callers.Count], CancellationToken.None);
                if (problem is not null)
                {
                    throw new InvalidOperationException("warm-up answered wrong: " + problem);
                }
            }

            var times = new ConcurrentBag<TimeSpan>();
            var problems = new ConcurrentQueue<string>();
            var next = -1;
            sw.Restart();
            await Task.WhenAll(Enumerable.Range(0, a.Clients).Select(async _ =>
            {
                for (var n = Interlocked.Increment(ref next); n < a.Runs; n = Interlocked.Increment(ref next))
                {
                    var (latency, problem) = await load.DeskAsync(callers[n % callers.Count], CancellationToken.None);
                    times.Add(latency);
                    if (problem is not null)
                    {
                        problems.Enqueue(problem);
                    }
                }
            }));
            var wall = sw.Elapsed;

            var now = DateTimeOffset.UtcNow.ToOffset(new TimeSpan(5, 30, 0));
            var monthFrom = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, now.Offset);
            var reference = new List<TimeSpan>();
            for (var n = 0; n < Math.Min(a.Runs, 500) + 3; n++)
            {
                var t = await load.ReferenceAsync(callers[n % callers.Count], monthFrom, monthFrom.AddMonths(1), CancellationToken.None);
                if (n >= 3)
                {
                    reference.Add(t);
                }
            }

            var desk = LatencyMs.From(times);
            var plain = LatencyMs.From(reference);
            output.WriteLine($"desk-bench: {seed.Grievances + (a.Callers * DeskLoad.ComplaintsPerCaller):N0} grievances stored ({seed.Grievances:N0} seeded in the read model, {seed.Open:N0} of them open; {a.Callers * DeskLoad.ComplaintsPerCaller:N0} registered through the API by {a.Callers:N0} callers at {scopes.Count} places); {Environment.ProcessorCount} cores; load average {LoadAverage()}");
            output.WriteLine(Inv($"desk request (callerHistory first 10 + callerMonth + possibleDuplicates, one GraphQL document): {a.Runs:N0} runs, {a.Clients} in flight, {a.Runs / wall.TotalSeconds:0.0}/s"));
            output.WriteLine($"{"measure",-44} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8}");
            output.WriteLine(Inv($"{"A desk request over GraphQL",-44} {desk.P50,8:0.0} {desk.P90,8:0.0} {desk.P99,8:0.0} {desk.Max,8:0.0}"));
            output.WriteLine(Inv($"{"B the same reads straight on PostgreSQL",-44} {plain.P50,8:0.0} {plain.P90,8:0.0} {plain.P99,8:0.0} {plain.Max,8:0.0}"));
            output.WriteLine(Inv($"p99 A/B {desk.P99 / Math.Max(0.1, plain.P99):0.0}; p99/goal {desk.P99 / GoalMs:0.00}"));
            foreach (var p in problems.Take(5))
            {
                output.WriteLine("CHECK FAILED: " + p);
            }

            output.WriteLine($"verdict: {(desk.P99 < GoalMs ? "goal met" : "goal missed")}: desk request p99 {desk.P99.ToString("0.0", CultureInfo.InvariantCulture)} ms against {GoalMs} ms; {problems.Count} wrong answers");
            return problems.IsEmpty;
        }
        finally
        {
            // Disposing a started WebApplication does not stop it (nor its silo): stop it first, before the database goes.
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<WebApplication> StartHostAsync(string connectionString, string trustedPublicJwk)
    {
        var builder = HelplineHost.CreateBuilder(
            [
                $"--HELPLINE_DB={connectionString}",
                $"--Helpline:SiloPort={BenchHost.FreePort()}",
                $"--Helpline:GatewayPort={BenchHost.FreePort()}",
                "--urls=http://127.0.0.1:0",
                "--Logging:LogLevel:Default=Warning",
                $"--Helpline:Access:TrustedKeys:0={trustedPublicJwk}",
                "--Helpline:GraphQL:RateLimits:Enabled=false",
            ],
            b =>
            {
                b.Logging.ClearProviders();
                b.Logging.AddSimpleConsole(o => o.SingleLine = true);
            });
        var app = await HelplineHost.BuildAsync(builder);
        await app.StartAsync();
        return app;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
