using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Runtime;
using System.Text.Json.Nodes;
using HdrHistogram;
using Helpline.Access.Tokens;
using Helpline.Host;
using Helpline.LoadTests.AccessBenchmark;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Helpline.LoadTests.GraphQLBenchmark;

/// <summary>
/// Issue 16's performance goals for the GraphQL API: a lookup over GraphQL against a plain JSON endpoint in the same
/// run, and the latency of subscriptions' events from their commit. See load-tests/README.md, "GraphQL benchmark".
/// </summary>
internal static class GraphQLBenchCommand
{
    private const int ScopeCount = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var a = GraphQLBenchArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (a is null)
        {
            if (error is null)
            {
                Console.WriteLine(GraphQLBenchArguments.Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"graphql-bench: {error}\n\n{GraphQLBenchArguments.Usage}");
            return 1;
        }

        var elapsed = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{elapsed.Elapsed:mm\\:ss\\.f}] {message}");
        BenchDatabase? database = null;
        try
        {
            Console.WriteLine($"graphql-bench: {Machine()}");
            database = await BenchDatabase.CreateAsync(a.AdminConnectionString, "graphql_bench_");
            Log($"database {database.Name} created");
            var (privateJwk, publicJwk) = AccessTokens.GenerateKey("graphql-bench-" + Guid.NewGuid().ToString("N")[..8]);
            await using var host = new RunningHost(await StartHostAsync(database.ConnectionString, publicJwk));
            var hostAddress = new Uri(host.App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
            await using var plain = await PlainEndpoint.StartAsync(database.ConnectionString);
            Log($"host at {hostAddress}, plain endpoint at {plain.Address}");

            using var http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = a.Clients + 8,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
            })
            { BaseAddress = hostAddress, Timeout = TimeSpan.FromSeconds(30) };

            var scopes = await AccessBenchSeeder.ScopesAsync(database.ConnectionString, ScopeCount);
            if (scopes.Count == 0)
            {
                throw new InvalidOperationException("The reference data has no block seat with a category it resolves.");
            }

            var seedTime = Stopwatch.StartNew();
            var grievances = await new AccessBenchSeeder(http, privateJwk).RegisterAsync(scopes, a.Grievances);
            Log($"{grievances.Count:N0} grievances registered through registerGrievance in {seedTime.Elapsed.TotalSeconds:0.0} s over {scopes.Count} district + department scopes");
            await WaitForReadModelAsync(database.ConnectionString, grievances, Log);

            var load = new LookupLoad(http, new Uri(hostAddress, "/graphql"), plain.Address, grievances, a.Clients);
            await VerifyAsync(load, grievances.Count);
            Log("every grievance answers right from both servers, with the same status and timeline length");

            var warm = Stopwatch.StartNew();
            while (warm.Elapsed < TimeSpan.FromSeconds(a.WarmupSeconds))
            {
                var wa = await load.RunAsync(Lookup.GraphQL, 0, TimeSpan.FromSeconds(2.5), measured: false);
                var wb = await load.RunAsync(Lookup.Plain, 0, TimeSpan.FromSeconds(2.5), measured: false);
                Log($"warm-up: A {wa.RequestsPerSecond:N0} req/s, B {wb.RequestsPerSecond:N0} req/s");
            }

            var phases = new List<LookupPhase>();
            for (var i = 1; i <= a.Phases; i++)
            {
                foreach (var server in new[] { Lookup.GraphQL, Lookup.Plain })
                {
                    var p = await load.RunAsync(server, i, TimeSpan.FromSeconds(a.PhaseSeconds), measured: true);
                    phases.Add(p);
                    Log($"phase {i} {Letter(server)}: {p.Requests:N0} requests in {p.Elapsed.TotalSeconds:0.00} s = {p.RequestsPerSecond:N1}/s, " +
                        $"CPU {p.Cpu.TotalMicroseconds / Math.Max(1, p.Requests):N0} us/request{(p.Failures > 0 ? $", {p.Failures:N0} FAILED" : "")}");
                }
            }

            var lookupLoad = LoadAverage();
            var typename = await load.RunAsync(Lookup.Typename, 1, TimeSpan.FromSeconds(a.PhaseSeconds), measured: true);
            Log($"diagnostic {{ __typename }}: {typename.Requests:N0} requests = {typename.RequestsPerSecond:N1}/s, CPU {typename.Cpu.TotalMicroseconds / Math.Max(1, typename.Requests):N0} us/request");
            PrintLookup(Console.Out, a, phases, typename, load, lookupLoad);

            SubscriptionResult? subs = null;
            if (a.Subscribers > 0)
            {
                var admin = AccessBenchSeeder.Mint(privateJwk, "graphql-bench-admin", Role.Administrator, null, null);
                var agent = "Bearer " + AccessBenchSeeder.Mint(privateJwk, "graphql-bench-agent", Role.Agent, null, null);
                subs = await new SubscriptionLoad(hostAddress, http, admin, agent, scopes[0]).RunAsync(a.Subscribers, a.Rate, TimeSpan.FromSeconds(a.RegisterSeconds), Log);
                PrintSubscriptions(Console.Out, subs, LoadAverage());
            }

            var failures = phases.Sum(p => p.Failures) + typename.Failures;
            if (failures > 0)
            {
                await Console.Error.WriteLineAsync($"graphql-bench: {failures:N0} lookups answered wrong; the first: {load.FirstFailure}");
                return 2;
            }

            if (subs is { Lost: > 0 } or { Duplicates: > 0 })
            {
                await Console.Error.WriteLineAsync($"graphql-bench: {subs.Lost:N0} deliveries lost, {subs.Duplicates:N0} duplicated");
                return 2;
            }

            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or HttpRequestException or WebSocketException)
        {
            await Console.Error.WriteLineAsync($"graphql-bench: stopped: {ex.Message}");
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
                // Measured is what a request costs, not the partner's rate limit (50 a second).
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

    /// <summary>The plain endpoint reads the read model, which the projection fills after the registration answers.</summary>
    private static async Task WaitForReadModelAsync(string connectionString, IReadOnlyList<SeededGrievance> grievances, Action<string> log)
    {
        var references = grievances.Select(g => g.ReferenceNumber).ToArray();
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var cmd = new NpgsqlCommand(
                "select count(*) from grievances.grievance g where g.reference_number = any($1) and exists (select from grievances.timeline_event t where t.reference_number = g.reference_number)", conn);
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = references });
            var projected = (long)(await cmd.ExecuteScalarAsync())!;
            if (projected == references.Length)
            {
                log($"read model holds all {projected:N0} with their timelines after {clock.Elapsed.TotalSeconds:0.0} s");
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new InvalidOperationException($"The read model holds {projected} of {references.Length} grievances after 120 s.");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Every grievance answers right from both servers, and both say the same status and timeline length.</summary>
    private static async Task VerifyAsync(LookupLoad load, int count)
    {
        var problems = 0;
        string? first = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
        {
            var (sa, ba) = await load.SendRawAsync(Lookup.GraphQL, n);
            var (sb, bb) = await load.SendRawAsync(Lookup.Plain, n);
            var okA = await load.SendAsync(Lookup.GraphQL, n);
            var okB = await load.SendAsync(Lookup.Plain, n);
            var ga = sa == HttpStatusCode.OK ? JsonNode.Parse(ba)?["data"]?["grievance"] : null;
            var gb = sb == HttpStatusCode.OK ? JsonNode.Parse(bb) : null;
            var same = ga is not null && gb is not null
                && string.Equals(Word(ga["status"]), Word(gb["status"]), StringComparison.OrdinalIgnoreCase)
                && ga["timeline"]?.AsArray().Count == gb["timeline"]?.AsArray().Count
                && ga["level"]?.GetValue<int>() == gb["level"]?.GetValue<int>();
            if (!okA || !okB || !same)
            {
                Interlocked.Increment(ref problems);
                Interlocked.CompareExchange(ref first, $"A: {LookupLoad.Cut(System.Text.Encoding.UTF8.GetString(ba))} B: {LookupLoad.Cut(System.Text.Encoding.UTF8.GetString(bb))}", null);
            }
        });
        if (problems > 0)
        {
            throw new InvalidOperationException($"{problems} of {count} grievances did not answer the same from both servers; the first: {first} {load.FirstFailure}");
        }
    }

    private static string Word(JsonNode? node) => (node?.GetValue<string>() ?? "").Replace("_", "", StringComparison.Ordinal);

    private static void PrintLookup(TextWriter o, GraphQLBenchArguments a, IReadOnlyList<LookupPhase> phases, LookupPhase typename, LookupLoad load, string loadAverage)
    {
        static double Rate(IEnumerable<LookupPhase> ps) => ps.Sum(p => p.Requests) / ps.Sum(p => p.Elapsed.TotalSeconds);
        static double Cpu(IEnumerable<LookupPhase> ps) => ps.Sum(p => p.Cpu.TotalMicroseconds) / Math.Max(1, ps.Sum(p => p.Requests));
        var graphql = phases.Where(p => p.Server == Lookup.GraphQL).ToList();
        var plain = phases.Where(p => p.Server == Lookup.Plain).ToList();
        var ratio = Rate(graphql) / Rate(plain);
        o.WriteLine();
        o.WriteLine(Inv($"lookups: {a.Clients} clients, {a.Phases} phases of {a.PhaseSeconds} s each, A B A B ..., after {a.WarmupSeconds} s of warm-up; load average {loadAverage}"));
        o.WriteLine("  server                                     req/s   p50 ms   p99 ms   max ms  CPU us/req  failed");
        foreach (var (name, ps, server) in new[] { ("A grievance(referenceNumber) over GraphQL", graphql, Lookup.GraphQL), ("B plain minimal-API JSON endpoint", plain, Lookup.Plain) })
        {
            var h = load.Latency[server];
            o.WriteLine(Inv($"  {name,-41} {Rate(ps),7:N0} {Ms(h, 50),8:0.00} {Ms(h, 99),8:0.00} {h.GetMaxValue() / 1000.0,8:0.0} {Cpu(ps),11:N0} {ps.Sum(p => p.Failures),7:N0}"));
        }

        var t = load.Latency[Lookup.Typename];
        o.WriteLine(Inv($"  {"diagnostic: { __typename }, same token",-41} {typename.RequestsPerSecond,7:N0} {Ms(t, 50),8:0.00} {Ms(t, 99),8:0.00} {t.GetMaxValue() / 1000.0,8:0.0} {Cpu([typename]),11:N0} {typename.Failures,7:N0}   (after the phases)"));
        o.WriteLine("  per pair A/B: " + string.Join(", ", graphql.Zip(plain, (x, y) => Inv($"{x.RequestsPerSecond / y.RequestsPerSecond:0.00}"))));
        o.WriteLine(Inv($"lookup ratio A/B {ratio:0.00} (goal >= {GraphQLBenchArguments.LookupGoal:0.0}): {(ratio >= GraphQLBenchArguments.LookupGoal ? "met" : "missed")}"));
    }

    private static void PrintSubscriptions(TextWriter o, SubscriptionResult s, string loadAverage)
    {
        o.WriteLine();
        o.WriteLine(Inv($"subscriptions: {s.Subscribers:N0} subscribers (grievanceEvents, no filter, administrator) opened in {s.OpenTime.TotalSeconds:0.0} s; {s.Registered:N0} registrations at {s.AchievedRate:0.0}/s over {s.RegisterTime.TotalSeconds:0.0} s; load average {loadAverage}"));
        o.WriteLine(Inv($"  registerGrievance response: p50 {Ms(s.MutationLatency, 50):0.0} ms, p99 {Ms(s.MutationLatency, 99):0.0} ms, max {s.MutationLatency.GetMaxValue() / 1000.0:0.0} ms"));
        o.WriteLine(Inv($"  deliveries: expected {s.Expected:N0}, received {s.Received:N0}, lost {s.Lost:N0}, duplicated {s.Duplicates:N0}; other events read {s.OtherEvents:N0}"));
        o.WriteLine(Inv($"  this process (host and subscribers) used {s.ProcessCores:0.00} cores from the first registration to the last delivery"));
        o.WriteLine(Inv($"  connections at the end: {string.Join(", ", s.Closed.Select(kv => $"{kv.Value:N0} {kv.Key}"))}"));
        o.WriteLine("  latency of REGISTERED events          p50 ms   p99 ms   max ms");
        o.WriteLine(Inv($"  from the mutation's response (commit) {Ms(s.FromResponse, 50),7:0.0} {Ms(s.FromResponse, 99),8:0.0} {s.FromResponse.GetMaxValue() / 1000.0,8:0.0}   ({s.BeforeResponse:N0} arrived before the response: counted as 0)"));
        o.WriteLine(Inv($"  from the mutation's sending           {Ms(s.FromSent, 50),7:0.0} {Ms(s.FromSent, 99),8:0.0} {s.FromSent.GetMaxValue() / 1000.0,8:0.0}"));
        var p99 = Ms(s.FromResponse, 99);
        o.WriteLine(Inv($"subscription p99/100 ms {p99 / GraphQLBenchArguments.LatencyGoalMs:0.00} (from sending {Ms(s.FromSent, 99) / GraphQLBenchArguments.LatencyGoalMs:0.00}): {(p99 <= GraphQLBenchArguments.LatencyGoalMs && s.Lost == 0 ? "met" : "missed")}"));
    }

    private static double Ms(LongHistogram h, double percentile) => h.TotalCount == 0 ? double.NaN : h.GetValueAtPercentile(percentile) / 1000.0;

    private static string Letter(Lookup server) => server == Lookup.GraphQL ? "A" : "B";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return Inv($"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), load {LoadAverage()} at start, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, .NET {Environment.Version}; host, plain endpoint and clients in one process");
    }

    /// <summary>Disposing a started WebApplication does not stop it (nor its silo): stop it first, before the database goes.</summary>
    private sealed class RunningHost(WebApplication app) : IAsyncDisposable
    {
        public WebApplication App => app;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The machine's load averages over 1, 5 and 15 minutes, as /proc/loadavg gives them (the throughput benchmark prints them too).</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
