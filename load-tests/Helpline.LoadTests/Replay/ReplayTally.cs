using HdrHistogram;

namespace Helpline.LoadTests.Replay;

/// <summary>Counts a run as it goes (thread-safe).</summary>
public sealed class ReplayTally
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _rejectedByReason = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _failedByReason = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _notes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _serverStatuses = new(StringComparer.Ordinal);
    private readonly Dictionary<HelplineVerdict, long> _verdicts = [];
    private readonly LongHistogram _latencyMicros = new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
    private readonly bool _hasVerdicts;
    private long _read, _accepted, _imported, _alreadyPresent, _rejectedInFile, _rejectedByServer, _failed, _agree, _disagree, _breached;

    public ReplayTally(bool hasVerdicts)
    {
        _hasVerdicts = hasVerdicts;
    }

    /// <summary>A consistent view for progress displays.</summary>
    public ReplayProgress Progress()
    {
        lock (_lock)
        {
            return new ReplayProgress(_read, _imported, _alreadyPresent, _rejectedInFile + _rejectedByServer, _failed, _latencyMicros.TotalCount);
        }
    }

    public void RowRead()
    {
        lock (_lock)
        {
            _read++;
        }
    }

    public void RejectedInFile(string reason)
    {
        lock (_lock)
        {
            _rejectedInFile++;
            Bump(_rejectedByReason, reason);
        }
    }

    public void RowAccepted(SourceRow row)
    {
        lock (_lock)
        {
            _accepted++;
            foreach (var note in row.Notes.Distinct())
            {
                Bump(_notes, note);
            }
        }
    }

    /// <summary>Counts the verdicts of a record that is in Helpline (or would be, in a dry run).</summary>
    public void InHelpline(SourceRow row, DateTimeOffset now)
    {
        var verdict = Verdicts.Of(row.Record, now);
        var agrees = Verdicts.Agrees(row.Record, row.SourceVerdict);
        lock (_lock)
        {
            _verdicts[verdict] = _verdicts.GetValueOrDefault(verdict) + 1;
            if (agrees == true)
            {
                _agree++;
            }
            else if (agrees == false)
            {
                _disagree++;
            }
        }
    }

    public void Imported(string? status, bool? breached) => ServerAccepted(ref _imported, status, breached);

    public void AlreadyPresent(string? status, bool? breached) => ServerAccepted(ref _alreadyPresent, status, breached);

    public void RejectedByServer(string reason)
    {
        lock (_lock)
        {
            _rejectedByServer++;
            Bump(_rejectedByReason, reason);
        }
    }

    public void Failed(string reason, int count)
    {
        lock (_lock)
        {
            _failed += count;
            _failedByReason[reason] = _failedByReason.GetValueOrDefault(reason) + count;
        }
    }

    public void Call(TimeSpan latency)
    {
        lock (_lock)
        {
            _latencyMicros.RecordValue(Math.Clamp(latency.Ticks / 10, 1, _latencyMicros.HighestTrackableValue));
        }
    }

    /// <summary>The report of the counts so far.</summary>
    public ReplayReport Report(ReplayReportContext context)
    {
        lock (_lock)
        {
            var elapsed = Math.Max(context.Elapsed.TotalSeconds, 1e-9);
            LatencyMs? latency = null;
            if (_latencyMicros.TotalCount > 0)
            {
                static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
                latency = new LatencyMs(
                    _latencyMicros.TotalCount,
                    Ms(_latencyMicros.GetValueAtPercentile(50)),
                    Ms(_latencyMicros.GetValueAtPercentile(90)),
                    Ms(_latencyMicros.GetValueAtPercentile(99)),
                    Ms(_latencyMicros.GetMaxValue()));
            }

            return new ReplayReport
            {
                Format = context.Format,
                Source = context.Source.Profile.Code,
                SourceName = context.Source.Profile.Name,
                TimeZone = context.Source.Profile.TimeZoneId,
                File = context.File,
                DryRun = context.DryRun,
                StartedAt = context.StartedAt,
                FinishedAt = context.StartedAt + context.Elapsed,
                ElapsedSeconds = Math.Round(context.Elapsed.TotalSeconds, 3),
                Interrupted = context.Interrupted,
                FatalError = context.FatalError,
                Read = _read,
                Accepted = _accepted,
                Imported = _imported,
                AlreadyPresent = _alreadyPresent,
                Rejected = _rejectedInFile + _rejectedByServer,
                RejectedInFile = _rejectedInFile,
                RejectedByServer = _rejectedByServer,
                RejectedByReason = Sorted(_rejectedByReason),
                Failed = _failed,
                FailedByReason = Sorted(_failedByReason),
                OnTime = _verdicts.GetValueOrDefault(HelplineVerdict.OnTime),
                Overdue = _verdicts.GetValueOrDefault(HelplineVerdict.Overdue),
                Open = _verdicts.GetValueOrDefault(HelplineVerdict.Open),
                NoDueDate = _verdicts.GetValueOrDefault(HelplineVerdict.NoDueDate),
                VerdictsAsOf = context.VerdictsAsOf,
                Agree = _hasVerdicts ? _agree : null,
                Disagree = _hasVerdicts ? _disagree : null,
                Notes = Sorted(_notes),
                HeaderNotes = [.. context.Source.HeaderNotes],
                DuplicateKeys = context.Source.DuplicateKeys,
                DuplicateKeysByName = context.Source.DuplicateKeysByName is { } byName ? Sorted(byName) : null,
                ServerStatuses = Sorted(_serverStatuses),
                ServerBreached = _breached,
                RecordsPerSecond = Math.Round(_read / elapsed, 1),
                LatencyMs = latency,
                RejectsFile = context.RejectsFile,
            };
        }
    }

    private void ServerAccepted(ref long counter, string? status, bool? breached)
    {
        lock (_lock)
        {
            counter++;
            if (status is not null)
            {
                Bump(_serverStatuses, status);
            }

            if (breached == true)
            {
                _breached++;
            }
        }
    }

    private static void Bump(Dictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static SortedDictionary<string, long> Sorted(IReadOnlyDictionary<string, long> counts) => new(counts.ToDictionary(), StringComparer.Ordinal);
}

/// <summary>What the report says besides the counts.</summary>
public sealed record ReplayReportContext(
    string Format,
    Sources.IReplaySource Source,
    string? File,
    bool DryRun,
    DateTimeOffset StartedAt,
    TimeSpan Elapsed,
    DateTimeOffset VerdictsAsOf,
    bool Interrupted,
    string? FatalError,
    string? RejectsFile);

/// <summary>Counts for a progress display.</summary>
public readonly record struct ReplayProgress(long Read, long Imported, long AlreadyPresent, long Rejected, long Failed, long Calls);
