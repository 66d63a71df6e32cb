using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>The parsed command line of <c>fault-bench</c>.</summary>
public sealed record FaultBenchArguments
{
    public const string Usage = """
        Usage: dotnet run --project load-tests/Helpline.LoadTests -c Release -- fault-bench [options]
           or: ./helpline fault-bench [options]   (starts the test PostgreSQL and fills in --db and --pg-data)

        Starts N silos of the built host (dotnet Helpline.Host.dll, one process each, real clock) over a fresh
        database, seeds live deadlines (imported open records due during the run), drives registrations round-robin
        over the silos, kills one silo with SIGKILL every interval and starts it again, restarts PostgreSQL, lets
        everything settle and checks what became of every acknowledged registration and every deadline.
        See load-tests/README.md, "Fault benchmark".

        Options:
          --silos N            silo processes (default 3)
          --rate N             registrations a second, round-robin over the silos that are up (default 20)
          --deadlines N        live deadlines due during the run (default 2,000)
          --duration S         seconds of load and faults (default 420: four kills at the default interval)
          --kill-interval S    SIGKILL one silo every S seconds, the first at S (default 90; 0: no kills)
          --restart-delay S    start the killed silo again S seconds after the kill (default 5)
          --pg-restarts N      PostgreSQL restarts during the run, between kills (default 2; 0: none)
          --pg-down S          keep PostgreSQL down S seconds (stop, wait, start) instead of a plain restart (default 0)
          --pg-data DIR        the server's data directory, for pg_ctl (default: $HELPLINE_TEST_PG_DATA; without it
                               PostgreSQL is not restarted). Run as root, pg_ctl runs as the postgres user.
          --pg-ctl PATH        pg_ctl to use (default /usr/lib/postgresql/15/bin/pg_ctl)
          --settle S           after the run, wait up to S seconds for every due deadline to be escalated and every
                               acknowledged registration to be in the read model (default 150)
          --give-up S          a caller stops retrying one registration after S seconds (default 120)
          --seed-while-running import the deadlines with every silo up (the imported city is then new to the other
                               silos until they restart: shows issue 10's first defect); by default its world is
                               created with silo 1 alone, before the other silos start
          --db CONNSTRING      PostgreSQL server to create the database on (default: $HELPLINE_TEST_DB, else
                               Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres)
          --logs DIR           silo logs (silo-<i>.log) go to DIR/<database> (default: $HELPLINE_FAULT_BENCH_DIR,
                               else the temp folder)
          --report FILE        also write the figures as JSON to FILE
          --keep-db            do not drop the database at the end (its name is printed)
          -h, --help           this text

        Exit codes: 0 ran (goals met or not: read the table), 1 bad arguments, 2 stopped by an error.
        """;

    public int Silos { get; init; } = 3;

    public int Rate { get; init; } = 20;

    public int Deadlines { get; init; } = 2000;

    public int DurationSeconds { get; init; } = 420;

    public int KillIntervalSeconds { get; init; } = 90;

    public int RestartDelaySeconds { get; init; } = 5;

    public int PgRestarts { get; init; } = 2;

    public int PgDownSeconds { get; init; }

    public string? PgData { get; init; }

    public string PgCtl { get; init; } = "/usr/lib/postgresql/15/bin/pg_ctl";

    public int SettleSeconds { get; init; } = 150;

    public int GiveUpSeconds { get; init; } = 120;

    public bool SeedWhileRunning { get; init; }

    public required string AdminConnectionString { get; init; }

    public string? Logs { get; init; }

    public string? Report { get; init; }

    public bool KeepDatabase { get; init; }

    /// <summary>Parses the arguments after <c>fault-bench</c>; null with an error (or a null error for --help).</summary>
    public static FaultBenchArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        error = null;
        var result = new FaultBenchArguments
        {
            AdminConnectionString = environment("HELPLINE_TEST_DB") ?? SlaBenchCommand.DefaultAdmin,
            PgData = environment("HELPLINE_TEST_PG_DATA") is { Length: > 0 } data ? data : null,
            Logs = environment("HELPLINE_FAULT_BENCH_DIR") is { Length: > 0 } logs ? logs : null,
        };
        var parsed = BenchOptions.Parse(args, result, (o, r) => o.Name switch
        {
            "-h" or "--help" => null,
            "--silos" => r with { Silos = o.Whole(1, 20) },
            "--rate" => r with { Rate = o.Whole(0, 2000) },
            "--deadlines" => r with { Deadlines = o.Whole(0, 200_000) },
            "--duration" => r with { DurationSeconds = o.Whole(30, 86_400) },
            "--kill-interval" => r with { KillIntervalSeconds = o.Whole(0, 86_400) },
            "--restart-delay" => r with { RestartDelaySeconds = o.Whole(0, 3600) },
            "--pg-restarts" => r with { PgRestarts = o.Whole(0, 100) },
            "--pg-down" => r with { PgDownSeconds = o.Whole(0, 3600) },
            "--pg-data" => r with { PgData = o.Value() },
            "--pg-ctl" => r with { PgCtl = o.Value() },
            "--settle" => r with { SettleSeconds = o.Whole(0, 3600) },
            "--give-up" => r with { GiveUpSeconds = o.Whole(1, 3600) },
            "--seed-while-running" => r with { SeedWhileRunning = true },
            "--db" => r with { AdminConnectionString = o.Value() },
            "--logs" => r with { Logs = o.Value() },
            "--report" => r with { Report = o.Value() },
            "--keep-db" => r with { KeepDatabase = true },
            _ => throw o.Unknown(),
        }, out error);
        if (parsed is null)
        {
            return null;
        }

        result = parsed;

        if (result.KillIntervalSeconds > 0 && result.Silos < 2)
        {
            error = "--kill-interval needs --silos 2 or more (killing the only silo measures a restart, not a cluster)";
            return null;
        }

        error = BenchOptions.DatabaseProblem(result.AdminConnectionString);
        return error is null ? result : null;
    }
}
