using System.Globalization;
using System.Text.Json;

namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>The figures of one run, the goals they are judged by, and how they are printed.</summary>
internal sealed record WorkloadBenchReport(
    WorkloadBenchArguments Arguments,
    int Cores,
    int Seats,
    int Officers,
    WorkloadSeed Seed,
    string TeamSupervisor,
    int TeamOfficers,
    int TeamGrievances,
    SweepFigures Sweep,
    RestFigures Rest,
    BoardFigures Board,
    RegistrationFigures? Registration,
    ProposalFigures Proposals,
    string LoadAverageAtEnd)
{
    /// <summary>The goal: the district board answers under this at p99 (ms).</summary>
    public const double BoardGoalMs = 50;

    /// <summary>The goal: the pool's choice adds under this to registration at p99 (ms).</summary>
    public const double PoolGoalMs = 5;

    /// <summary>The goal: a proposal for the team takes under this (ms; judged at p99).</summary>
    public const double ProposalGoalMs = 1000;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public bool BoardMet => Board.Board.P99 < BoardGoalMs;

    public bool? PoolMet => Registration is null ? null : Registration.AddedP99 < PoolGoalMs;

    public bool ProposalMet => Proposals.Graph100.P99 < ProposalGoalMs;

    public bool GoalsMet => BoardMet && PoolMet != false && ProposalMet;

    public void Print(TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        string Row(string name, Percentiles p) =>
            string.Format(c, "  {0,-46} {1,6:N0} {2,9:0.00} {3,9:0.00} {4,9:0.00} {5,9:0.00}", name, p.Count, p.P50, p.P90, p.P99, p.Max);
        string Verdict(bool? met) => met switch { true => "MET", false => "MISSED", null => "NOT MEASURED" };
        const string head = "  call                                           count   p50 ms    p90 ms    p99 ms    max ms";

        w.WriteLine();
        w.WriteLine("Workload benchmark (issue 13)");
        w.WriteLine(string.Format(c, "  {0} cores; {1:N0} seats, {2:N0} officers ({3:N0} added as pool members, {4:N0} pools), {5:N0} open grievances", Cores, Seats, Officers, Seed.OfficersAdded, Seed.Pools, Seed.Grievances));
        w.WriteLine(string.Format(c, "  seeding: officers {0:0.0} s, COPY {1:0.0} s, analyze {2:0.0} s", Seed.OfficerTime.TotalSeconds, Seed.CopyTime.TotalSeconds, Seed.AnalyzeTime.TotalSeconds));
        w.WriteLine(string.Format(c, "  warm-up: start-up deadline sweep \"{0}\" {1:0.0} s after the host started; working set then {2:N0} MB, managed heap {3:N0} MB", Sweep.Message, Sweep.Elapsed.TotalSeconds, Sweep.WorkingSetMb, Sweep.ManagedHeapMb));
        w.WriteLine(string.Format(c, "  at rest after the warm-up (no requests, {0:0} s, the every-minute deadline sweep included): this process used {1:0.00} cores", Rest.Seconds, Rest.Cores));
        w.WriteLine(string.Format(c, "  load average at the end: {0}", LoadAverageAtEnd));
        w.WriteLine();
        w.WriteLine(string.Format(c, "District board: {0}, {1} officers (all departments; {2:N0} open); {3}: {4} officers. First request after warm-up {5:0.0} ms", Board.District, Board.Officers, Board.Open, Board.Department, Board.DepartmentOfficers, Board.FirstMs));
        w.WriteLine(head);
        w.WriteLine(Row("workloadBoard, district, all departments", Board.Board));
        w.WriteLine(Row("workloadBoard, district, one department", Board.DepartmentBoard));
        w.WriteLine(Row("reference: { me { role } }", Board.Me));
        w.WriteLine(Row("diagnostic: board asking id and loadScore only", Board.MinimalBoard));
        w.WriteLine(Row("diagnostic: WorkloadBoards.BoardAsync in-process", Board.InProcessBoard));
        w.WriteLine(Row("diagnostic: GetWorkload x officers in-process", Board.InProcessFanOut));
        w.WriteLine(string.Format(c, "  CPU of this process per call: in-process board {0:0.0} ms, in-process GetWorkload fan-out {1:0.0} ms", Board.InProcessCpuMs[0], Board.InProcessCpuMs[1]));
        w.WriteLine(string.Format(c, "  CPU of this process per request (host and client, background work included): board {0:0.0} ms, one department {1:0.0} ms, me {2:0.00} ms, minimal board {3:0.0} ms", Board.CpuMs[0], Board.CpuMs[1], Board.CpuMs[2], Board.CpuMs[3]));
        w.WriteLine(string.Format(c, "  allocated per request: board {0:N0} KB, one department {1:N0} KB, me {2:N0} KB, minimal board {3:N0} KB", Board.AllocatedKb[0], Board.AllocatedKb[1], Board.AllocatedKb[2], Board.AllocatedKb[3]));
        w.WriteLine(string.Format(c, "  garbage collections during the four series: gen0 {0}, gen1 {1}, gen2 {2}; paused {3:0} ms in all", Board.Gc.Gen0, Board.Gc.Gen1, Board.Gc.Gen2, Board.Gc.PauseMs));
        w.WriteLine(string.Format(c, "  goal p99 < {0} ms: {1:0.00} ms, {2}; {3:0.0} x the reference's p99", BoardGoalMs, Board.Board.P99, Verdict(BoardMet), Board.Ratio));
        w.WriteLine();
        if (Registration is { } r)
        {
            w.WriteLine(string.Format(c, "Registration: pool {0} ({1} members; measured registrations went to {2} of them, at most {3} to one) against single seat {4}", r.PoolSeat, r.PoolMembers, r.MembersChosen, r.MostToOneMember, r.SingleSeat));
            w.WriteLine(head);
            w.WriteLine(Row("registerGrievance into the pool", r.Pool));
            w.WriteLine(Row("reference: registerGrievance into a single seat", r.Single));
            w.WriteLine(string.Format(c, "  goal: the pool adds < {0} ms at p99: adds {1:0.00} ms, {2}; {3:0.00} x the reference's p99", PoolGoalMs, r.AddedP99, Verdict(PoolMet), r.Ratio));
        }
        else
        {
            w.WriteLine("Registration into a pool: NOT MEASURED (this build has no pools)");
        }

        var p = Proposals;
        w.WriteLine();
        w.WriteLine(string.Format(c, "Rebalancing: team below {0}, {1} officers, {2:N0} open; {3} moves with maxMoves 100, {4} with 1000 (spread {5:0.00} -> {6:0.00})", p.Supervisor, p.Officers, p.Open, p.Moves100, p.Moves1000, p.SpreadBefore, p.SpreadAfter1000));
        w.WriteLine(head);
        w.WriteLine(Row("rebalanceProposal, maxMoves 100 (GraphQL)", p.Graph100));
        w.WriteLine(Row("rebalanceProposal, maxMoves 1000 (GraphQL)", p.Graph1000));
        w.WriteLine(Row("Rebalancer.ProposeAsync 100 (in-process)", p.InProcess100));
        w.WriteLine(Row("Rebalancer.ProposeAsync 1000 (in-process)", p.InProcess1000));
        w.WriteLine(Row("reference: GetOpen of every member (in-proc.)", p.ReadGrains));
        w.WriteLine(Row("reference: teamWorkload (GraphQL)", p.TeamWorkload));
        w.WriteLine(string.Format(c, "  goal < {0:N0} ms (p99, maxMoves 100): {1:0.0} ms, {2}; {3:0.0} x the reference's p99 (maxMoves 1000: {4:0.0} ms, {5})", ProposalGoalMs, p.Graph100.P99, Verdict(ProposalMet), p.Ratio, p.Graph1000.P99, Verdict(p.Graph1000.P99 < ProposalGoalMs)));
        w.WriteLine();
        w.WriteLine(string.Format(c, "Goals: board {0}, pool registration {1}, proposal {2}", Verdict(BoardMet), Verdict(PoolMet), Verdict(ProposalMet)));
    }

    public async Task WriteJsonAsync(string path)
    {
        var json = new
        {
            Arguments.Officers,
            Arguments.Grievances,
            cores = Cores,
            seats = Seats,
            officersInRoster = Officers,
            seed = new { Seed.OfficersAdded, Seed.Pools, Seed.Grievances, officerSeconds = Seed.OfficerTime.TotalSeconds, copySeconds = Seed.CopyTime.TotalSeconds, analyzeSeconds = Seed.AnalyzeTime.TotalSeconds },
            warmup = new { Sweep.Message, seconds = Sweep.Elapsed.TotalSeconds, Sweep.WorkingSetMb, Sweep.ManagedHeapMb },
            rest = Rest,
            board = new { Board.District, Board.Officers, Board.Open, Board.Department, Board.DepartmentOfficers, Board.FirstMs, Board.Board, Board.DepartmentBoard, Board.Me, Board.MinimalBoard, Board.CpuMs, Board.InProcessBoard, Board.InProcessFanOut, Board.InProcessCpuMs, Board.AllocatedKb, Board.Gc, ratioP99 = Board.Ratio, goalMs = BoardGoalMs, met = BoardMet },
            registration = Registration is { } r
                ? new { r.PoolSeat, r.PoolMembers, r.SingleSeat, r.Pool, r.Single, r.MembersChosen, r.MostToOneMember, addedP99Ms = r.AddedP99, ratioP99 = r.Ratio, goalMs = PoolGoalMs, met = PoolMet }
                : null,
            proposals = new { Proposals, ratioP99 = Proposals.Ratio, goalMs = ProposalGoalMs, met = ProposalMet },
            loadAverageAtEnd = LoadAverageAtEnd,
            goalsMet = GoalsMet,
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(json, Json));
    }
}
