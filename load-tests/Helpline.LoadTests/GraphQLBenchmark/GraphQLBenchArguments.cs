using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.GraphQLBenchmark;

/// <summary>The parsed command line of <c>graphql-bench</c>.</summary>
internal sealed record GraphQLBenchArguments
{
    public const string Usage = """
        Usage: ./helpline graphql-bench [options]        (on the test cluster, HELPLINE_TEST_PG_PORT)
               dotnet run --project load-tests/Helpline.LoadTests -c Release -- graphql-bench [options]

        Issue 16's two performance goals, in one run of the real host in this process over a fresh database:
        1. lookups: requests/s of grievance(referenceNumber) with its timeline over GraphQL (A, a partner token) against
           a plain ASP.NET Core minimal-API JSON endpoint serving the same grievance and timeline from the read model's
           tables (B), same clients, phases A B A B ... after a warm-up; goal A/B >= 0.5.
        2. subscriptions: N WebSocket subscribers (graphql-transport-ws, grievanceEvents, an administrator token) while
           grievances are registered at a steady rate; latency of each REGISTERED event from the registering
           mutation's response (and from its sending); goal p99 <= 100 ms, and no delivery lost.
        See load-tests/README.md, "GraphQL benchmark".

        Options:
          --grievances N       grievances registered before the lookups (default 3,000)
          --clients N          concurrent HTTP clients in the lookups, one request at a time each (default 16)
          --phases N           measured phases of each of A and B (default 2)
          --phase-seconds S    length of one phase (default 15)
          --warmup-seconds S   A and B in turn before measuring (default 30)
          --subscribers N      WebSocket subscribers (default 1,000)
          --rate N             registrations a second while they listen (default 20)
          --register-seconds S how long registrations go on (default 30)
          --db CONNSTRING      PostgreSQL server to create the database on (default: $HELPLINE_TEST_DB, else port 55433)
          --keep-db            do not drop the database at the end (its name is printed)
          -h, --help           this text

        Exit codes: 0 done, 1 bad arguments, 2 stopped by an error, a wrong answer or a lost delivery.
        """;

    public const double LookupGoal = 0.5;

    public const double LatencyGoalMs = 100;

    public required string AdminConnectionString { get; init; }

    public int Grievances { get; init; } = 3000;

    public int Clients { get; init; } = 16;

    public int Phases { get; init; } = 2;

    public int PhaseSeconds { get; init; } = 15;

    public int WarmupSeconds { get; init; } = 30;

    public int Subscribers { get; init; } = 1000;

    public int Rate { get; init; } = 20;

    public int RegisterSeconds { get; init; } = 30;

    public bool KeepDatabase { get; init; }

    /// <summary>Parses the arguments after <c>graphql-bench</c>; null with an error (or a null error for --help).</summary>
    public static GraphQLBenchArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        var start = new GraphQLBenchArguments { AdminConnectionString = environment("HELPLINE_TEST_DB") ?? SlaBenchCommand.DefaultAdmin };
        var parsed = BenchOptions.Parse(args, start, (o, r) => o.Name switch
        {
            "-h" or "--help" => null,
            "--grievances" => r with { Grievances = o.Whole(1, 100_000) },
            "--clients" => r with { Clients = o.Whole(1, 512) },
            "--phases" => r with { Phases = o.Whole(1, 100) },
            "--phase-seconds" => r with { PhaseSeconds = o.Whole(1, 600) },
            "--warmup-seconds" => r with { WarmupSeconds = o.Whole(0, 600) },
            "--subscribers" => r with { Subscribers = o.Whole(0, 10_000) },
            "--rate" => r with { Rate = o.Whole(1, 1000) },
            "--register-seconds" => r with { RegisterSeconds = o.Whole(1, 600) },
            "--db" => r with { AdminConnectionString = o.Value() },
            "--keep-db" => r with { KeepDatabase = true },
            _ => throw o.Unknown(),
        }, out error);
        if (parsed is null)
        {
            return null;
        }

        error = BenchOptions.DatabaseProblem(parsed.AdminConnectionString);
        return error is null ? parsed : null;
    }
}
