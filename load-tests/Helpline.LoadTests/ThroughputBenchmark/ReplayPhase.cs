using System.Globalization;
using Helpline.LoadTests.AccessBenchmark;
using Helpline.LoadTests.Replay;
using Helpline.LoadTests.Replay.Sources;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Platform.Access;

namespace Helpline.LoadTests.ThroughputBenchmark;

/// <summary>
/// Issue 17's third goal: a Boston 311 export replayed into the benchmark's fresh database through the host in this
/// process, against <c>pgbench -N</c> on the same server just before it (B, then A).
/// </summary>
internal static class ReplayPhase
{
    public const double Goal = 0.25;

    /// <summary>Runs pgbench, then the replay; prints the figures and answers the exit code (2 when a record failed or a verdict disagreed).</summary>
    public static async Task<int> RunAsync(
        ThroughputBenchArguments a, Uri host, string privateJwk, PgBench pgbench, CpuMeter meter, TextWriter output, Action<string> log)
    {
        var tps = await pgbench.SimpleUpdateAsync(a.Clients, TimeSpan.FromSeconds(a.PhaseSeconds));
        log($"B pgbench -N {tps:N0} tps; replaying {a.ReplayFile}");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host, Timeout = TimeSpan.FromSeconds(120) };
        var token = AccessBenchSeeder.Mint(privateJwk, "throughput-bench-importer", Role.Importer, null, null);
        var before = await meter.TakeAsync();
        var report = await new ReplayRunner(http, new ReplayOptions { Token = token }).RunFileAsync(ReplayFormat.Boston311, a.ReplayFile!, rejectsPath: null);
        var cpu = await meter.SinceAsync(before);

        if (report.FatalError is not null)
        {
            await Console.Error.WriteLineAsync($"throughput-bench: the replay stopped: {report.FatalError}");
        }

        var perSecond = report.Imported / Math.Max(report.ElapsedSeconds, 0.001);
        var ratio = perSecond / tps;
        string Each(double? seconds) => seconds is { } s && report.Imported > 0 ? (s * 1e6 / report.Imported).ToString("N0", CultureInfo.InvariantCulture) : "?";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay: {report.Imported:N0} of {report.Read:N0} records imported in {report.ElapsedSeconds:0.0} s ({perSecond:N0}/s; service CPU {Each(cpu.HostSeconds)} us, PostgreSQL {Each(cpu.PostgresSeconds)} us a record), {report.Rejected:N0} rejected, {report.Failed:N0} failed"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  closed cases against the source's verdicts: {report.Agree:N0} agree, {report.Disagree:N0} disagree"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  B pgbench -N just before, {a.Clients} clients      {tps,9:N0} tps"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay ratio A/B {ratio:0.000} (goal >= {Goal:0.00}): {(ratio >= Goal ? "met" : "missed")}"));
        return report.Failed > 0 || report.FatalError is not null || report.Disagree > 0 ? 2 : 0;
    }
}
