using Helpline.LoadTests.Replay;
using Helpline.LoadTests.Replay.Sources;
using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.ThroughputBenchmark;

/// <summary>The parsed command line of <c>throughput-bench</c>.</summary>
internal sealed record ThroughputBenchArguments
{
    public const string Usage = """
        Usage: ./helpline throughput-bench [options]        (on the test cluster, HELPLINE_TEST_PG_PORT)
               dotnet run --project load-tests/Helpline.LoadTests -c Release -- throughput-bench [options]

        Issue 17's throughput goals, in one run of the real host in this process over a fresh database, each phase
        side by side with PostgreSQL's own figure on the same server (A B A B ...):
        1. registrations: durable registerGrievance with N clients (unique client request ids, every acknowledged one
           found in the read model afterwards) against pgbench -N with as many clients; goal A/B >= 0.40.
        2. lookups: grievance(referenceNumber) with its timeline over GraphQL against a plain minimal-API JSON endpoint
           serving the same data (goal >= 0.5) and against pgbench selecting the same row (goal >= 0.25).
        3. with --replay FILE instead: a Boston 311 export replayed into a fresh database (each record with its whole
           lifecycle, every closed case checked against the source's verdict) against pgbench -N just before it;
           twice: cold (a host that has done nothing yet), then warm (into a second fresh database, through a second
           host in this process, whose code the first compiled); goal A/B >= 0.25 warm, the cold figure beside it.
        See load-tests/README.md, "Throughput benchmark".

        Options:
          --clients N          concurrent clients of every phase (default 16)
          --phases N           measured phases of each kind (default 2)
          --phase-seconds S    length of one phase (default 15)
          --warmup-seconds S   registrations and lookups before measuring (default 30)
          --skip-lookups       registrations only
          --sustain-minutes M  then registrations at the clients' full rate for M minutes: this process's RSS
                               sampled every 10 s (goal: under 4 GiB), every registration found in the read model
                               and every open one in its officer's grain with its deadline (default 0: skipped)
          --replay FILE        the replay of a Boston 311 CSV (../shared/data/311/boston311_2015_sample50k.csv) in place
                               of the registration and lookup phases (--clients and --phase-seconds set pgbench's run)
          --db CONNSTRING      PostgreSQL server to create the database on (default: $HELPLINE_TEST_DB, else port 55433)
          --keep-db            do not drop the database at the end (its name is printed)
          --check              check the options and the --replay file, then exit (nothing is started)
          -h, --help           this text

        Exit codes: 0 done, 1 bad arguments, 2 stopped by an error, a wrong answer or a registration missing from the read model,
        130 interrupted (Ctrl-C or SIGTERM: the run's databases dropped unless --keep-db).
        """;

    public const double RegistrationGoal = 0.40;

    public const double LookupGoal = 0.5;

    public const double SelectGoal = 0.25;

    public required string AdminConnectionString { get; init; }

    public int Clients { get; init; } = 16;

    public int Phases { get; init; } = 2;

    public int PhaseSeconds { get; init; } = 15;

    public int WarmupSeconds { get; init; } = 30;

    public bool SkipLookups { get; init; }

    public int SustainMinutes { get; init; }

    public const long MemoryGoalBytes = 4L * 1024 * 1024 * 1024;

    public bool KeepDatabase { get; init; }

    /// <summary>A Boston 311 CSV to replay instead of the registration and lookup phases (a full path).</summary>
    public string? ReplayFile { get; init; }

    /// <summary>Only check the options and the replay file, then stop: nothing is started or created.</summary>
    public bool CheckOnly { get; init; }

    /// <summary>Parses the arguments after <c>throughput-bench</c>; null with an error (or a null error for --help).</summary>
    public static ThroughputBenchArguments? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        var start = new ThroughputBenchArguments { AdminConnectionString = environment("HELPLINE_TEST_DB") ?? SlaBenchCommand.DefaultAdmin };
        var parsed = BenchOptions.Parse(args, start, (o, r) => o.Name switch
        {
            "-h" or "--help" => null,
            "--clients" => r with { Clients = o.Whole(1, 512) },
            "--phases" => r with { Phases = o.Whole(1, 100) },
            "--phase-seconds" => r with { PhaseSeconds = o.Whole(1, 600) },
            "--warmup-seconds" => r with { WarmupSeconds = o.Whole(0, 600) },
            "--skip-lookups" => r with { SkipLookups = true },
            "--sustain-minutes" => r with { SustainMinutes = o.Whole(0, 600) },
            "--db" => r with { AdminConnectionString = o.Value() },
            "--keep-db" => r with { KeepDatabase = true },
            "--replay" => r with { ReplayFile = o.Value() is { Length: > 0 } file ? Path.GetFullPath(file) : throw new ArgumentException("--replay: give a file name") },
            "--check" => r with { CheckOnly = true },
            _ => throw o.Unknown(),
        }, out error);
        if (parsed is null)
        {
            return null;
        }

        if (parsed.ReplayFile is { } file && ReplayFileProblem(file) is { } problem)
        {
            error = $"--replay {file}: {problem}";
            return null;
        }

        error = BenchOptions.DatabaseProblem(parsed.AdminConnectionString);
        return error is null ? parsed : null;
    }

    // Checked before the benchmark's setup (a fresh database, the host, pgbench's tables), which takes a while: a wrong
    // file is then refused at once rather than after it.
    private static string? ReplayFileProblem(string file)
    {
        if (Directory.Exists(file))
        {
            return "a directory, not a file; give a Boston 311 export (a CSV file)";
        }

        if (!File.Exists(file))
        {
            return "no such file";
        }

        try
        {
            using var stream = File.OpenRead(file);
            using var rows = ReplaySources.Open(ReplayFormat.Boston311, stream).ReadRows().GetEnumerator();
            return rows.MoveNext() ? null : "a Boston 311 header with no records under it";
        }
        catch (ReplayInputException ex)
        {
            return $"not a Boston 311 export: {ex.Message}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {ex.Message}";
        }
    }
}
