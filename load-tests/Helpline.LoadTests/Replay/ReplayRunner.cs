using System.Threading.Channels;
using Helpline.LoadTests.Replay.Sources;

namespace Helpline.LoadTests.Replay;

/// <summary>How a replay runs.</summary>
public sealed record ReplayOptions
{
    /// <summary>Records per call, 1..200 (the server takes at most 200).</summary>
    public int Batch { get; init; } = 50;

    /// <summary>Calls in flight at once.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>At most this many records per second are sent; 0 means no limit.</summary>
    public double Rate { get; init; }

    /// <summary>Read only the first N data rows.</summary>
    public long? Limit { get; init; }

    /// <summary>
    /// The bearer token of the importing role (a token with role <c>importer</c>). Empty: none given; the command line
    /// then mints one (<see cref="ImporterToken"/>).
    /// </summary>
    public string Token { get; init; } = string.Empty;

    /// <summary>Read and check the file and count verdicts, but send nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The GraphQL endpoint, relative to the HttpClient's BaseAddress.</summary>
    public string Endpoint { get; init; } = "graphql";

    /// <summary>One call's time limit.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a call that failed transiently (network, timeout, 5xx, 429), with doubling delays.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>The first retry's delay (unless the server says Retry-After).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>After this many calls in a row fail even after retries, the run stops (the server is gone).</summary>
    public int MaxConsecutiveFailedCalls { get; init; } = 3;

    /// <summary>Open records are judged overdue against this instant; default: when the run starts.</summary>
    public DateTimeOffset? VerdictsAsOf { get; init; }

    public void Validate()
    {
        if (Batch is < 1 or > 200)
        {
            throw new ArgumentOutOfRangeException(nameof(Batch), Batch, "batch must be 1..200");
        }

        if (Concurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Concurrency), Concurrency, "concurrency must be at least 1");
        }

        if (Rate < 0 || double.IsNaN(Rate))
        {
            throw new ArgumentOutOfRangeException(nameof(Rate), Rate, "rate must be 0 (no limit) or more");
        }

        if (Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, "limit must be 0 or more");
        }
    }
}

/// <summary>Defaults shared by the command line and the runner.</summary>
public static class ReplayDefaults
{
    public const string Url = "http://127.0.0.1:5076";
    /// <summary>The environment variable with the token to send when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "HELPLINE_TOKEN";

    /// <summary>
    /// The key directory to mint an importer token from when no token is given (<c>./helpline replay</c> sets it to
    /// <c>.helpline/keys</c>, where <c>./helpline up</c> keeps the key the service trusts).
    /// </summary>
    public const string KeysDirectoryVariable = "HELPLINE_KEYS_DIR";

    /// <summary>
    /// Folder for files the run writes without being told where (the rejects file); <c>./helpline replay</c> sets it to
    /// <c>.helpline/replay/</c>, which git ignores, so a run never litters the checkout.
    /// </summary>
    public const string OutputDirectoryVariable = "HELPLINE_REPLAY_DIR";
}

/// <summary>Reasons under <c>failedByReason</c> (rows accepted from the file that did not reach Helpline).</summary>
public static class FailReasons
{
    /// <summary>The call failed after its retries.</summary>
    public const string CallFailed = "call_failed";

    /// <summary>Never sent, because the run stopped on a fatal error.</summary>
    public const string NotSent = "not_sent";

    /// <summary>In flight or queued when the run was aborted (second Ctrl-C).</summary>
    public const string Interrupted = "interrupted";
}

/// <summary>
/// Replays a source through the server's <c>importGrievances</c> mutation: reads the rows (streaming), sends the
/// accepted ones in batches over <paramref name="http"/> with bounded concurrency and an optional rate limit, and counts
/// everything into a <see cref="ReplayReport"/>. Give it any HttpClient whose BaseAddress is the service (a test
/// host's client works). Idempotent by construction: the server answers ALREADY_PRESENT for a source id it has, so
/// running the same file again resumes where a stopped run left off.
/// <para>Stopping: cancelling <c>stop</c> (first Ctrl-C) stops reading; what was read is still sent and counted.
/// Cancelling <c>abort</c> (second Ctrl-C) also cancels the calls in flight; their rows count as failed
/// (interrupted) and go to the rejects sink, so no row is dropped silently.</para>
/// </summary>
public sealed class ReplayRunner(HttpClient? http, ReplayOptions options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _fatalLock = new();
    private ReplayTally? _tally;
    private CancellationToken _abort;
    private string? _fatal;
    private int _consecutiveFailures;

    /// <summary>Counts so far (for progress displays); zero before the run starts.</summary>
    public ReplayProgress Progress => _tally?.Progress() ?? default;

    /// <summary>Replays a file: opens it, writes rejects to <paramref name="rejectsPath"/> (or keeps them in memory when null).</summary>
    public async Task<ReplayReport> RunFileAsync(
        ReplayFormat format, string path, string? rejectsPath, SourceProfile? profile = null,
        CancellationToken stop = default, CancellationToken abort = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var source = ReplaySources.Open(format, stream, profile);
        if (rejectsPath is null)
        {
            return await RunAsync(source, new RejectList(), format.ToString().ToLowerInvariant(), path, null, stop, abort);
        }

        using var rejects = new CsvRejectsFile(rejectsPath);
        return await RunAsync(source, rejects, format.ToString().ToLowerInvariant(), path, rejectsPath, stop, abort);
    }

    /// <summary>Replays a source; rejected and failed rows go to <paramref name="rejects"/>.</summary>
    public async Task<ReplayReport> RunAsync(
        IReplaySource source, IRejectSink rejects, string format, string? file = null, string? rejectsFile = null,
        CancellationToken stop = default, CancellationToken abort = default)
    {
        options.Validate();
        if (http is null && !options.DryRun)
        {
            // The client comes from the constructor, so its absence is the runner's state, not a bad argument of this call.
            throw new InvalidOperationException("an HttpClient is needed unless DryRun is set");
        }

        var tally = _tally = new ReplayTally(source.HasVerdicts);
        _abort = abort;
        var startedAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        var asOf = options.VerdictsAsOf ?? startedAt;
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var channel = Channel.CreateBounded<List<SourceRow>>(new BoundedChannelOptions(options.Concurrency) { SingleWriter = true });
        var client = http is null ? null : new ImportClient(http, options.Token, options.Endpoint);
        var pacer = new Pacer(options.Rate, _time);

        Task[] workers = options.DryRun
            ? []
            : Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(() => WorkAsync(channel.Reader, client!, pacer, tally, rejects, asOf, halt))).ToArray();
        var interrupted = await Task.Run(() => ProduceAsync(source, channel.Writer, tally, rejects, asOf, halt, stop));
        await Task.WhenAll(workers);

        var context = new ReplayReportContext(
            format, source, file, options.DryRun, startedAt, _time.GetElapsedTime(started), asOf,
            interrupted || abort.IsCancellationRequested, _fatal, rejectsFile);
        return tally.Report(context);
    }

    /// <summary>Reads rows, counts rejects, batches accepted rows. Returns whether reading stopped on <c>stop</c>.</summary>
    private async Task<bool> ProduceAsync(
        IReplaySource source, ChannelWriter<List<SourceRow>> writer, ReplayTally tally, IRejectSink rejects, DateTimeOffset asOf,
        CancellationTokenSource halt, CancellationToken stop)
    {
        var batch = new List<SourceRow>(options.Batch);
        var interrupted = false;
        long read = 0;
        try
        {
            foreach (var item in options.Limit == 0 ? [] : source.ReadRows())
            {
                read++;
                tally.RowRead();
                if (item.Rejected is { } reject)
                {
                    tally.RejectedInFile(reject.Reason);
                    rejects.Write(reject);
                }
                else
                {
                    var row = item.Accepted!;
                    tally.RowAccepted(row);
                    if (options.DryRun)
                    {
                        tally.InHelpline(row, asOf);
                    }
                    else
                    {
                        batch.Add(row);
                        if (batch.Count == options.Batch)
                        {
                            var full = batch;
                            batch = new List<SourceRow>(options.Batch);
                            if (!await Enqueue(writer, full, tally, rejects, halt))
                            {
                                break;
                            }
                        }
                    }
                }

                if (read == options.Limit || halt.IsCancellationRequested)
                {
                    break;
                }

                if (stop.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }
            }
        }
        catch (ReplayInputException ex)
        {
            SetFatal(ex.Message, halt: null);
        }
        catch (IOException ex)
        {
            SetFatal($"reading the file failed: {ex.Message}", halt: null);
        }

        if (batch.Count > 0)
        {
            await Enqueue(writer, batch, tally, rejects, halt);
        }

        writer.Complete();
        return interrupted;
    }

    private async Task<bool> Enqueue(
        ChannelWriter<List<SourceRow>> writer, List<SourceRow> batch, ReplayTally tally, IRejectSink rejects, CancellationTokenSource halt)
    {
        try
        {
            await writer.WriteAsync(batch, halt.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            Fail(batch, HaltReason(), _fatal ?? "the run stopped", tally, rejects);
            return false;
        }
    }

    private async Task WorkAsync(
        ChannelReader<List<SourceRow>> reader, ImportClient client, Pacer pacer, ReplayTally tally, IRejectSink rejects,
        DateTimeOffset asOf, CancellationTokenSource halt)
    {
        await foreach (var batch in reader.ReadAllAsync())
        {
            if (halt.IsCancellationRequested)
            {
                Fail(batch, HaltReason(), _fatal ?? "the run stopped", tally, rejects);
                continue;
            }

            try
            {
                await pacer.WaitAsync(batch.Count, halt.Token);
            }
            catch (OperationCanceledException) when (halt.IsCancellationRequested)
            {
                Fail(batch, HaltReason(), _fatal ?? "the run stopped", tally, rejects);
                continue;
            }

            await SendAsync(batch, client, tally, rejects, asOf, halt);
        }
    }

    /// <summary>Sends one batch with retries; splits it on 413. Never throws: a halted call fails its rows.</summary>
    private async Task SendAsync(List<SourceRow> batch, ImportClient client, ReplayTally tally, IRejectSink rejects, DateTimeOffset asOf, CancellationTokenSource halt)
    {
        try
        {
            await SendOnceOrRetryAsync(batch, client, tally, rejects, asOf, halt);
        }
        catch (OperationCanceledException) when (halt.IsCancellationRequested)
        {
            Fail(batch, HaltReason(), _fatal ?? "the run was aborted", tally, rejects);
        }
    }

    private async Task SendOnceOrRetryAsync(List<SourceRow> batch, ImportClient client, ReplayTally tally, IRejectSink rejects, DateTimeOffset asOf, CancellationTokenSource halt)
    {
        var records = batch.Select(r => r.Record).ToList();
        string? lastError = null;
        for (var attempt = 0; attempt <= options.Retries; attempt++)
        {
            CallResult result;
            using (var call = CancellationTokenSource.CreateLinkedTokenSource(halt.Token))
            {
                call.CancelAfter(options.CallTimeout);
                var started = _time.GetTimestamp();
                try
                {
                    result = await client.SendAsync(records, call.Token);
                    if (result.Responded)
                    {
                        tally.Call(_time.GetElapsedTime(started));
                    }
                }
                catch (OperationCanceledException) when (!halt.IsCancellationRequested)
                {
                    result = new CallResult(CallOutcome.Transient, null, $"no answer within {options.CallTimeout.TotalSeconds:0.#} s");
                }
            }

            switch (result.Outcome)
            {
                case CallOutcome.Answered:
                    Interlocked.Exchange(ref _consecutiveFailures, 0);
                    Apply(batch, result.Results!, tally, rejects, asOf);
                    return;
                case CallOutcome.TooLarge when batch.Count > 1:
                    var half = batch.Count / 2;
                    await SendAsync(batch.GetRange(0, half), client, tally, rejects, asOf, halt);
                    await SendAsync(batch.GetRange(half, batch.Count - half), client, tally, rejects, asOf, halt);
                    return;
                case CallOutcome.TooLarge:
                    tally.RejectedByServer("PAYLOAD_TOO_LARGE");
                    var row = batch[0];
                    rejects.Write(new RowReject(row.Row, row.Line, row.Record.SourceId, "PAYLOAD_TOO_LARGE", result.Error ?? "", row.Raw));
                    return;
                case CallOutcome.Fatal:
                    SetFatal(result.Error ?? "the server refused the call", halt);
                    Fail(batch, FailReasons.NotSent, result.Error ?? "", tally, rejects);
                    return;
            }

            lastError = result.Error;
            if (attempt < options.Retries)
            {
                var delay = result.RetryAfter ?? options.RetryDelay * Math.Pow(2, attempt);
                await Task.Delay(delay, _time, halt.Token);
            }
        }

        Fail(batch, FailReasons.CallFailed, lastError ?? "", tally, rejects);
        if (Interlocked.Increment(ref _consecutiveFailures) >= options.MaxConsecutiveFailedCalls)
        {
            SetFatal($"{options.MaxConsecutiveFailedCalls} calls in a row failed after {options.Retries} retries; last: {lastError}", halt);
        }
    }

    private static void Apply(List<SourceRow> batch, IReadOnlyList<ImportResult> results, ReplayTally tally, IRejectSink rejects, DateTimeOffset asOf)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch[i];
            var result = results[i];
            switch (result.Outcome)
            {
                case "IMPORTED":
                    tally.Imported(result.Status, result.Breached);
                    tally.InHelpline(row, asOf);
                    break;
                case "ALREADY_PRESENT":
                    tally.AlreadyPresent(result.Status, result.Breached);
                    tally.InHelpline(row, asOf);
                    break;
                default:
                    var reason = result.Outcome == "REJECTED" ? result.ErrorCode ?? "REJECTED" : $"UNKNOWN_OUTCOME_{result.Outcome}";
                    var detail = string.Join(": ", new[] { result.ErrorField, result.ErrorMessage }.Where(s => !string.IsNullOrEmpty(s)));
                    tally.RejectedByServer(reason);
                    rejects.Write(new RowReject(row.Row, row.Line, row.Record.SourceId, reason, detail, row.Raw));
                    break;
            }
        }
    }

    private static void Fail(List<SourceRow> batch, string reason, string detail, ReplayTally tally, IRejectSink rejects)
    {
        tally.Failed(reason, batch.Count);
        foreach (var row in batch)
        {
            rejects.Write(new RowReject(row.Row, row.Line, row.Record.SourceId, reason, detail, row.Raw));
        }
    }

    /// <summary>Why rows that were never answered failed: the user aborted, or a fatal error stopped the run.</summary>
    private string HaltReason() => _abort.IsCancellationRequested ? FailReasons.Interrupted : FailReasons.NotSent;

    private void SetFatal(string message, CancellationTokenSource? halt)
    {
        lock (_fatalLock)
        {
            _fatal ??= message;
        }

        halt?.Cancel();
    }

    /// <summary>Spaces calls so that on average no more than <c>rate</c> records per second are sent.</summary>
    private sealed class Pacer(double rate, TimeProvider time)
    {
        private readonly Lock _lock = new();
        private long _next;

        public async Task WaitAsync(int records, CancellationToken cancellationToken)
        {
            if (rate <= 0)
            {
                return;
            }

            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetTimestamp();
                _next = Math.Max(_next, now);
                wait = time.GetElapsedTime(now, _next);
                _next += (long)(records / rate * time.TimestampFrequency);
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }
}
