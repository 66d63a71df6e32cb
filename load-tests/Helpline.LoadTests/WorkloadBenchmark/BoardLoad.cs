using System.Diagnostics;
using Helpline.Officers.Workload;
using Helpline.Workload.Boards;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>The district board's figures and its reference's.</summary>
/// <param name="District">The district asked for.</param>
/// <param name="Officers">Officers the board listed (all departments).</param>
/// <param name="Open">Open grievances they hold, as the board summed them.</param>
/// <param name="Department">The department of the one-department board.</param>
/// <param name="DepartmentOfficers">Officers that board listed.</param>
/// <param name="FirstMs">The first board request after the start-up sweep (grains active, code not yet compiled).</param>
/// <param name="Board">The board, all departments.</param>
/// <param name="DepartmentBoard">The board of one department.</param>
/// <param name="Me">The reference: <c>{ me { role } }</c>, interleaved with the boards.</param>
/// <param name="MinimalBoard">Diagnostic: the same district board asking only each officer's id and load score (the fan-out to the grains, little GraphQL).</param>
/// <param name="CpuMs">CPU milliseconds of this process (host and client) per request, by series: board, one department, me, minimal board.</param>
/// <param name="InProcessBoard">Diagnostic: <c>WorkloadBoards.BoardAsync(SeatsOfPlace(district))</c> in-process: seat walk, members, every grain's GetWorkload, sort; no HTTP, no GraphQL.</param>
/// <param name="InProcessFanOut">Diagnostic: every listed officer's <c>GetWorkload</c>, all at once, in-process, nothing else.</param>
/// <param name="InProcessCpuMs">CPU milliseconds per call of the two in-process diagnostics.</param>
/// <param name="AllocatedKb">Kilobytes allocated by this process per request, by series as <paramref name="CpuMs"/>.</param>
/// <param name="Gc">Garbage collections while the four request series ran.</param>
internal sealed record BoardFigures(
    string District, int Officers, long Open, string Department, int DepartmentOfficers, double FirstMs,
    Percentiles Board, Percentiles DepartmentBoard, Percentiles Me, Percentiles MinimalBoard, IReadOnlyList<double> CpuMs,
    Percentiles InProcessBoard, Percentiles InProcessFanOut, IReadOnlyList<double> InProcessCpuMs,
    IReadOnlyList<double> AllocatedKb, GcFigures Gc)
{
    public double Ratio => Board.P99 / Me.P99;
}

/// <summary>
/// Sends the district board (all departments, then one department) and the trivial authenticated query in turn, one
/// request at a time, so the two see the same machine at the same moments.
/// </summary>
internal static class BoardLoad
{
    public const string BoardQuery = """
        query Board($j: String!, $d: String) {
          workloadBoard(jurisdictionId: $j, departmentId: $d) {
            open atRisk overdue spread { max min standardDeviation }
            officers { officer { id name } position { id } capacity onLeave
                       workload { open overdue atRisk dueToday dueWithin24Hours onHold disposedLast7Days loadScore oldestOpenAt attention { referenceNumber } } }
          }
        }
        """;

    public const string MeQuery = "{ me { role } }";

    public const string MinimalQuery = "query Board($j: String!, $d: String) { workloadBoard(jurisdictionId: $j, departmentId: $d) { officers { officer { id } workload { loadScore } } } }";

    public static async Task<BoardFigures> RunAsync(BenchGraphQL gql, IServiceProvider services, string token, WorkloadPlan plan, WorkloadBenchArguments a, Action<string> log)
    {
        var all = new { j = plan.BoardDistrict, d = (string?)null };
        var one = new { j = plan.BoardDistrict, d = (string?)plan.BoardDepartment };
        var (first, firstMicros) = await gql.SendAsync(token, BoardQuery, all);
        var listed = first["workloadBoard"]!["officers"]!.AsArray().Select(o => o!["officer"]!["id"]!.GetValue<string>()).ToList();
        var officers = listed.Count;
        var open = first["workloadBoard"]!["open"]!.GetValue<long>();
        if (officers != plan.BoardOfficers)
        {
            throw new InvalidOperationException($"The board of {plan.BoardDistrict} listed {officers} officers; {plan.BoardOfficers} are posted there.");
        }

        var (firstOne, _) = await gql.SendAsync(token, BoardQuery, one);
        var departmentOfficers = firstOne["workloadBoard"]!["officers"]!.AsArray().Count;
        log($"board of {plan.BoardDistrict}: {officers} officers, {open:N0} open; first request {firstMicros / 1000.0:0.0} ms; {plan.BoardDepartment} alone: {departmentOfficers} officers");

        var histograms = new[] { Percentiles.NewHistogram(), Percentiles.NewHistogram(), Percentiles.NewHistogram(), Percentiles.NewHistogram() };
        var (board, me) = (histograms[0], histograms[2]);
        var cpu = new TimeSpan[4];
        var allocated = new long[4];
        var gcBefore = GcFigures.Now();
        for (var i = -a.Warmup; i < a.BoardRequests; i++)
        {
            // Alternating order, so neither kind always follows the other.
            var order = i % 2 == 0 ? new[] { 0, 1, 2, 3 } : [3, 2, 1, 0];
            foreach (var k in order)
            {
                var before = Environment.CpuUsage.TotalTime;
                var bytesBefore = GC.GetTotalAllocatedBytes();
                var micros = k switch
                {
                    0 => await gql.TimeAsync(token, BoardQuery, all),
                    1 => await gql.TimeAsync(token, BoardQuery, one),
                    2 => await gql.TimeAsync(token, MeQuery),
                    _ => await gql.TimeAsync(token, MinimalQuery, all),
                };
                if (i >= 0)
                {
                    histograms[k].RecordValue(micros);
                    cpu[k] += Environment.CpuUsage.TotalTime - before;
                    allocated[k] += GC.GetTotalAllocatedBytes() - bytesBefore;
                }
            }

            if (i == -1)
            {
                gcBefore = GcFigures.Now(); // the warm-up's collections are not counted
            }

            if (i >= 0 && (i + 1) % 100 == 0)
            {
                log($"  board: {i + 1} of {a.BoardRequests} measured (p99 so far {board.GetValueAtPercentile(99) / 1000.0:0.0} ms, me {me.GetValueAtPercentile(99) / 1000.0:0.00} ms)");
            }
        }

        var gc = GcFigures.Now() - gcBefore;
        var boards = services.GetRequiredService<WorkloadBoards>();
        var grains = services.GetRequiredService<IGrainFactory>();
        var inProcess = new[] { Percentiles.NewHistogram(), Percentiles.NewHistogram() };
        var inProcessCpu = new TimeSpan[2];
        for (var i = -a.Warmup; i < a.BoardRequests; i++)
        {
            foreach (var k in i % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                var before = Environment.CpuUsage.TotalTime;
                var start = Stopwatch.GetTimestamp();
                var count = k == 0
                    ? (await boards.BoardAsync(boards.SeatsOfPlace(plan.BoardDistrict, null))).Count
                    : (await Task.WhenAll(listed.Select(o => grains.GetGrain<IOfficerGrain>(o).GetWorkload()))).Length;
                var micros = Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                if (count != officers)
                {
                    throw new InvalidOperationException($"The in-process board listed {count} officers, not {officers}.");
                }

                if (i >= 0)
                {
                    inProcess[k].RecordValue(micros);
                    inProcessCpu[k] += Environment.CpuUsage.TotalTime - before;
                }
            }
        }

        return new BoardFigures(
            plan.BoardDistrict, officers, open, plan.BoardDepartment, departmentOfficers, firstMicros / 1000.0,
            Percentiles.Of(histograms[0]), Percentiles.Of(histograms[1]), Percentiles.Of(histograms[2]), Percentiles.Of(histograms[3]),
            [.. cpu.Select(t => t.TotalMilliseconds / a.BoardRequests)],
            Percentiles.Of(inProcess[0]), Percentiles.Of(inProcess[1]), [.. inProcessCpu.Select(t => t.TotalMilliseconds / a.BoardRequests)],
            [.. allocated.Select(b => b / 1024.0 / a.BoardRequests)], gc);
    }
}

/// <summary>Collections by generation and the time the runtime was paused for them.</summary>
internal sealed record GcFigures(int Gen0, int Gen1, int Gen2, double PauseMs)
{
    public static GcFigures Now() =>
        new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds);

    public static GcFigures operator -(GcFigures after, GcFigures before) =>
        new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.PauseMs - before.PauseMs);
}
