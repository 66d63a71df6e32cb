using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>The parsed command line of <c>workload-bench</c>.</summary>
internal sealed record WorkloadBenchArguments
{
    public const string Usage = """
        Usage: ./helpline workload-bench [options]         (on the test cluster, HELPLINE_TEST_PG_PORT)
               dotnet run --project load-tests/Helpline.LoadTests -c Release -- workload-bench [options]

        Issue 13's speed goals, each against a reference measured in the same run: a district's workload board (every
        officer posted in the district, all departments) against { me { role } }; registration into a pool of 20
        against registration into a single seat; a rebalancing proposal for a team of 200 against reading the same
        team's open grievances from the officer grains. Seeds a fresh database (officers added as pool members, open
        grievances written into the read model by COPY), runs the real host in this process, and calls it over HTTP
        GraphQL with minted tokens. See load-tests/README.md, "Workload benchmark".

        Options:
          --officers N         officers in the roster, the generated ones included (default 50,000)
          --grievances N       open grievances spread over them (default 1,000,000)
          --team N             officers in the rebalanced team (default 200)
          --team-grievances N  open grievances the team holds, spread unevenly (default 10,000)
          --pool N             members of the pool registrations go to (default 20)
          --board-requests N   measured board requests (and as many { me } requests, interleaved) (default 300)
          --registrations N    measured registrations into each seat, interleaved (default 300)
          --proposals N        measured proposals of each size (default 20)
          --warmup N           unmeasured requests of each kind first (default 100: until tiered JIT has optimised the hot paths)
          --rest-seconds S     CPU of the idle host measured over S seconds before the requests (default 65: one
                               every-minute deadline sweep falls in it)
          --report FILE        also write the figures as JSON to FILE
          --db CONNSTRING      PostgreSQL server to create the database on, as a connection string to an existing
                               database (default: $HELPLINE_TEST_DB, else Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres)
          --check              exit 3 when a goal is missed
          --keep-db            do not drop the database at the end (its name is printed)
          -h, --help           this text

        Exit codes: 0 done (with --check: every goal met), 1 bad arguments, 2 stopped by an error or a failed request,
        3 with --check: a goal missed.
        """;

    public required string AdminConnectionString { get; init; }

    public int Officers { get; init; } = 50_000;

    public int Grievances { get; init; } = 1_000_000;

    public int Team { get; init; } = 200;

    public int TeamGrievances { get; init; } = 10_000;

    public int Pool { get; init; } = 20;

    public int BoardRequests { get; init; } = 300;

    public int Registrations { get; init; } = 300;

    public int Proposals { get; init; } = 20;

    public int Warmup { get; init; } = 100;

    public int RestSeconds { get; init; } = 65;

    public string? ReportFile { get; init; }

    public bool Check { get; init; }

    public bool KeepDatabase { get; init; }

    /// <summary>Parses the arguments after <c>workload-bench</c>; null with an error (or a null error for --help).</summary>
    public static WorkloadBenchArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        error = null;
        var result = new WorkloadBenchArguments { AdminConnectionString = environment("HELPLINE_TEST_DB") ?? SlaBenchCommand.DefaultAdmin };
        var parsed = BenchOptions.Parse(args, result, (o, r) => o.Name switch
        {
            "-h" or "--help" => null,
            "--officers" => r with { Officers = o.Whole(1, 1_000_000) },
            "--grievances" => r with { Grievances = o.Whole(1, 20_000_000) },
            "--team" => r with { Team = o.Whole(2, 5_000) },
            "--team-grievances" => r with { TeamGrievances = o.Whole(1, 1_000_000) },
            "--pool" => r with { Pool = o.Whole(2, 1_000) },
            "--board-requests" => r with { BoardRequests = o.Whole(1, 100_000) },
            "--registrations" => r with { Registrations = o.Whole(1, 100_000) },
            "--proposals" => r with { Proposals = o.Whole(1, 10_000) },
            "--warmup" => r with { Warmup = o.Whole(0, 10_000) },
            "--rest-seconds" => r with { RestSeconds = o.Whole(0, 3600) },
            "--report" => r with { ReportFile = o.Value() },
            "--db" => r with { AdminConnectionString = o.Value() },
            "--check" => r with { Check = true },
            "--keep-db" => r with { KeepDatabase = true },
            _ => throw o.Unknown(),
        }, out error);
        if (parsed is null)
        {
            return null;
        }

        result = parsed;

        if (result.TeamGrievances > result.Grievances)
        {
            error = "--team-grievances cannot exceed --grievances";
            return null;
        }

        error = BenchOptions.DatabaseProblem(result.AdminConnectionString);
        return error is null ? result : null;
    }
}
