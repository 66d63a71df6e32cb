using System.Globalization;
using Helpline.LoadTests.AccessBenchmark;
using Helpline.LoadTests.Replay;
using Helpline.LoadTests.Replay.Sources;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Platform.Access;

namespace Helpline.LoadTests.ThroughputBenchmark;

/// <summary>
/// Issue 17's third goal: a Boston 311 export replayed into a fresh database through a host in this process, against
/// <c>pgbench -N</c> on the same server just before it (B, then A). It runs twice, each time into a fresh database:
/// cold, through a host that has done nothing yet, then warm, through a second host that runs the code the first one
/// compiled, as a service that has been up does. The goal is judged on the warm run, as registrations and lookups are
/// measured after their warm-up; the cold run is printed beside it.
/// </summary>
internal static class ReplayPhase
{
    public const double Goal = 0.25;

    /// <summary>pgbench, then the replay; the figures are printed by <see cref="Print"/>.</summary>
    public static async Task<ReplayRun> RunAsync(
        ThroughputBenchArguments a, Uri host, string privateJwk, PgBench pgbench, CpuMeter meter, string label, Action<string> log)
    {
        var tps = await pgbench.SimpleUpdateAsync(a.Clients, TimeSpan.FromSeconds(a.PhaseSeconds));
        log($"{label}: B pgbench -N {tps:N0} tps; replaying {a.ReplayFile}");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host, Timeout = TimeSpan.FromSeconds(120) };
        var token = AccessBenchSeeder.Mint(privateJwk, "throughput-bench-importer", Role.Importer, null, null);
        var before = await meter.TakeAsync();
        var report = await new ReplayRunner(http, new ReplayOptions { Token = token }).RunFileAsync(ReplayFormat.Boston311, a.ReplayFile!, rejectsPath: null);
        var run = new ReplayRun(label, report, tps, await meter.SinceAsync(before));
        if (report.FatalError is not null)
        {
            await Console.Error.WriteLineAsync($"throughput-bench: the {label} replay stopped: {report.FatalError}");
        }

        log(string.Create(CultureInfo.InvariantCulture, $"{label}: A {run.PerSecond:N0} records/s, A/B {run.Ratio:0.000}"));
        return run;
    }

    /// <summary>Prints the runs and answers the exit code: 2 when a record failed, a verdict disagreed or a run stopped.</summary>
    public static int Print(IReadOnlyList<ReplayRun> runs, TextWriter output)
    {
        foreach (var run in runs)
        {
            var r = run.Report;
            string Each(double? seconds) => seconds is { } s && r.Imported > 0 ? (s * 1e6 / r.Imported).ToString("N0", CultureInfo.InvariantCulture) : "?";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replay, {run.Label}: {r.Imported:N0} of {r.Read:N0} records imported in {r.ElapsedSeconds:0.0} s ({run.PerSecond:N0}/s; service CPU {Each(run.Cpu.HostSeconds)} us, PostgreSQL {Each(run.Cpu.PostgresSeconds)} us a record), {r.Rejected:N0} rejected, {r.Failed:N0} failed"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  closed cases against the source's verdicts: {r.Agree:N0} agree, {r.Disagree:N0} disagree; B pgbench -N just before: {run.Tps:N0} tps; A/B {run.Ratio:0.000}"));
        }

        var judged = runs[^1];
        var beside = runs.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"; {runs[0].Label} {runs[0].Ratio:0.000}") : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay ratio A/B {judged.Ratio:0.000} ({judged.Label}; goal >= {Goal:0.00}): {(judged.Ratio >= Goal ? "met" : "missed")}{beside}"));
        return runs.Any(x => x.Report.Failed > 0 || x.Report.FatalError is not null || x.Report.Disagree > 0) ? 2 : 0;
    }
}

/// <summary>One replay and the pgbench figure measured just before it.</summary>
internal sealed record ReplayRun(string Label, ReplayReport Report, double Tps, CpuFigures Cpu)
{
    public double PerSecond => Report.Imported / Math.Max(Report.ElapsedSeconds, 0.001);

    public double Ratio => PerSecond / Tps;

    /// <summary>Every record went through: a warm run after it measures something.</summary>
    public bool Completed => Report.FatalError is null && Report.Failed == 0;
}
