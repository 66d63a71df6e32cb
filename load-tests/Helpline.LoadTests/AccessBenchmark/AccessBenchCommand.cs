using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text;
using Helpline.Access.Tokens;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.LoadTests.AccessBenchmark;

/// <summary>
/// Issue 11's performance goal: checking identity and scope costs under 10% of the requests/s of
/// <c>grievance(referenceNumber)</c>, against the same query without the checks, in the same run. See
/// load-tests/README.md, "Access benchmark".
/// </summary>
internal static class AccessBenchCommand
{
    private const int ScopeCount = 4;

    /// <summary>The JIT counts as done with the hot code when it compiles fewer methods than this in 5 s of load.</summary>
    private const int QuietJitMethods = 25;

    public static async Task<int> RunAsync(string[] args)
    {
        var a = AccessBenchArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (a is null)
        {
            if (error is null)
            {
                Console.WriteLine(AccessBenchArguments.Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"access-bench: {error}\n\n{AccessBenchArguments.Usage}");
            return 1;
        }

        var elapsed = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{elapsed.Elapsed:mm\\:ss\\.f}] {message}");
        BenchDatabase? database = null;
        try
        {
            var machine = Machine();
            Log($"access-bench: {machine}");
            database = await BenchDatabase.CreateAsync(a.AdminConnectionString, "access_bench_");
            Log($"database {database.Name} created");
            var (privateJwk, publicJwk) = AccessTokens.GenerateKey("access-bench-" + Guid.NewGuid().ToString("N")[..8]);
            await using var host = await AccessBenchHost.StartAsync(database.ConnectionString, publicJwk);
            Log($"host started at {host.Address} (migrations, reference data, silo)");

            using var http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = a.Clients + 8,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
            })
            { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(30) };

            var scopes = await AccessBenchSeeder.ScopesAsync(database.ConnectionString, ScopeCount);
            if (scopes.Count == 0)
            {
                throw new InvalidOperationException("The reference data has no block seat with a category it resolves.");
            }

            var seeder = new AccessBenchSeeder(http, privateJwk);
            var seedTime = Stopwatch.StartNew();
            var grievances = await seeder.RegisterAsync(scopes, a.Grievances);
            Log($"{grievances.Count} grievances registered with an agent token in {seedTime.Elapsed.TotalSeconds:0.0} s over {scopes.Count} scopes: " +
                string.Join(", ", scopes.Select(s => $"{s.DistrictId} + {s.DepartmentId}")));

            var load = new ReadLoad(http, grievances, a.Clients);
            await VerifyAsync(load, grievances.Count);
            var probe = await ProbeAsync(load, grievances, scopes, privateJwk);
            Log($"every grievance answers in both variants; A's path: role rule {probe.RoleRule}; scope {probe.Scope}; personal data {probe.PersonalData}");

            var authenticatorMicros = await AuthenticatorMicrosAsync(host.Services, grievances[0].PartnerAuthorization);
            Log($"the authenticator alone, partner token (verified, cached), one thread: {authenticatorMicros:0.00} us a call (best of 5 x 20,000)");

            var rest = await RestingCoresAsync(TimeSpan.FromSeconds(3));
            Log($"this process at rest (no requests): {rest:0.00} cores");

            var warmup = await WarmUpAsync(load, a, Log);

            var rounds = new List<RoundResult>();
            var round = TimeSpan.FromSeconds(a.RoundSeconds);
            for (var i = 1; i <= a.Rounds; i++)
            {
                // A B, then B A: a drift of the machine's speed during the run favours neither variant.
                foreach (var variant in i % 2 == 1 ? new[] { Variant.Checked, Variant.Bypassed } : [Variant.Bypassed, Variant.Checked])
                {
                    var r = await load.RunAsync(variant, i, round, measured: true);
                    rounds.Add(r);
                    Log($"round {i} {(variant == Variant.Checked ? "A" : "B")}: {r.Requests:N0} requests in {r.Elapsed.TotalSeconds:0.00} s = {r.RequestsPerSecond:N1}/s, " +
                        $"CPU {r.CpuMicrosPerRequest:N0} us/request, other processes {r.OtherCores:0.00} cores{(r.Failures > 0 ? $", {r.Failures:N0} FAILED" : "")}");
                }
            }

            var report = new AccessBenchReport(a, machine, grievances.Count, scopes.Count, probe, rounds, load.Latency, LoadAverage(), authenticatorMicros, rest, warmup);
            report.Print(Console.Out);
            if (report.Failures > 0)
            {
                await Console.Error.WriteLineAsync($"access-bench: {report.Failures:N0} requests failed; the first: {load.FirstFailure}");
                return 2;
            }

            return a.Check && !report.GoalMet ? 3 : 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"access-bench: stopped: {ex.Message}");
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

    /// <summary>
    /// Load in slices of A then B (2.5 s each, logged) for at least --warmup-seconds and until the JIT is done with the
    /// hot code: the host runs it unoptimised at first (tiered compilation with PGO), and on a busy 2-core machine it
    /// took 60-90 s of load, with a plateau on the way, for the CPU a request takes to fall from about 2,200 to about
    /// 450 us. Settled: fewer than <see cref="QuietJitMethods"/> methods compiled in each of the last two slice pairs,
    /// and their CPU per request within 15% of each other. Gives up settling at --warmup-max-seconds.
    /// </summary>
    private static async Task<WarmUp> WarmUpAsync(ReadLoad load, AccessBenchArguments a, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var cpu = new List<double>();
        var jitted = new List<long>();
        var slice = TimeSpan.FromSeconds(2.5);
        while (true)
        {
            var settled = jitted.Count >= 2 && jitted[^2..].All(n => n < QuietJitMethods) && cpu[^2..].Max() <= cpu[^2..].Min() * 1.15;
            if (clock.Elapsed >= TimeSpan.FromSeconds(a.WarmupSeconds) && (settled || clock.Elapsed >= TimeSpan.FromSeconds(a.WarmupMaxSeconds)))
            {
                return new WarmUp(clock.Elapsed, settled);
            }

            var methods = System.Runtime.JitInfo.GetCompiledMethodCount();
            var wa = await load.RunAsync(Variant.Checked, 0, slice, measured: false);
            var wb = await load.RunAsync(Variant.Bypassed, 0, slice, measured: false);
            jitted.Add(System.Runtime.JitInfo.GetCompiledMethodCount() - methods);
            cpu.Add((wa.Cpu + wb.Cpu).TotalMicroseconds / Math.Max(1, wa.Requests + wb.Requests));
            log($"warm-up: A {wa.RequestsPerSecond:N0} req/s, B {wb.RequestsPerSecond:N0} req/s; CPU {cpu[^1]:N0} us/request; {jitted[^1]:N0} methods compiled");
        }
    }

    /// <summary>CPU this process uses while no request is sent (the host's background work), in cores.</summary>
    private static async Task<double> RestingCoresAsync(TimeSpan span)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        await Task.Delay(span);
        process.Refresh();
        return (process.TotalProcessorTime - before) / span;
    }

    /// <summary>Every grievance answers in both variants before anything is measured.</summary>
    private static async Task VerifyAsync(ReadLoad load, int count)
    {
        foreach (var variant in new[] { Variant.Checked, Variant.Bypassed })
        {
            var ok = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
            {
                if (await load.SendAsync(variant, n))
                {
                    Interlocked.Increment(ref ok);
                }
            });
            if (ok != count)
            {
                throw new InvalidOperationException($"{count - ok} of {count} grievances did not answer as variant {variant}; the first: {load.FirstFailure}");
            }
        }
    }

    /// <summary>What variant A's path enforces on this build: the role rule, the scope, the masking.</summary>
    private static async Task<PathProbe> ProbeAsync(ReadLoad load, IReadOnlyList<SeededGrievance> grievances, IReadOnlyList<ScopeTarget> scopes, string privateJwk)
    {
        var first = grievances[0];
        var register = Encoding.UTF8.GetBytes("""{"query":"mutation { registerGrievance(input: {clientRequestId: \"probe\", kind: COMPLAINT, complainant: {name: \"P\", mobile: \"9415000000\"}, jurisdictionId: \"x\", categoryId: \"x\", description: \"x\", channel: PHONE, agentId: \"x\"}) { referenceNumber } }"}""");
        var (roleStatus, roleBody) = await load.SendRawAsync(Variant.Checked, register, first.PartnerAuthorization);
        var roleRule = Code(roleBody) is "FORBIDDEN" ? "on (a partner's registerGrievance: FORBIDDEN)" : $"NOT seen (a partner's registerGrievance: HTTP {(int)roleStatus} {Code(roleBody)})";

        string scope;
        if (scopes.FirstOrDefault(s => s.DistrictId != first.Scope.DistrictId) is { } other)
        {
            var otherToken = "Bearer " + AccessBenchSeeder.PartnerToken(privateJwk, other);
            var (status, body) = await load.SendRawAsync(Variant.Checked, first.Body, otherToken);
            scope = Code(body) is { } code
                ? $"enforced (another district's partner: {code})"
                : $"NOT enforced by grievance() on this build (another district's partner: HTTP {(int)status}, answered)";
        }
        else
        {
            scope = "not probed (one district only)";
        }

        var (_, answer) = await load.SendRawAsync(Variant.Checked, first.Body, first.PartnerAuthorization);
        var personal = Encoding.UTF8.GetString(answer).Contains(AccessBenchSeeder.ComplainantName, StringComparison.Ordinal)
            ? "NOT masked for the partner on this build"
            : "masked for the partner";
        return new PathProbe(roleRule, scope, personal);
    }

    /// <summary>
    /// The registered authenticator's cost for a cached partner token, without HTTP or GraphQL around it: a figure the
    /// machine's noise hardly moves (the best of 5 batches), to set against the CPU a whole request takes.
    /// </summary>
    private static async Task<double> AuthenticatorMicrosAsync(IServiceProvider services, string authorization)
    {
        var authenticator = services.GetRequiredService<ICallerAuthenticator>();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Headers.Authorization = authorization;
        const int batch = 20_000;
        var best = double.MaxValue;
        for (var round = 0; round < 6; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < batch; i++)
            {
                if ((await authenticator.AuthenticateAsync(http)).Caller is not { Role: Role.Partner })
                {
                    throw new InvalidOperationException("The authenticator did not accept the partner token.");
                }
            }

            if (round > 0) // the first batch warms up
            {
                best = Math.Min(best, clock.Elapsed.TotalMicroseconds / batch);
            }
        }

        return best;
    }

    private static string? Code(byte[] body)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(body)?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return "(not JSON)";
        }
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), load {LoadAverage()} at start, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, .NET {Environment.Version}; host and clients in one process");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
