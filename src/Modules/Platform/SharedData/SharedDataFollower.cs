using Helpline.Platform.Database;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.Platform.SharedData;

/// <summary>How a silo follows shared-data changes (configuration section <c>Helpline:SharedData</c>).</summary>
public sealed class SharedDataOptions
{
    /// <summary>How often the silo looks for changes made by other silos.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long <see cref="ISharedData.CatchUpAsync"/> waits before it gives up with a retryable error.</summary>
    public TimeSpan CatchUpTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between attempts while the database cannot be read.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Keeps this silo's copy of the shared reference data current. Unlike an event subscriber (one silo of the cluster
/// at a time, checkpoint in the database), every silo runs it and keeps its position in memory: at start-up the
/// silo notes the log's head before the modules load their data (<see cref="IReferenceDataLoader"/> order 0), then
/// reads each change committed after it, in log order, and reloads the areas it names, in area order. A silo that
/// joins late or restarts loads everything at start, so it misses nothing.
/// </summary>
internal sealed partial class SharedDataFollower(
    NpgsqlDataSource dataSource,
    IEnumerable<ISharedDataArea> areas,
    IOptions<SharedDataOptions> options,
    ILogger<SharedDataFollower> logger) : BackgroundService, ISharedData, IReferenceDataLoader
{
    // The committed head bounds the read: every position up to it belongs to a transaction that has ended, so reading
    // up to it and no further never passes over a change that commits later with a lower position.
    private const string ChangesSql = """
        select h.last_position, l.stream_key, l.position
        from events.log_head h
        left join events.event_log l on l.stream = $1 and l.position > $2 and l.position <= h.last_position
        order by l.position
        """;

    // Polling intervals and back-off are about the database, not deadlines: wall-clock time even when a test fakes the SLA clock.
    private static readonly TimeProvider Wall = TimeProvider.System;

    private readonly ISharedDataArea[] _areas = [.. areas.OrderBy(a => a.Order)];
    private readonly SharedDataOptions _options = options.Value;
    private long _applied = -1;
    private TaskCompletionSource _advanced = NewSignal();
    private TaskCompletionSource _wake = NewSignal();
    private long _failingSinceTicks;
    private string? _lastError;

    /// <summary>Runs first among the loaders, so that a change committed while the modules load is read again afterwards.</summary>
    public int Order => 0;

    public long AppliedPosition => Interlocked.Read(ref _applied);

    /// <summary>When applying changes started failing, or null while it works.</summary>
    public DateTimeOffset? FailingSince => Interlocked.Read(ref _failingSinceTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>The last failure's message while failing.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    public async Task LoadAsync(CancellationToken cancellationToken) => Advance(await ReadHeadAsync(cancellationToken));

    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var head = await ReadHeadAsync(cancellationToken);
        if (AppliedPosition >= head)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CatchUpTimeout);
        while (AppliedPosition < head)
        {
            var advanced = Volatile.Read(ref _advanced).Task;
            if (AppliedPosition >= head)
            {
                break;
            }

            Volatile.Read(ref _wake).TrySetResult();
            try
            {
                await advanced.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SharedDataBehindException(
                    $"This silo could not load the latest changes to shared reference data within {_options.CatchUpTimeout.TotalSeconds:0} s " +
                    $"(applied up to {AppliedPosition}, needed {head}{(LastError is { } e ? "; last error: " + e : "")}); nothing was done. Try again.");
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                long head;
                if (AppliedPosition < 0)
                {
                    // Started without the loaders (a host that did not prepare the database): load everything once.
                    head = await ReadHeadAsync(stoppingToken);
                    await RefreshAsync(_areas, stoppingToken);
                }
                else
                {
                    head = await ApplyNewChangesAsync(stoppingToken);
                }

                if (failures > 0)
                {
                    LogRecovered(failures);
                }

                // Healthy again before anyone waiting to catch up is released: whoever it releases sees a healthy silo.
                failures = 0;
                Interlocked.Exchange(ref _failingSinceTicks, 0);
                Volatile.Write(ref _lastError, null);
                Advance(head);
                await WaitForWorkAsync(_options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                Interlocked.CompareExchange(ref _failingSinceTicks, Wall.GetUtcNow().UtcTicks, 0);
                Volatile.Write(ref _lastError, ex.Message);
                LogFailed(ex, AppliedPosition, failures);
                var backoff = TimeSpan.FromMilliseconds(Math.Min(_options.MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures, 16))));
                await WaitForWorkAsync(backoff, stoppingToken);
            }
        }
    }

    // Reloads the areas changed since the applied position; returns the position it has applied up to.
    private async Task<long> ApplyNewChangesAsync(CancellationToken cancellationToken)
    {
        var from = AppliedPosition;
        long head;
        var changed = new Dictionary<string, long>(StringComparer.Ordinal); // area -> its latest change
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var command = new NpgsqlCommand(ChangesSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SharedDataChanges.Stream });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            head = from;
            while (await reader.ReadAsync(cancellationToken))
            {
                head = reader.GetInt64(0);
                if (!reader.IsDBNull(1))
                {
                    changed[reader.GetString(1)] = reader.GetInt64(2);
                }
            }
        }

        if (changed.Count > 0)
        {
            var toRefresh = _areas.Where(a => changed.TryGetValue(a.Area, out var latest) && a.HeldThrough < latest).ToList();
            if (toRefresh.Count == 0)
            {
                return head;
            }

            var started = Wall.GetTimestamp();
            await RefreshAsync(toRefresh, cancellationToken);
            var elapsedMs = (long)Wall.GetElapsedTime(started).TotalMilliseconds;
            var names = string.Join(", ", toRefresh.Select(a => a.Area));
            LogApplied(names, from, head, elapsedMs);
        }

        return head;
    }

    private static async Task RefreshAsync(IEnumerable<ISharedDataArea> areas, CancellationToken cancellationToken)
    {
        foreach (var area in areas)
        {
            await area.RefreshAsync(cancellationToken);
        }
    }

    private async Task<long> ReadHeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("select last_position from events.log_head", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private void Advance(long position)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _applied);
            if (position <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _applied, position, current) != current);

        Interlocked.Exchange(ref _advanced, NewSignal()).TrySetResult();
    }

    // Sleeps for the interval, or less when a CatchUpAsync caller needs the latest changes now.
    private async Task WaitForWorkAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var wake = Volatile.Read(ref _wake).Task;
        await Task.WhenAny(wake, Task.Delay(interval, Wall, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (wake.IsCompleted)
        {
            Interlocked.Exchange(ref _wake, NewSignal());
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shared data reloaded on this silo in {ElapsedMs} ms: {Areas} (changes after log position {From}, up to {To})")]
    private partial void LogApplied(string areas, long from, long to, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not apply shared-data changes after log position {Position} (failed attempts in a row: {Failures}); retrying")]
    private partial void LogFailed(Exception ex, long position, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shared-data changes applied again after {Failures} failures")]
    private partial void LogRecovered(int failures);
}
