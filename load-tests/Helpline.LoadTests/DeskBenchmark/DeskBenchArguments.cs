using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.DeskBenchmark;

/// <summary>The options of <c>desk-bench</c>.</summary>
internal sealed record DeskBenchArguments
{
    public const string Usage = """
        Usage: ./helpline desk-bench [options]   (on the test cluster, HELPLINE_TEST_PG_PORT)
               dotnet run --project load-tests/Helpline.LoadTests -c Release -- desk-bench [options]

        Issue 18's goal: the agent desk's caller history and duplicate hints answer within 200 ms at p99 with
        1,000,000 grievances stored. Seeds the read model as list-bench does, starts the service over it, registers
        callers' complaints through registerGrievance, then times the desk's one request, callerHistory(first: 10) +
        callerMonth + possibleDuplicates over GraphQL, beside the same reads run straight on PostgreSQL in the same
        run. See load-tests/README.md, "Desk benchmark".

        Options:
          --grievances N    grievances seeded in the read model (default 1,000,000)
          --open N          of which open (default 100,000)
          --callers N       callers registered through the API, 3 complaints each (default 100)
          --runs N          timed desk requests, after 20 warm-up ones (default 500)
          --clients N       desk requests in flight at once (default 1)
          --db CONNSTRING   PostgreSQL server to create the database on (default: $HELPLINE_TEST_DB, else
                            Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres)
          --keep            do not drop the database at the end (its name is printed)
          -h, --help        this text

        Exit codes: 0 done (goal met or missed: read the verdict line), 1 bad arguments, 2 stopped by an error or a
        failed check (an answer with errors or with other counts than registered).
        """;

    public required string AdminConnectionString { get; init; }

    public int Grievances { get; init; } = 1_000_000;

    public int Open { get; init; } = 100_000;

    public int Callers { get; init; } = 100;

    public int Runs { get; init; } = 500;

    public int Clients { get; init; } = 1;

    public bool Keep { get; init; }

    /// <summary>Parses the arguments after <c>desk-bench</c>; null with an error (or a null error for --help).</summary>
    public static DeskBenchArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        var start = new DeskBenchArguments { AdminConnectionString = environment("HELPLINE_TEST_DB") ?? SlaBenchCommand.DefaultAdmin };
        var parsed = BenchOptions.Parse(args, start, (o, r) => o.Name switch
        {
            "-h" or "--help" => null,
            "--grievances" => r with { Grievances = o.Whole(1_000, 50_000_000) },
            "--open" => r with { Open = o.Whole(10, 50_000_000) },
            "--callers" => r with { Callers = o.Whole(1, 10_000) },
            "--runs" => r with { Runs = o.Whole(10, 100_000) },
            "--clients" => r with { Clients = o.Whole(1, 64) },
            "--db" => r with { AdminConnectionString = o.Value() },
            "--keep" => r with { Keep = true },
            _ => throw o.Unknown(),
        }, out error);
        if (parsed is null)
        {
            return null;
        }

        if (parsed.Open > parsed.Grievances)
        {
            error = $"--open {parsed.Open:N0} is more than --grievances {parsed.Grievances:N0}";
            return null;
        }

        error = BenchOptions.DatabaseProblem(parsed.AdminConnectionString);
        return error is null ? parsed : null;
    }
}
