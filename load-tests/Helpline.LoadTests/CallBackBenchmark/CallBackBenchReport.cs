using System.Globalization;
using System.Text.Json;

namespace Helpline.LoadTests.CallBackBenchmark;

/// <summary>The figures of one run, the goals they are judged by, and how they are printed.</summary>
internal sealed record CallBackBenchReport(
    CallBackBenchArguments Arguments, int Cores, bool ServerGc, CallBackSeed Seed, BuildFigures Build, NextCallFigures NextCall, string LoadAverageAtEnd)
{
    /// <summary>The goal: a day's campaigns from 100,000 due call-backs (judged on the slowest builder run, s).</summary>
    public const double BuildGoalSeconds = 10;

    /// <summary>The goal: agents asking at once each get a call-back under this at p99 (ms; both scenarios).</summary>
    public const double NextCallGoalMs = 20;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public bool BuildMet => Build.BuilderSeconds < BuildGoalSeconds;

    public bool NextCallMet => NextCall.Spread.Latency.P99 < NextCallGoalMs && NextCall.OneCampaign.Latency.P99 < NextCallGoalMs;

    public bool GoalsMet => BuildMet && NextCallMet;

    public void Print(TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        string Verdict(bool met) => met ? "MET" : "MISSED";
        string Ms(double? v) => v is { } x ? x.ToString("0.00", c) : "n/a";
        string Row(CallFigures f, string name) =>
            string.Format(c, "  {0,-52} {1,7:N0} {2,8:0.00} {3,8:0.00} {4,8:0.00} {5,8:0.00}   {6,6:0.00} {7,6} {8,6}", name, f.Latency.Count, f.Latency.P50, f.Latency.P90, f.Latency.P99, f.Latency.Max, f.HostCpuMs, Ms(f.PostgresCpuMs), Ms(f.MachineBusyMs));

        w.WriteLine();
        w.WriteLine("Call-back benchmark (issue 14)");
        w.WriteLine(string.Format(c, "  {0} cores, server GC {1}; {2:N0} pending call-backs over {3} districts and {4} departments, callable over the last 72 h (due over the next 72 h)", Cores, ServerGc, Seed.CallBacks, Seed.Districts.Count, Seed.Departments.Count));
        w.WriteLine(string.Format(c, "  schema {0:0.0} s, seeding (insert-select over generate_series, vacuum analyze) {1:0.0} s; load average at the end: {2}", Seed.MigrateTime.TotalSeconds, Seed.SeedTime.TotalSeconds, LoadAverageAtEnd));
        w.WriteLine();
        w.WriteLine("Build: CampaignBuilder.GatherAsync (A) against one plain insert-campaigns + update statement doing the same assignment (B)");
        w.WriteLine("  run    seconds  transactions  campaigns   CPU s: this process  PostgreSQL  machine busy");
        foreach (var r in Build.Runs)
        {
            w.WriteLine(string.Format(c, "  {0}{1,-3} {2,9:0.000} {3,13} {4,10} {5,21:0.00} {6,11} {7,13}", r.Series, r.Round, r.Seconds, r.Batches, r.Campaigns, r.Cpu.HostSeconds, Ms(r.Cpu.PostgresSeconds), Ms(r.Cpu.MachineBusySeconds)));
        }

        w.WriteLine(string.Format(c, "  goal < {0} s: slowest builder run {1:0.000} s, {2}; {3:0.00} x the plain statement (mean over mean; fastest reference {4:0.000} s)", BuildGoalSeconds, Build.BuilderSeconds, Verdict(BuildMet), Build.Ratio, Build.ReferenceSeconds));
        w.WriteLine();
        w.WriteLine(string.Format(c, "Next call: {0:N0} agents asking CallBackQueue.NextAsync at once, {1} measured rounds (every agent got a call-back of its campaign, no two the same)", NextCall.Agents, NextCall.Rounds));
        w.WriteLine("  call                                                   count   p50 ms   p90 ms   p99 ms   max ms   CPU ms per call: host  PG  machine");
        w.WriteLine(Row(NextCall.Spread, string.Format(c, "{0:N0} at once, spread over {1} campaigns", NextCall.Agents, Math.Min(NextCall.Agents, NextCall.Campaigns))));
        w.WriteLine(Row(NextCall.OneCampaign, string.Format(c, "{0:N0} at once, all in one campaign", NextCall.Agents)));
        w.WriteLine(Row(NextCall.Alone, "reference: one agent asking alone (same API)"));
        w.WriteLine(Row(NextCall.Bare, "reference: bare select + lease insert, 1 tx, conc. 1"));
        w.WriteLine(string.Format(c, "  a whole round (gate opened to last answer): spread p50 {0:0.0} ms, max {1:0.0} ms; one campaign p50 {2:0.0} ms, max {3:0.0} ms", NextCall.SpreadRoundMs.P50, NextCall.SpreadRoundMs.Max, NextCall.OneCampaignRoundMs.P50, NextCall.OneCampaignRoundMs.Max));
        if (NextCall.Anatomy.Count > 0)
        {
            var an = NextCall.Anatomy;
            w.WriteLine(string.Format(c, "  diagnostic, the queue's statements for the spread agents timed one by one in one transaction (median of {0}): campaign locks and candidates {1:0.0} ms, lease insert of {2:N0} rows {3:0.0} ms, commit {4:0.0} ms",
                an.Count, Median(an.Select(x => x.ReadMs)), an[0].Rows, Median(an.Select(x => x.LeaseMs)), Median(an.Select(x => x.CommitMs))));
        }

        w.WriteLine(string.Format(c, "  goal p99 < {0} ms: spread {1:0.00} ms, one campaign {2:0.00} ms, {3}", NextCallGoalMs, NextCall.Spread.Latency.P99, NextCall.OneCampaign.Latency.P99, Verdict(NextCallMet)));
        w.WriteLine(string.Format(c, "  ratios of p99: spread {0:0.0} x alone, {1:0.0} x bare; one campaign {2:0.0} x alone, {3:0.0} x bare", Ratio(NextCall.Spread, NextCall.Alone), Ratio(NextCall.Spread, NextCall.Bare), Ratio(NextCall.OneCampaign, NextCall.Alone), Ratio(NextCall.OneCampaign, NextCall.Bare)));
        w.WriteLine(string.Format(c, "  ratios of CPU per call (this process + PostgreSQL): spread {0:0.00} x alone, one campaign {1:0.00} x alone", CpuRatio(NextCall.Spread, NextCall.Alone), CpuRatio(NextCall.OneCampaign, NextCall.Alone)));
    }

    public async Task WriteJsonAsync(string path)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, new { Report = this, BuildMet, NextCallMet, GoalsMet }, Json);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    private static double Ratio(CallFigures f, CallFigures reference) => f.Latency.P99 / reference.Latency.P99;

    private static double CpuRatio(CallFigures f, CallFigures reference) =>
        (f.HostCpuMs + (f.PostgresCpuMs ?? 0)) / (reference.HostCpuMs + (reference.PostgresCpuMs ?? 0));
}
