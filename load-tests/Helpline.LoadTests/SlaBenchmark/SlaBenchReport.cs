using System.Text.Json;
using System.Text.Json.Serialization;
using HdrHistogram;

namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>The figures of one <c>sla-bench</c> run (printed as a table, written as JSON with --report).</summary>
public sealed record SlaBenchReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required MachineInfo Machine { get; set; }

    public required long Open { get; init; }

    public required int Burst { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; set; }

    public double ElapsedSeconds { get; set; }

    /// <summary>The fake clock's start (T0); the seeded due instants are spread over [T0 + 4 d, T0 + 11 d).</summary>
    public DateTimeOffset ClockStart { get; init; }

    public SeedFigures? Seed { get; set; }

    public RearmFigures? Rearm { get; set; }

    public MemoryFigures? Memory { get; set; }

    public BreachFigures? Breach { get; set; }

    public KillNineFigures? KillNine { get; set; }

    /// <summary>Warnings and errors the in-process host logged (first 50).</summary>
    public List<string> HostWarnings { get; } = [];

    public List<string> Notes { get; } = [];

    public string? FatalError { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

public sealed record MachineInfo(
    int Cores, long MemoryBytes, string Os, string Runtime, bool ServerGc, string GcLatencyMode, string LoadAverageAtStart, string? PostgreSql);

public sealed record SeedFigures(long Rows, int Officers, DateTimeOffset FirstDueAt, DateTimeOffset LastDueAt, double CopySeconds, double AnalyzeSeconds);

/// <summary>From the start of the in-process host over the seeded database until every seeded deadline was armed.</summary>
/// <param name="BuildSeconds">HelplineHost.BuildAsync: migrations (none to apply) and reference data.</param>
/// <param name="StartSeconds">The app's StartAsync: silo, Quartz, Kestrel (the start-up sweep starts at the silo's Active stage, not awaited).</param>
/// <param name="SweepLoggedSeconds">From the start of BuildAsync to the start-up sweep's log line (null if not seen).</param>
/// <param name="AllArmedSeconds">From the start of BuildAsync until the officers' workloads added up to N (poll every 250 ms; null if never).</param>
/// <param name="SweepOfficers">Officers the start-up sweep reported.</param>
/// <param name="ActiveOfficers">Officer activations at the end.</param>
/// <param name="ArmedOpen">Sum of GetWorkload().Open over the active officers at the end.</param>
/// <param name="Progress">Each poll: seconds since the start of BuildAsync, open grievances armed, active officers.</param>
/// <param name="Cpu">CPU from the start of BuildAsync until all were armed.</param>
public sealed record RearmFigures(
    double BuildSeconds, double StartSeconds, double? SweepLoggedSeconds, double? AllArmedSeconds, int? SweepOfficers, int ActiveOfficers, long ArmedOpen,
    List<double[]> Progress, CpuFigures? Cpu = null);

/// <summary>Memory of two processes that each ran the host once: empty (baseline) and with N open grievances armed.</summary>
public sealed record MemoryFigures(
    MemorySample Baseline, MemorySample WithOpen, double RssBytesPerOpen, double HeapBytesPerOpen, double CommittedBytesPerOpen);

/// <summary>What a phase process hands back to the benchmark (JSON in a temporary file).</summary>
public sealed record PhaseResult
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public bool ServerGc { get; set; }

    public MemorySample? Baseline { get; set; }

    public int? BaselineSweepOfficers { get; set; }

    public RearmFigures? Rearm { get; set; }

    public MemorySample? WithOpen { get; set; }

    public BreachFigures? Breach { get; set; }

    public List<string> Warnings { get; init; } = [];

    public string? Error { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static PhaseResult FromJson(string json) => JsonSerializer.Deserialize<PhaseResult>(json, JsonOptions)!;
}

/// <summary>Breach latency: wall-clock time from a due instant passing until the grievance is escalated.</summary>
/// <param name="Method">How escalation was observed.</param>
/// <param name="DbClockOffsetMs">PostgreSQL's clock minus this process's clock, subtracted from projected_at.</param>
/// <param name="Registration">The burst's registration through IGrievanceService.</param>
/// <param name="AtRiskSeconds">Time to give the at-risk warnings of both sets (before the breach measurements, so they do not overlap).</param>
/// <param name="Burst">All due at one instant, passed by one move of the clock.</param>
/// <param name="Trickle">Due instants spread over the trickle span, the clock moved in 100 ms steps in real time.</param>
/// <param name="OneOfficer">All held by one officer and due at one instant, passed by one move of the clock (null when skipped).</param>
/// <param name="FirstEscalations">The process's first escalations, at most 200 at one instant a minute before the burst: they pay for compiling the code.</param>
public sealed record BreachFigures(
    string Method, double DbClockOffsetMs, RegistrationFigures Registration, double AtRiskSeconds, LatencyFigures Burst, LatencyFigures Trickle, LatencyFigures? OneOfficer, LatencyFigures? FirstEscalations = null);

public sealed record RegistrationFigures(int Count, double Seconds, int Concurrency, LatencyMs Latency);

/// <param name="Count">Grievances whose due instant passed.</param>
/// <param name="Escalated">Of those, escalated to L2 before the timeout.</param>
/// <param name="Officers">Distinct L1 officers holding them.</param>
/// <param name="CompletedSeconds">Wall-clock time until the last one was seen escalated by the poll (trickle: from the first clock step).</param>
/// <param name="LatencyMs">From the due instant's wall-clock equivalent to the escalated row's projected_at.</param>
/// <param name="ClockStepMaxLateMs">Trickle: how late, at worst, a 100 ms clock step was made.</param>
/// <param name="SetUtcNowMs">Burst: how long moving the clock took (timer callbacks run on that thread).</param>
/// <param name="Cpu">CPU from the first due instant passing until the poll saw all escalated.</param>
/// <param name="Wal">WAL the whole server wrote over the same interval (null when pg_stat_wal cannot be read).</param>
/// <param name="Jit">What the JIT compiled in this process over the same interval.</param>
public sealed record LatencyFigures(
    int Count, int Escalated, int Officers, double CompletedSeconds, LatencyMs LatencyMs, double? ClockStepMaxLateMs = null, double? SetUtcNowMs = null, CpuFigures? Cpu = null, WalFigures? Wal = null, JitFigures? Jit = null);

/// <summary>Methods the JIT compiled, and its time in them (summed over threads, so it can exceed the interval's CPU on a busy machine).</summary>
public sealed record JitFigures(long Methods, double Milliseconds);

/// <summary>Latencies in milliseconds (HdrHistogram, 3 significant digits).</summary>
public sealed record LatencyMs(long Count, double P50, double P90, double P99, double Max, double Min)
{
    public static LatencyMs From(IEnumerable<TimeSpan> values)
    {
        var h = new LongHistogram(TimeSpan.FromHours(1).Ticks / 10, 3);
        var min = double.MaxValue;
        foreach (var v in values)
        {
            min = Math.Min(min, v.TotalMilliseconds);
            h.RecordValue(Math.Clamp(v.Ticks / 10, 0, h.HighestTrackableValue));
        }

        static double Ms(long micros) => Math.Round(micros / 1000.0, 1);
        return h.TotalCount == 0
            ? new LatencyMs(0, 0, 0, 0, 0, 0)
            : new LatencyMs(h.TotalCount, Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)), Ms(h.GetMaxValue()), Math.Round(min, 1));
    }
}

/// <summary>The service as a child process (dotnet Helpline.Host.dll, real clock, server GC) over the same database.</summary>
/// <param name="Empty">Started over the database before it was seeded (then stopped with SIGTERM).</param>
/// <param name="First">Started over the seeded database.</param>
/// <param name="AfterKill">Started again on the same ports right after SIGKILL of the first.</param>
/// <param name="RssBytesPerOpen">(First − Empty) RSS 10 s after arming, per open grievance: the service's own GC, nothing forced.</param>
/// <param name="SampledOfficers">Officers whose workload (GraphQL) was compared with the read model after the restart.</param>
/// <param name="SampleMatches">Their open counts added up to the read model's.</param>
public sealed record KillNineFigures(ChildStart? Empty, ChildStart First, ChildStart AfterKill, double? RssBytesPerOpen, int SampledOfficers, bool SampleMatches);

/// <summary>One start of the child process.</summary>
/// <param name="HealthySeconds">From spawning to /health answering 200.</param>
/// <param name="ArmedSeconds">From spawning to the line "Deadlines re-armed at start-up for N officers".</param>
/// <param name="Officers">N of that line.</param>
/// <param name="RssBytes">The child's VmRSS right after that line.</param>
/// <param name="RssBytesSettled">The child's VmRSS 10 s later.</param>
public sealed record ChildStart(double HealthySeconds, double? ArmedSeconds, int? Officers, long RssBytes, long RssBytesSettled);
