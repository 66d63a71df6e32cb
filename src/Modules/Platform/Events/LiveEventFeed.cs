using System.Collections.Immutable;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.Platform.Events;

/// <summary>
/// Events as they are committed, for live subscriptions. Unlike an <see cref="IEventSubscriber"/>, which one silo of
/// the cluster handles with a checkpoint, every silo tails the log for its own listeners, so a listener on one silo
/// hears events committed through any other. Nothing is kept: a listener hears what is committed while it listens.
/// </summary>
public interface ILiveEventFeed
{
    /// <summary>
    /// Makes sure this silo is tailing the log, so that every event committed after this call returns reaches any
    /// listener added from then on. Call it before <see cref="Listen"/>.
    /// </summary>
    ValueTask EnsureTailingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds a listener; dispose the result to remove it. <paramref name="onBatch"/> is called with each batch read,
    /// oldest first, on the feed's own loop: it must return at once (queue work, never wait on I/O), and a listener
    /// that throws is removed.
    /// </summary>
    IDisposable Listen(Action<IReadOnlyList<IntegrationEvent>> onBatch);
}

/// <summary>How this silo tails the event log for live listeners (configuration section <c>Helpline:Events</c>).</summary>
public sealed class LiveEventOptions
{
    /// <summary>How often the log is read while anyone listens: most of an event's delay on its way to a subscriber.</summary>
    public TimeSpan LivePollInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long tailing goes on after the last listener left, so that a reconnecting client misses nothing.</summary>
    public TimeSpan LiveIdleAfter { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Tails <c>events.event_log</c> while there are listeners. Appends are serialised to their commit (see
/// <see cref="EventStore"/>), so reading on from the last position read never passes over an event that commits later.
/// </summary>
internal sealed partial class LiveEventTail(NpgsqlDataSource dataSource, IOptions<LiveEventOptions> options, ILogger<LiveEventTail> logger)
    : BackgroundService, ILiveEventFeed
{
    // Polling is about the database, not about deadlines: wall-clock time even when the SLA clock is faked.
    private static readonly TimeProvider Wall = TimeProvider.System;
    private const int BatchSize = 500;

    private readonly LiveEventOptions _options = options.Value;
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _gate = new();
    private ImmutableArray<Listener> _listeners = [];
    private long _position = -1; // -1: not tailing
    private long _lastDemand;

    public async ValueTask EnsureTailingAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastDemand, Wall.GetTimestamp());
        if (Volatile.Read(ref _position) >= 0)
        {
            return;
        }

        await _starting.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _position) < 0)
            {
                await using var cmd = dataSource.CreateCommand("select coalesce(max(position), 0) from events.event_log");
                Volatile.Write(ref _position, (long)(await cmd.ExecuteScalarAsync(cancellationToken))!);
                Interlocked.Exchange(ref _lastDemand, Wall.GetTimestamp());
                if (_wake.CurrentCount == 0)
                {
                    _wake.Release();
                }
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>How many listen now (for diagnosis and tests).</summary>
    public int ListenerCount => _listeners.Length;

    public IDisposable Listen(Action<IReadOnlyList<IntegrationEvent>> onBatch)
    {
        var listener = new Listener(this, onBatch);
        lock (_gate)
        {
            _listeners = _listeners.Add(listener);
        }

        return listener;
    }

    private void Remove(Listener listener)
    {
        lock (_gate)
        {
            _listeners = _listeners.Remove(listener);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (Volatile.Read(ref _position) < 0)
                {
                    await _wake.WaitAsync(stoppingToken);
                    continue;
                }

                var batch = await ReadAsync(Volatile.Read(ref _position), stoppingToken);
                if (batch.Count > 0)
                {
                    Volatile.Write(ref _position, batch[^1].Position);
                    Deliver(batch);
                    if (batch.Count == BatchSize)
                    {
                        continue;
                    }
                }
                else if (_listeners.IsEmpty && Wall.GetElapsedTime(Interlocked.Read(ref _lastDemand)) > _options.LiveIdleAfter)
                {
                    GoIdle();
                    continue;
                }

                await Task.Delay(_options.LivePollInterval, Wall, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong, live subscriptions wait for the next read; a background service that threw would stop the host.
                LogReadFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), Wall, stoppingToken);
            }
        }
    }

    // Idle only under the start lock, so that a caller of EnsureTailingAsync never returns while the tail stops.
    private void GoIdle()
    {
        if (!_starting.Wait(0))
        {
            return;
        }

        try
        {
            if (_listeners.IsEmpty && Wall.GetElapsedTime(Interlocked.Read(ref _lastDemand)) > _options.LiveIdleAfter)
            {
                Volatile.Write(ref _position, -1);
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    private async Task<IReadOnlyList<IntegrationEvent>> ReadAsync(long after, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await EventStore.ReadAfterAsync(connection, new Checkpoint(string.Empty, after), BatchSize, cancellationToken);
    }

    private void Deliver(IReadOnlyList<IntegrationEvent> batch)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                listener.OnBatch(batch);
            }
            catch (Exception ex)
            {
                LogListenerFailed(ex);
                listener.Dispose();
            }
        }
    }

    public override void Dispose()
    {
        _starting.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    private sealed class Listener(LiveEventTail feed, Action<IReadOnlyList<IntegrationEvent>> onBatch) : IDisposable
    {
        public Action<IReadOnlyList<IntegrationEvent>> OnBatch { get; } = onBatch;

        public void Dispose() => feed.Remove(this);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the event log for live subscriptions failed; trying again in a second")]
    private partial void LogReadFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "A live event listener failed and was removed")]
    private partial void LogListenerFailed(Exception ex);
}
