using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.ListBenchmark;

/// <summary>The options of <c>list-bench</c>.</summary>
internal sealed record ListBenchArguments
{
    public const string Usage = """
        Usage: ./helpline list-bench [options]   (on the test cluster, HELPLINE_TEST_PG_PORT)
               dotnet run --project load-tests/Helpline.LoadTests -c Release -- list-bench [options]

        Issue 16's goal: with 10,000,000 grievances stored (1,000,000 open), any list's first page with its totalCount
        answers under 50 ms at p99 and a district dashboard under 100 ms. Seeds the grievance read model with set-based
        SQL on a fresh database migrated with every module's schema, then times GrievanceQueries.ListAsync and
        DashboardAsync (the code behind the grievances and grievanceDashboard fields) for each list shape, each beside a
        plain count(*) of the same rows measured in the same run. See load-tests/README.md, "List benchmark".

        Options:
          --grievances N    grievances stored (default 10,000,000)
          --open N          of which open (default 1,000,000)
          --runs N          timed runs of each shape, after 3 warm-up runs (default 200)
          --db CONNSTRING   PostgreSQL server to create the database on, as a connection string to an existing
                            database (default: $HELPLINE_TEST_DB, else Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres)
          --keep            do not drop the database at the end (its name is printed)
          -h, --help        this text

        Exit codes: 0 done (goal met or missed: read the verdict line), 1 bad arguments, 2 stopped by an error or a
        failed check (a count that disagrees with count(*)).
        """;

    public required string AdminConnectionString { get; init; }

    public int Grievances { get; init; } = 10_000_000;

    public int Open { get; init; } = 1_000_000;

    public int Runs { get; init; } = 200;

    public bool Keep { get; init; }

    /// <summary>Parses the arguments after <c>list-bench</c>; null with an error (or a null error for --help).</summary>
    public static ListBenchArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        var start = new ListBenchArguments { AdminConnectionString = environment("HELPLINE_TEST_DB") ?? SlaBenchCommand.DefaultAdmin };
        var parsed = BenchOptions.Parse(args, start, (o, r) => o.Name switch
        {
            "-h" or "--help" => null,
            "--grievances" => r with { Grievances = o.Whole(1_000, 50_000_000) },
            "--open" => r with { Open = o.Whole(10, 50_000_000) },
            "--runs" => r with { Runs = o.Whole(10, 100_000) },
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
