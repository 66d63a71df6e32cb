using System.Globalization;
using Helpline.LoadTests.SlaBenchmark;
using Npgsql;

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
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"option {arg} needs a value");
            int Whole(int min, int max)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                    ? v
                    : throw new ArgumentException($"{arg} {text}: give a whole number from {min:N0} to {max:N0}");
            }

            try
            {
                result = arg switch
                {
                    "-h" or "--help" => null,
                    "--callbacks" => result with { CallBacks = Whole(1, 10_000_000) },
                    "--districts" => result with { Districts = Whole(1, 75) },
                    "--departments" => result with { Departments = Whole(1, 100) },
                    "--build-rounds" => result with { BuildRounds = Whole(1, 100) },
                    "--agents" => result with { Agents = Whole(1, 100_000) },
                    "--rounds" => result with { Rounds = Whole(1, 10_000) },
                    "--warmup" => result with { Warmup = Whole(0, 10_000) },
                    "--alone" => result with { Alone = Whole(1, 100_000) },
                    "--report" => result with { ReportFile = Value() },
                    "--db" => result with { AdminConnectionString = Value() },
                    "--check" => result with { Check = true },
                    "--keep-db" => result with { KeepDatabase = true },
                    _ => throw new ArgumentException($"unknown option {arg}"),
                };
            }
            catch (ArgumentException ex)
            {
                error = ex.Message;
                return null;
            }

            if (result is null)
            {
                return null;
            }
        }

        // Every agent of the one-campaign scenario needs a call-back of its own in that campaign.
        if ((long)result.Agents * result.Districts > result.CallBacks)
        {
            error = $"--agents {result.Agents:N0} in one of {result.Districts} district campaigns needs at least {(long)result.Agents * result.Districts:N0} call-backs (--callbacks)";
            return null;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(result.AdminConnectionString);
        }
        catch (ArgumentException ex)
        {
            error = $"--db: {ex.Message}";
            return null;
        }

        return result;
    }
}
