using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helpline.LoadTests.Replay;

/// <summary>Latency of the API calls in milliseconds (HdrHistogram, 3 significant digits).</summary>
public sealed record LatencyMs(long Calls, double P50, double P90, double P99, double Max);

/// <summary>
/// The report of a replay (printed as a table, written as JSON with these names in camelCase).
/// Accounting: read = accepted + rejectedInFile; accepted = imported + alreadyPresent + rejectedByServer + failed
/// (+ accepted rows not sent in a dry run); rejected = rejectedInFile + rejectedByServer. The verdict counts
/// (onTime + overdue + open + noDueDate) cover the records that are in Helpline after the run (imported or already
/// present), or every accepted record in a dry run, judged at <see cref="VerdictsAsOf"/>.
/// </summary>
public sealed record ReplayReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public required string Format { get; init; }

    public required string Source { get; init; }

    public required string SourceName { get; init; }

    public required string TimeZone { get; init; }

    public string? File { get; init; }

    public bool DryRun { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    public double ElapsedSeconds { get; init; }

    /// <summary>Stopped by Ctrl-C (or the stop token) before the end of the file.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Why the run stopped early, when something made going on pointless (bad token, broken file...).</summary>
    public string? FatalError { get; init; }

    public long Read { get; init; }

    public long Accepted { get; init; }

    public long Imported { get; init; }

    public long AlreadyPresent { get; init; }

    public long Rejected { get; init; }

    public long RejectedInFile { get; init; }

    public long RejectedByServer { get; init; }

    public required IReadOnlyDictionary<string, long> RejectedByReason { get; init; }

    /// <summary>Accepted rows that did not reach Helpline: the call failed, was interrupted, or was never sent.</summary>
    public long Failed { get; init; }

    public required IReadOnlyDictionary<string, long> FailedByReason { get; init; }

    public long OnTime { get; init; }

    public long Overdue { get; init; }

    public long Open { get; init; }

    public long NoDueDate { get; init; }

    /// <summary>The instant open records' due dates are compared with.</summary>
    public DateTimeOffset VerdictsAsOf { get; init; }

    /// <summary>Closed records with a due date and a source verdict where Helpline's verdict matches it; null for sources without verdicts.</summary>
    public long? Agree { get; init; }

    public long? Disagree { get; init; }

    public required IReadOnlyDictionary<string, long> Notes { get; init; }

    public required IReadOnlyList<string> HeaderNotes { get; init; }

    public long? DuplicateKeys { get; init; }

    public IReadOnlyDictionary<string, long>? DuplicateKeysByName { get; init; }

    /// <summary>Statuses the server reported for imported and already present records.</summary>
    public required IReadOnlyDictionary<string, long> ServerStatuses { get; init; }

    /// <summary>Records the server reported as breached.</summary>
    public long ServerBreached { get; init; }

    public double RecordsPerSecond { get; init; }

    public LatencyMs? LatencyMs { get; init; }

    public string? RejectsFile { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ReplayReport FromJson(string json) => JsonSerializer.Deserialize<ReplayReport>(json, JsonOptions)!;
}
