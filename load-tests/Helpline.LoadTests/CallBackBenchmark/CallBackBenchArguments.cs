using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.CallBackBenchmark;

/// <summary>The options of <c>callback-bench</c>.</summary>
internal sealed record CallBackBenchArguments
{
    public const string Usage = """
        Usage: ./helpline callback-bench [options]         (on the test cluster, HELPLINE_TEST_PG_PORT)
               dotnet run --project load-tests/Helpline.LoadTests -c Release -- callback-bench [options]

        Issue 14's speed goals, each against a reference measured in the same run: building a day's campaigns
        (CampaignBuilder.GatherAsync) against one plain UPDATE doing the same assignment; agents asking for their next
        call at once (CallBackQueue.NextAsync) against one agent asking alone and a bare select-and-lease transaction.
        Runs the module's code in this process on a fresh database holding only the callbacks schema. See
        load-tests/README.md, "Call-back benchmark".

        Options:
          --callbacks N     pending call-backs seeded, in no campaign (default 100,000)
          --districts N     districts they are spread over, real UP district ids (default 75, at most 75)
          --departments N   departments they are spread over, real ids from the catalogue (default 20)
          --build-rounds N  rounds of the build series, each one builder run and one reference run (default 2)
          --agents N        agents asking at once (default 1,000)
          --rounds N        measured rounds of each next-call scenario (default 10)
          --warmup N        unmeasured rounds of each scenario first (default 2)
          --alone N         calls of the one-agent references (default 300)
          --report FILE     also write the figures as JSON to FILE
          --db CONNSTRING   PostgreSQL server to create the database on, as a connection string to an existing
                            database (default: $HELPLINE_TEST_DB, else Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres)
          --check           exit 3 when a goal is missed
          --keep-db         do not drop the database at the end (its name is printed)
          -h, --help        this text

        Exit codes: 0 done (with --check: every goal met), 1 bad arguments, 2 stopped by an error or a failed check
        (a call-back not gathered, an agent without a call, two agents with the same call), 3 with --check: a goal missed.
        """;

    public required string AdminConnectionString { get; init; }

    public int CallBacks { get; init; } = 100_000;

    public int Districts { get; init; } = 75;

    public int Departments { get; init; } = 20;

    public int BuildRounds { get; init; } = 2;

    public int Agents { get; init; } = 1_000;

    public int Rounds { get; init; } = 10;

    public int Warmup { get; init; } = 2;

    public int Alone { get; init; } = 300;

    public string? ReportFile { get; init; }

    public bool Check { get; init; }

    public bool KeepDatabase { get; init; }

    /// <summary>Parses the arguments after <c>callback-bench</c>; null with an error (or a null error for --help).</summary>
    public static CallBackBenchArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        error = null;
        var result = new CallBackBenchArguments { AdminConnectionString = environment("HELPLINE_TEST_DB") ?? SlaBenchCommand.DefaultAdmin };
        var parsed = BenchOptions.Parse(args, result, (o, r) => o.Name switch
        {
            "-h" or "--help" => null,
            "--callbacks" => r with { CallBacks = o.Whole(1, 10_000_000) },
            "--districts" => r with { Districts = o.Whole(1, 75) },
            "--departments" => r with { Departments = o.Whole(1, 100) },
            "--build-rounds" => r with { BuildRounds = o.Whole(1, 100) },
            "--agents" => r with { Agents = o.Whole(1, 100_000) },
            "--rounds" => r with { Rounds = o.Whole(1, 10_000) },
            "--warmup" => r with { Warmup = o.Whole(0, 10_000) },
            "--alone" => r with { Alone = o.Whole(1, 100_000) },
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

        // Every agent of the one-campaign scenario needs a call-back of its own in that campaign.
        if ((long)result.Agents * result.Districts > result.CallBacks)
        {
            error = $"--agents {result.Agents:N0} in one of {result.Districts} district campaigns needs at least {(long)result.Agents * result.Districts:N0} call-backs (--callbacks)";
            return null;
        }

        error = BenchOptions.DatabaseProblem(result.AdminConnectionString);
        return error is null ? result : null;
    }
}
