using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.AccountabilityBenchmark;

/// <summary>The options of <c>accountability-bench</c>.</summary>
internal sealed record AccountabilityBenchArguments
{
    public const string Usage = """
        Usage: ./helpline accountability-bench [options]   (on the test cluster, HELPLINE_TEST_PG_PORT)
               dotnet run --project load-tests/Helpline.LoadTests -c Release -- accountability-bench [options]

        Issue 15's goal: flagging and ranking a month of 1,000,000 grievances across 50,000 officers finishes in under
        60 s. Seeds November 2026 (IST) of accountability facts and holding spans with set-based SQL on a fresh
        database migrated with every module's schema, then times Flagging.RunAsync (default rules) and
        MonthlyRankings.ComputeAsync, each as a ratio to a plain group-by-officer count over the same month measured in
        the same run. See load-tests/README.md, "Accountability benchmark".

        Options:
          --grievances N    grievances of the month (default 1,000,000)
          --officers N      officers they are spread over, skewed, 20 to a supervisor (default 50,000)
          --db CONNSTRING   PostgreSQL server to create the database on, as a connection string to an existing
                            database (default: $HELPLINE_TEST_DB, else Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres)
          --keep            do not drop the database at the end (its name is printed)
          -h, --help        this text

        Exit codes: 0 done (goal met or missed: read the verdict line), 1 bad arguments, 2 stopped by an error or a
        failed check (no flag raised, an officer with facts not ranked, a level without rows).
        """;

    public required string AdminConnectionString { get; init; }

    public int Grievances { get; init; } = 1_000_000;

    public int Officers { get; init; } = 50_000;

    public bool Keep { get; init; }

    /// <summary>Parses the arguments after <c>accountability-bench</c>; null with an error (or a null error for --help).</summary>
    public static AccountabilityBenchArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        error = null;
        var result = new AccountabilityBenchArguments { AdminConnectionString = environment("HELPLINE_TEST_DB") ?? SlaBenchCommand.DefaultAdmin };
        var parsed = BenchOptions.Parse(args, result, (o, r) => o.Name switch
        {
            "-h" or "--help" => null,
            "--grievances" => r with { Grievances = o.Whole(100, 20_000_000) },
            "--officers" => r with { Officers = o.Whole(20, 1_000_000) },
            "--db" => r with { AdminConnectionString = o.Value() },
            "--keep" => r with { Keep = true },
            _ => throw o.Unknown(),
        }, out error);
        if (parsed is null)
        {
            return null;
        }

        result = parsed;

        if (result.Officers > result.Grievances)
        {
            error = $"--officers {result.Officers:N0} is more than --grievances {result.Grievances:N0}";
            return null;
        }

        error = BenchOptions.DatabaseProblem(result.AdminConnectionString);
        return error is null ? result : null;
    }
}
