using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.Platform.Events;

/// <summary>How the dispatcher polls and retries (configuration section <c>Helpline:Events</c>).</summary>
public sealed class EventDispatchOptions
{
    /// <summary>How long an idle subscriber waits before looking for new events.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most events handed to a subscriber in one batch (one transaction).</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>
    /// How long a subscriber that has caught up (its last batch was not full) lets new events gather before reading
    /// again. Under load, reading at once handed over one or two events a transaction, with a commit each.
    /// </summary>
    public TimeSpan BatchLinger { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often a silo that does not lead a subscriber checks whether the leader is gone.</summary>
    public TimeSpan LeaderRetry { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between retries of a failing batch.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Delivers the event log to every registered <see cref="IEventSubscriber"/>. Each silo runs this service; for
/// each subscriber one silo leads at a time (a PostgreSQL session advisory lock held on a dedicated connection,
/// released by the server when that silo dies). The leader reads events in position order (appends are serialised to
/// their commit, so an event committed late never has a lower position than one already read) and moves the
/// checkpoint in the transaction that handled the batch.
/// </summary>
internal sealed partial class EventDispatcher(
    NpgsqlDataSource dataSource,
    SharedEventReads reads,
    IEnumerable<IEventSubscriber> subscribers,
    IOptions<EventDispatchOptions> options,
    ILogger<EventDispatcher> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    // Waits are about how often to poll the database, not about deadlines, so they use wall-clock time even when
    // the SLA clock is faked.
    private static readonly TimeProvider Wall = TimeProvider.System;

    // A batch that fails a few times heals itself often enough (a silo killed, until the cluster declares it dead; a
    // database restart) to be a warning; from the fifth failure in a row, about 15 s of retrying, it is an error.
    internal const int PersistentFailures = 5;

    private readonly EventDispatchOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Subscribers call grains: start once every hosted service, the silo among them, has started.
        if (lifetime is not null)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                await started.Task;
            }
        }

        await Task.WhenAll(subscribers.Select(s => Task.Run(() => LeadAsync(s, stoppingToken), CancellationToken.None)));
    }

    private async Task LeadAsync(IEventSubscriber subscriber, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var leader = await dataSource.OpenConnectionAsync(stop);
                await EventStore.EnsureSubscriptionAsync(leader, subscriber.Name, stop);
                if (!await EventStore.TryLeadAsync(leader, subscriber.Name, stop))
                {
                    await Task.Delay(_options.LeaderRetry, Wall, stop);
                    continue;
                }

                LogLeading(subscriber.Name);
                failures = 0;
                try
                {
                    await PumpAsync(subscriber, leader, stop);
                }
                finally
                {
                    // A pooled connection keeps session locks until it is reset on its next use: let go now.
                    await EventStore.StepDownAsync(leader, subscriber.Name);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                LogLeaderLost(ex, subscriber.Name);
                await DelayQuietly(Backoff(failures), stop);
            }
        }
    }

    // Runs while this silo leads: reads, hands over, moves the checkpoint; returns only by throwing or on stop.
    private async Task PumpAsync(IEventSubscriber subscriber, NpgsqlConnection leader, CancellationToken stop)
    {
        var checkpoint = await EventStore.ReadCheckpointAsync(leader, subscriber.Name, stop);
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var batch = await reads.ReadAfterAsync(leader, checkpoint, _options.BatchSize, stop);
            if (batch.Count == 0)
            {
                await Task.Delay(_options.PollInterval, Wall, stop);
                continue;
            }

            try
            {
                checkpoint = await HandleAsync(subscriber, checkpoint, batch, stop);
                if (failures > 0)
                {
                    LogRecovered(subscriber.Name, failures);
                    await EventStore.ClearErrorAsync(leader, subscriber.Name, stop);
                }

                failures = 0;
                if (batch.Count < _options.BatchSize)
                {
                    await Task.Delay(_options.BatchLinger, Wall, stop);
                }
            }
            catch (CheckpointMovedException)
            {
                // Not a failure of the subscriber: a silo that led before this one committed its last batch late (its
                // session gone, its transaction still running), or another believes it leads. This batch rolled back;
                // what is stored is delivered, and a silo that does not lead finds out at its next statement.
                LogCheckpointMoved(subscriber.Name);
                checkpoint = await EventStore.ReadCheckpointAsync(leader, subscriber.Name, stop);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                failures++;
                LogBatchFailed(failures < PersistentFailures ? LogLevel.Warning : LogLevel.Error, ex, subscriber.Name, batch[0].Position, failures);
                await EventStore.RecordErrorAsync(leader, subscriber.Name, ex.Message, stop);
                await Task.Delay(Backoff(failures), Wall, stop);

                // The stored checkpoint is the truth: a commit whose answer was lost, or another silo that delivered,
                // moved it, and retrying from the one in memory would fail the guard for ever.
                checkpoint = await EventStore.ReadCheckpointAsync(leader, subscriber.Name, stop);
            }
        }
    }

    private async Task<Checkpoint> HandleAsync(IEventSubscriber subscriber, Checkpoint from, IReadOnlyList<IntegrationEvent> batch, CancellationToken stop)
    {
        var last = batch[^1];
        var to = new Checkpoint(last.Transaction, last.Position);
        var wanted = batch.Where(e => subscriber.Streams.Contains(e.Stream)).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(stop);
        await using var transaction = await connection.BeginTransactionAsync(stop);
        if (wanted.Length > 0)
        {
            await subscriber.HandleAsync(wanted, new EventBatchContext(connection, transaction), stop);
        }

        // Guarded by the old checkpoint: if another silo also believed it led and moved it, this batch rolls back.
        if (!await EventStore.MoveCheckpointAsync(connection, transaction, subscriber.Name, from, to, wanted.Length, stop))
        {
            throw new CheckpointMovedException();
        }

        await transaction.CommitAsync(stop);
        return to;
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(_options.MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 16))));

    private static async Task DelayQuietly(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, Wall, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This silo now delivers events to subscriber {Subscriber}")]
    private partial void LogLeading(string subscriber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event delivery to subscriber {Subscriber} stopped on this silo; it will try to lead again")]
    private partial void LogLeaderLost(Exception ex, string subscriber);

    [LoggerMessage(Message = "Subscriber {Subscriber} failed a batch starting at position {Position} (failed attempts in a row: {Failures}); it is retried and later events wait")]
    private partial void LogBatchFailed(LogLevel level, Exception ex, string subscriber, long position, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscriber {Subscriber} handled its batch (failed attempts before: {Failures})")]
    private partial void LogRecovered(string subscriber, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The checkpoint of subscriber {Subscriber} was moved by another silo's delivery; this silo's batch rolled back, and it reads the checkpoint again")]
    private partial void LogCheckpointMoved(string subscriber);

    // The guarded checkpoint move found another position stored.
    private sealed class CheckpointMovedException : Exception;
}
