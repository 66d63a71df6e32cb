using System.Globalization;
using HdrHistogram;

namespace Helpline.LoadTests.AccessBenchmark;

/// <summary>What the run found out about variant A's path on this build (so a reader knows what the ratio covers).</summary>
/// <param name="RoleRule">What a partner token got for <c>registerGrievance</c> (the role rule refuses it: FORBIDDEN).</param>
/// <param name="Scope">What a partner token of another district got for a grievance (UNKNOWN_GRIEVANCE when scope is enforced).</param>
/// <param name="PersonalData">Whether the partner saw the complainant's name masked.</param>
internal sealed record PathProbe(string RoleRule, string Scope, string PersonalData);

/// <summary>How long the warm-up ran and whether the CPU per request had settled by its end.</summary>
internal sealed record WarmUp(TimeSpan Elapsed, bool Settled);

/// <summary>The figures of one run and how they are printed.</summary>
internal sealed record AccessBenchReport(
    AccessBenchArguments Arguments,
    string Machine,
    int Grievances,
    int Scopes,
    PathProbe Probe,
    IReadOnlyList<RoundResult> Rounds,
    IReadOnlyDictionary<Variant, LongHistogram> Latency,
    string LoadAtEnd,
    double AuthenticatorMicros,
    double RestingCores,
    WarmUp WarmUp)
{
    public double MedianA => Median(Rounds.Where(r => r.Variant == Variant.Checked).Select(r => r.RequestsPerSecond));

    public double MedianB => Median(Rounds.Where(r => r.Variant == Variant.Bypassed).Select(r => r.RequestsPerSecond));

    /// <summary>Requests/s with the checks over requests/s without them (medians of the rounds).</summary>
    public double Ratio => MedianA / MedianB;

    /// <summary>The share of requests/s the checks cost.</summary>
    public double Overhead => 1 - Ratio;

    public long Failures => Rounds.Sum(r => r.Failures);

    public bool GoalMet => Overhead < AccessBenchArguments.MaxOverhead;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public void Print(TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        var a = Arguments;
        var pairs = Rounds.Where(r => r.Variant == Variant.Checked)
            .Join(Rounds.Where(r => r.Variant == Variant.Bypassed), x => x.Index, y => y.Index, (x, y) => (A: x, B: y))
            .ToArray();
        var pairRatios = pairs.Select(p => p.A.RequestsPerSecond / p.B.RequestsPerSecond).ToArray();

        w.WriteLine();
        w.WriteLine(string.Format(c, "access-bench: grievance(referenceNumber), {0} clients, {1} rounds x {2} s per variant, A B B A A B ... after {3:0} s of warm-up ({4})",
            a.Clients, a.Rounds, a.RoundSeconds, WarmUp.Elapsed.TotalSeconds, WarmUp.Settled ? "CPU per request settled" : "CPU per request NOT settled: figures doubtful"));
        w.WriteLine(string.Format(c, "  {0} grievances over {1} partner scopes (district + department); {2}; load {3} at end; this process at rest before the warm-up: {4:0.00} cores", Grievances, Scopes, Machine, LoadAtEnd, RestingCores));
        w.WriteLine("  A = partner token (ES256, verified once then cached), role rule, scope of its district and department");
        w.WriteLine("  B = same query, same host: bypass header, fixed unlimited auditor, no token read, no role rule");
        w.WriteLine(string.Format(c, "  A's path on this build: role rule: {0}; scope: {1}; personal data: {2}", Probe.RoleRule, Probe.Scope, Probe.PersonalData));
        w.WriteLine();
        w.WriteLine("  round      A req/s   B req/s   A/B     A CPU us/req  B CPU us/req  other processes' cores A / B");
        foreach (var (p, ratio) in pairs.Zip(pairRatios))
        {
            w.WriteLine(string.Format(c, "  {0,5} {8}  {1,8:N1}  {2,8:N1}  {3,6:0.000}  {4,12:N0}  {5,12:N0}  {6,10:0.00} / {7:0.00}",
                p.A.Index, p.A.RequestsPerSecond, p.B.RequestsPerSecond, ratio, p.A.CpuMicrosPerRequest, p.B.CpuMicrosPerRequest, p.A.OtherCores, p.B.OtherCores, p.A.Index % 2 == 1 ? "AB" : "BA"));
        }

        var cpuA = Median(pairs.Select(p => p.A.CpuMicrosPerRequest));
        var cpuB = Median(pairs.Select(p => p.B.CpuMicrosPerRequest));
        w.WriteLine(string.Format(c, "  median    {0,8:N1}  {1,8:N1}  {2,6:0.000}  {3,12:N0}  {4,12:N0}", MedianA, MedianB, Ratio, cpuA, cpuB));
        w.WriteLine();
        w.WriteLine("  latency (all measured rounds)   p50 ms   p90 ms   p99 ms   max ms   requests");
        foreach (var (variant, label) in new[] { (Variant.Checked, "A checked "), (Variant.Bypassed, "B bypassed") })
        {
            var h = Latency[variant];
            w.WriteLine(string.Format(c, "  {0}                      {1,6:0.00}   {2,6:0.00}   {3,6:0.00}   {4,6:0.0}   {5,8:N0}",
                label, Ms(h, 50), Ms(h, 90), Ms(h, 99), h.GetMaxValue() / 1000.0, h.TotalCount));
        }

        w.WriteLine();
        w.WriteLine(string.Format(c, "  ratio A/B (medians of rounds): {0:0.000}   overhead: {1:0.0}%   goal < {2:0}%: {3}",
            Ratio, Overhead * 100, AccessBenchArguments.MaxOverhead * 100, GoalMet ? "met" : "NOT met"));
        w.WriteLine(string.Format(c, "  per-pair ratios: median {0:0.000}, min {1:0.000}, max {2:0.000}; CPU per request A/B: {3:0.000}",
            Median(pairRatios), pairRatios.Min(), pairRatios.Max(), cpuA / cpuB));
        w.WriteLine(string.Format(c, "  the authenticator alone (partner token, verified and cached; one thread, no HTTP): {0:0.00} us a call = {1:0.00}% of B's CPU per request",
            AuthenticatorMicros, AuthenticatorMicros / cpuB * 100));
        if (Failures > 0)
        {
            w.WriteLine(string.Format(c, "  FAILED requests in measured rounds: {0:N0} (the figures are not valid)", Failures));
        }
    }

    private static double Ms(LongHistogram h, double percentile) => h.GetValueAtPercentile(percentile) / 1000.0;
}
