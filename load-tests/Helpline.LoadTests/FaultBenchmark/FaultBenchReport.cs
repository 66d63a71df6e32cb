using System.Text.Json;
using System.Text.Json.Serialization;
using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>The figures of one <c>fault-bench</c> run (printed as a table, written as JSON with --report).</summary>
public sealed record FaultBenchReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required FaultBenchSettings Settings { get; init; }

    public required int Cores { get; init; }

    public string? PostgreSql { get; set; }

    public string? Database { get; set; }

    /// <summary>Maximum Pool Size given to each silo (3 pools a silo) and the server's max_connections.</summary>
    public string? Pools { get; set; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the load and the faults started (T0: offsets in <see cref="Faults"/> count from it).</summary>
    public DateTimeOffset? RunStartedAt { get; set; }

    public DateTimeOffset FinishedAt { get; set; }

    public string LoadAverageAtStart { get; init; } = "";

    public string LoadAverageAtEnd { get; set; } = "";

    /// <summary>PostgreSQL's clock minus this process's clock, subtracted from recorded_at.</summary>
    public double DbClockOffsetMs { get; set; }

    /// <summary>Seconds spent after the run waiting for every due deadline and every acknowledged registration to show.</summary>
    public double SettleSeconds { get; set; }

    public List<FaultWindow> Faults { get; } = [];

    public RegistrationFigures? Registrations { get; set; }

    public DeadlineFigures? Deadlines { get; set; }

    public List<GoalResult> Goals { get; } = [];

    public List<string> UnexpectedExits { get; } = [];

    public List<string> Notes { get; } = [];

    public string? FatalError { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

public sealed record FaultBenchSettings(
    int Silos, int Rate, int Deadlines, int DurationSeconds, int KillIntervalSeconds, int RestartDelaySeconds, int PgRestarts, int PgDownSeconds, bool SeedWhileRunning);

/// <summary>One fault and the registrations that failed after it.</summary>
/// <param name="Kind">kill -9 or PostgreSQL restart.</param>
/// <param name="Silo">The silo killed (1-based).</param>
/// <param name="StartSeconds">Offset from the run's start.</param>
/// <param name="WindowSeconds">Kill: SIGKILL until the restarted silo was healthy; restart: pg_ctl's call until it returned.</param>
/// <param name="FailedAttempts">Registration attempts that failed from the fault's start until the next fault (or the end).</param>
/// <param name="RefusedSeconds">From the fault's start to the last of those failures (0 when none failed).</param>
/// <param name="Codes">Those failures by code (CONNECTION_REFUSED, CLIENT_TIMEOUT_15S, HTTP_5xx or the GraphQL error code).</param>
/// <param name="Error">Why the silo or the server did not come back, if it did not.</param>
public sealed record FaultWindow(
    string Kind, int? Silo, double StartSeconds, double? WindowSeconds, int FailedAttempts, double RefusedSeconds, IReadOnlyDictionary<string, int> Codes, string? Error);

/// <param name="Attempted">Registrations started (each with its own client request id).</param>
/// <param name="Acknowledged">Answered with a reference number (after retries with the same id).</param>
/// <param name="RefusedPermanently">Answered with an input error (not retried).</param>
/// <param name="GaveUp">Still failing when the caller gave up (--give-up).</param>
/// <param name="GaveUpButStored">Of those, in the read model all the same.</param>
/// <param name="Lost">Acknowledged, but no read-model row has its grain key.</param>
/// <param name="Duplicates">Client request ids with more than one read-model row.</param>
/// <param name="AcknowledgedNumberDiffers">Acknowledged with a reference number other than the stored row's.</param>
/// <param name="Attempts">Calls made, retries included.</param>
/// <param name="FailedAttempts">Calls that did not acknowledge.</param>
/// <param name="FailuresByCode">Those calls by code.</param>
/// <param name="ErrorAnswers">Attempts the server answered with an error (HTTP answer, no reference number).</param>
/// <param name="ErrorAnswersForStoredGrievance">Of those, answers for a grievance already stored when the error came (registered_at before it): a caller told "failed" about a grievance that exists.</param>
/// <param name="AckLatencyMs">From the scheduled instant to the acknowledgement, retries included.</param>
public sealed record RegistrationFigures(
    int Attempted,
    int Acknowledged,
    int RefusedPermanently,
    int GaveUp,
    int GaveUpButStored,
    int Lost,
    int Duplicates,
    int AcknowledgedNumberDiffers,
    int Attempts,
    int FailedAttempts,
    IReadOnlyDictionary<string, int> FailuresByCode,
    int ErrorAnswers,
    int ErrorAnswersForStoredGrievance,
    LatencyMs AckLatencyMs);

/// <param name="Seeded">Live deadlines imported.</param>
/// <param name="Due">Of those, due before the check.</param>
/// <param name="EscalatedOnce">Breached once and escalated once (L2).</param>
/// <param name="Missed">Due, not breached and escalated: <paramref name="NotBreached"/> + <paramref name="BreachedAtTopAtL1"/> (no supervisor known where it fired) + <paramref name="NoRow"/> + other.</param>
/// <param name="NotBreached">No Breached event at all.</param>
/// <param name="BreachedAtTopAtL1">Breached at L1 without escalation (stored as breached at the top).</param>
/// <param name="NoRow">Not in the read model.</param>
/// <param name="Doubled">More than one Breached or Escalated event (event log) or Breached timeline row for its one due date.</param>
/// <param name="InsideKillWindows">Lateness of deadlines due between a SIGKILL and the restarted silo's health.</param>
/// <param name="InsidePgRestarts">Lateness of deadlines due during a PostgreSQL restart.</param>
/// <param name="Outside">Lateness of every other deadline.</param>
/// <param name="NeverBreached">Deadlines in each of the three groups that were never breached (not in the lateness figures, which cover breached ones).</param>
/// <param name="Method">How lateness is measured.</param>
/// <param name="MissedSample">Up to 20 missed or doubled deadlines: reference number, due instant, what the database holds.</param>
public sealed record DeadlineFigures(
    int Seeded,
    int Due,
    int EscalatedOnce,
    int Missed,
    int NotBreached,
    int BreachedAtTopAtL1,
    int NoRow,
    int Doubled,
    LatencyMs InsideKillWindows,
    LatencyMs InsidePgRestarts,
    LatencyMs Outside,
    IReadOnlyList<int> NeverBreached,
    string Method,
    IReadOnlyList<string> MissedSample);

/// <summary>An issue-10 goal: met, missed, or null when nothing measured it.</summary>
public sealed record GoalResult(string Name, bool? Met, string Goal, string Measured);
