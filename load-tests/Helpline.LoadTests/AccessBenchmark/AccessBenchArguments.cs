using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.AccessBenchmark;

/// <summary>The parsed command line of <c>access-bench</c>.</summary>
internal sealed record AccessBenchArguments
{
    public const string Usage = """
        Usage: ./helpline access-bench [options]         (on the test cluster, HELPLINE_TEST_PG_PORT)
               dotnet run --project load-tests/Helpline.LoadTests -c Release -- access-bench [options]

        What checking identity, role and scope costs: requests/s of grievance(referenceNumber) with a partner token
        (verified, scoped to the grievance's district and department; variant A) against the same query, in the same
        host and the same run, with the checks bypassed (a fixed unlimited auditor caller, no role rule; variant B).
        Rounds alternate A B B A A B ... after a warm-up. Runs the real host in this process over a fresh database
        (created on the server, dropped at the end). See load-tests/README.md, "Access benchmark".

        Options:
          --clients N          concurrent HTTP clients, each one request at a time (default 16)
          --rounds N           measured rounds of each variant (default 6, at least 3)
          --round-seconds S    length of one round (default 5)
          --warmup-seconds S   least warm-up before the first round, A and B in turn (default 20); it goes on until the
                               CPU per request has settled (the JIT optimises the hot code under load)
          --warmup-max-seconds S  most warm-up; rounds start then even if not settled (default 90)
          --grievances N       grievances registered before measuring (default 300)
          --db CONNSTRING      PostgreSQL server to create the database on, as a connection string to an existing
                               database (default: $HELPLINE_TEST_DB, else Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres)
          --check              exit 3 when the overhead is 10% or more (the issue's goal)
          --keep-db            do not drop the database at the end (its name is printed)
          -h, --help           this text

        Exit codes: 0 done (with --check: overhead under 10%), 1 bad arguments, 2 stopped by an error or a failed
        request, 3 with --check: overhead 10% or more.
        """;

    /// <summary>The goal: checking identity and scope costs under this share of requests/s.</summary>
    public const double MaxOverhead = 0.10;

    public required string AdminConnectionString { get; init; }

    public int Clients { get; init; } = 16;

    public int Rounds { get; init; } = 6;

    public int RoundSeconds { get; init; } = 5;

    public int WarmupSeconds { get; init; } = 20;

    public int WarmupMaxSeconds { get; init; } = 90;

    public int Grievances { get; init; } = 300;

    public bool Check { get; init; }

    public bool KeepDatabase { get; init; }

    /// <summary>Parses the arguments after <c>access-bench</c>; null with an error (or a null error for --help).</summary>
    public static AccessBenchArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        error = null;
        var result = new AccessBenchArguments { AdminConnectionString = environment("HELPLINE_TEST_DB") ?? SlaBenchCommand.DefaultAdmin };
        var parsed = BenchOptions.Parse(args, result, (o, r) => o.Name switch
        {
            "-h" or "--help" => null,
            "--clients" => r with { Clients = o.Whole(1, 512) },
            "--rounds" => r with { Rounds = o.Whole(3, 100) },
            "--round-seconds" => r with { RoundSeconds = o.Whole(1, 600) },
            "--warmup-seconds" => r with { WarmupSeconds = o.Whole(0, 600) },
            "--warmup-max-seconds" => r with { WarmupMaxSeconds = o.Whole(0, 1800) },
            "--grievances" => r with { Grievances = o.Whole(1, 100_000) },
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

        error = BenchOptions.DatabaseProblem(result.AdminConnectionString);
        return error is null ? result : null;
    }
}
