using System.Diagnostics;
using Helpline.Officers.Workload;
using Helpline.Workload.Rebalancing;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>A proposal's figures: its size and time, over GraphQL and in-process, with the references.</summary>
/// <param name="Supervisor">The supervisor's seat.</param>
/// <param name="Officers">Officers in the team, as the proposal counted them.</param>
/// <param name="Open">Open grievances they hold, as the proposal counted them.</param>
/// <param name="Moves100">Moves proposed with maxMoves 100 (the default).</param>
/// <param name="Moves1000">Moves proposed with maxMoves 1000 (the most).</param>
/// <param name="SpreadBefore">Standard deviation of the load scores before.</param>
/// <param name="SpreadAfter1000">After the moves of the maxMoves 1000 proposal.</param>
/// <param name="ReadGrains">Reference: every team member's GetOpen, all at once, in-process.</param>
/// <param name="TeamWorkload">Reference: teamWorkload over GraphQL (every member's GetWorkload).</param>
/// <param name="Graph100">rebalanceProposal, maxMoves 100, over GraphQL.</param>
/// <param name="Graph1000">rebalanceProposal, maxMoves 1000, over GraphQL.</param>
/// <param name="InProcess100">Rebalancer.ProposeAsync, maxMoves 100, in-process.</param>
/// <param name="InProcess1000">Rebalancer.ProposeAsync, maxMoves 1000, in-process.</param>
internal sealed record ProposalFigures(
    string Supervisor, int Officers, int Open, int Moves100, int Moves1000, double SpreadBefore, double SpreadAfter1000,
    Percentiles ReadGrains, Percentiles TeamWorkload, Percentiles Graph100, Percentiles Graph1000, Percentiles InProcess100, Percentiles InProcess1000)
{
    public double Ratio => Graph100.P99 / ReadGrains.P99;
}

/// <summary>Proposals for the team, and the two references, each series one call at a time.</summary>
internal static class ProposalLoad
{
    private const string Proposal = """
        query Propose($p: String!, $m: Int) {
          rebalanceProposal(positionId: $p, depth: 3, maxMoves: $m) {
            officers openGrievances before { standardDeviation } after { standardDeviation }
            moves { referenceNumber fromOfficerId toOfficerId fromPositionId toPositionId urgency weight fromLoadBefore fromLoadAfter toLoadBefore toLoadAfter reason }
          }
        }
        """;

    private const string Team = "query Team($p: String!) { teamWorkload(positionId: $p, depth: 3) { open officers { officer { id } workload { open loadScore } } } }";

    // A series stops early (with at least 3 measured) once it has run this long: a slow proposal must not stall the run.
    private static readonly TimeSpan SeriesBudget = TimeSpan.FromSeconds(90);

    public static async Task<ProposalFigures> RunAsync(BenchGraphQL gql, IServiceProvider services, string token, WorkloadPlan plan, WorkloadBenchArguments a, Action<string> log)
    {
        var supervisor = plan.Supervisor.Id;
        var grains = services.GetRequiredService<IGrainFactory>();
        var rebalancer = services.GetRequiredService<Rebalancer>();
        var (p100, _) = await gql.SendAsync(token, Proposal, new { p = supervisor, m = 100 });
        var (p1000, firstMicros) = await gql.SendAsync(token, Proposal, new { p = supervisor, m = 1000 });
        var proposal = p100["rebalanceProposal"]!;
        var big = p1000["rebalanceProposal"]!;
        var officers = proposal["officers"]!.GetValue<int>();
        var open = proposal["openGrievances"]!.GetValue<int>();
        log($"team below {supervisor}: {officers} officers, {open:N0} open; {proposal["moves"]!.AsArray().Count} moves of 100, {big["moves"]!.AsArray().Count} of 1000 " +
            $"(first 1000-move proposal {firstMicros / 1000.0:0} ms); spread {big["before"]!["standardDeviation"]!.GetValue<double>():0.00} -> {big["after"]!["standardDeviation"]!.GetValue<double>():0.00}");

        async Task<long> ReadGrainsAsync()
        {
            var start = Stopwatch.GetTimestamp();
            var lists = await Task.WhenAll(plan.TeamOfficers.Select(o => grains.GetGrain<IOfficerGrain>(o).GetOpen()));
            var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            var total = lists.Sum(l => l.Count);
            return total == open ? Math.Max(1, micros) : throw new InvalidOperationException($"The team's grains hold {total} open grievances; the proposal counted {open}.");
        }

        async Task<long> InProcessAsync(int maxMoves)
        {
            var start = Stopwatch.GetTimestamp();
            var plan = await rebalancer.ProposeAsync(supervisor, 3, maxMoves, _ => true);
            var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            return plan.OpenGrievances == open ? Math.Max(1, micros) : throw new InvalidOperationException("The in-process proposal saw another team.");
        }

        var series = new (string Name, Func<Task<long>> Call)[]
        {
            ("GetOpen x team (in-process)", ReadGrainsAsync),
            ("teamWorkload (GraphQL)", async () => await gql.TimeAsync(token, Team, new { p = supervisor })),
            ("rebalanceProposal 100 (GraphQL)", async () => await gql.TimeAsync(token, Proposal, new { p = supervisor, m = 100 })),
            ("rebalanceProposal 1000 (GraphQL)", async () => await gql.TimeAsync(token, Proposal, new { p = supervisor, m = 1000 })),
            ("ProposeAsync 100 (in-process)", () => InProcessAsync(100)),
            ("ProposeAsync 1000 (in-process)", () => InProcessAsync(1000)),
        };
        var results = new List<Percentiles>();
        foreach (var (name, call) in series)
        {
            var h = Percentiles.NewHistogram();
            for (var i = 0; i < Math.Min(a.Warmup, 3); i++)
            {
                await call();
            }

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < a.Proposals && (i < 3 || clock.Elapsed < SeriesBudget); i++)
            {
                h.RecordValue(await call());
            }

            results.Add(Percentiles.Of(h));
            log($"  {name}: {h.TotalCount} measured, p50 {results[^1].P50:0.0} ms, p99 {results[^1].P99:0.0} ms");
        }

        return new ProposalFigures(
            supervisor, officers, open, proposal["moves"]!.AsArray().Count, big["moves"]!.AsArray().Count,
            big["before"]!["standardDeviation"]!.GetValue<double>(), big["after"]!["standardDeviation"]!.GetValue<double>(),
            results[0], results[1], results[2], results[3], results[4], results[5]);
    }
}
