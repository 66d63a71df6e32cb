using System.Collections.Concurrent;
using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.Tests.Platform.Events;

/// <summary>Delivery to subscribers: in order, once, by one of several silos, and again after a failed batch.</summary>
public sealed class EventDispatcherTests : EventLogDatabase
{
    private static readonly EventDispatchOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(20), LeaderRetry = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(200), BatchSize = 5 };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await using var cmd = Data.CreateCommand("create table public.handled (event_id uuid primary key, stream_key text not null, seq int not null, arrival bigint generated always as identity)");
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Two_silos_deliver_every_event_once_in_order_per_key_and_a_failed_batch_is_retried()
    {
        var ct = TestContext.Current.CancellationToken;
        var subscriber = new RecordingSubscriber(failFirstBatches: 2);
        var log = new LevelLog();
        var silos = new[] { Dispatcher(subscriber, log), Dispatcher(subscriber, log) };
        foreach (var silo in silos)
        {
            await silo.StartAsync(ct);
        }

        for (var i = 1; i <= 30; i++)
        {
            await AppendAsync($"g{i % 4}", (i + 3) / 4, ct);
        }

        var rows = await Wait.UntilAsync(HandledAsync, r => r.Count == 30, "30 handled events");
        Assert.Equal(30, rows.Select(r => r.EventId).Distinct().Count());
        foreach (var key in rows.GroupBy(r => r.Key))
        {
            Assert.Equal(Enumerable.Range(1, key.Count()), key.Select(r => r.Seq));
        }

        Assert.Equal(2, subscriber.Failures);
        Assert.Equal([LogLevel.Warning, LogLevel.Warning], log.Levels.Where(l => l >= LogLevel.Warning));
        var status = Assert.Single(await new EventSubscriptions(Data).ListAsync(ct));
        Assert.Equal((30L, 0L, null), (status.Delivered, status.Pending, status.LastError));

        // Each silo in turn stops while the other runs, so whichever led, the other takes over from the checkpoint.
        await silos[0].StopAsync(ct);
        await AppendRangeAsync("late", 1, 5, ct);
        await Wait.UntilAsync(HandledAsync, r => r.Count == 35, "35 handled events");
        var again = Dispatcher(subscriber);
        await again.StartAsync(ct);
        await silos[1].StopAsync(ct);
        await AppendRangeAsync("late", 6, 10, ct);
        rows = await Wait.UntilAsync(HandledAsync, r => r.Count == 40, "40 handled events");
        Assert.Equal(40, rows.Select(r => r.EventId).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 10), rows.Where(r => r.Key == "late").Select(r => r.Seq));
        await again.StopAsync(ct);
    }

    [Fact]
    public async Task A_batch_that_keeps_failing_is_an_error_from_its_fifth_failure_in_a_row()
    {
        var ct = TestContext.Current.CancellationToken;
        var subscriber = new RecordingSubscriber(failFirstBatches: EventDispatcher.PersistentFailures);
        var log = new LevelLog();
        var silo = Dispatcher(subscriber, log);
        await silo.StartAsync(ct);
        await AppendAsync("k", 1, ct);
        await Wait.UntilAsync(HandledAsync, r => r.Count == 1, "the event handled after its failures");
        await silo.StopAsync(ct);

        Assert.Equal(
            [.. Enumerable.Repeat(LogLevel.Warning, EventDispatcher.PersistentFailures - 1), LogLevel.Error],
            log.Levels.Where(l => l >= LogLevel.Warning));
    }

    [Fact]
    public async Task A_checkpoint_moved_by_someone_else_is_read_again_instead_of_failing_for_ever()
    {
        var ct = TestContext.Current.CancellationToken;
        await AppendRangeAsync("early", 1, 3, ct);
        var subscriber = new CheckpointThief(Data);
        var log = new LevelLog();
        var silo = Dispatcher(subscriber, log);
        await silo.StartAsync(ct);

        // The thief moves the stored checkpoint within the first batch (as another silo would), so that batch's guard
        // fails; the dispatcher must carry on from the stored checkpoint and deliver what comes next.
        await AppendRangeAsync("late", 1, 2, ct);
        await Wait.UntilAsync(() => Task.FromResult(subscriber.Seen.Count(k => k == "late")), n => n == 2, "the later events");
        Assert.Equal(2, subscriber.Seen.Count(k => k == "late"));
        await silo.StopAsync(ct);

        // Another silo's delivery is not this subscriber failing: said once as a warning, with no error on record.
        Assert.Equal([LogLevel.Warning], log.Levels.Where(l => l >= LogLevel.Warning));
        Assert.Null(Assert.Single(await new EventSubscriptions(Data).ListAsync(ct)).LastError);
    }

    private EventDispatcher Dispatcher(IEventSubscriber subscriber, ILogger<EventDispatcher>? log = null) =>
        new(Data, new SharedEventReads(), [subscriber], Options.Create(Fast), log ?? NullLogger<EventDispatcher>.Instance);

    private async Task AppendAsync(string key, int seq, CancellationToken ct)
    {
        await using var conn = await Data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await EventLog.AppendAsync(conn, tx, "test", key, [new NewEvent(seq, "Happened", DateTimeOffset.UnixEpoch, "{}")], ct);
        await tx.CommitAsync(ct);
    }

    private async Task AppendRangeAsync(string key, int from, int to, CancellationToken ct)
    {
        for (var seq = from; seq <= to; seq++)
        {
            await AppendAsync(key, seq, ct);
        }
    }

    private async Task<List<(Guid EventId, string Key, int Seq)>> HandledAsync()
    {
        await using var cmd = Data.CreateCommand("select event_id, stream_key, seq from public.handled order by arrival");
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<(Guid, string, int)>();
        while (await r.ReadAsync())
        {
            rows.Add((r.GetGuid(0), r.GetString(1), r.GetInt32(2)));
        }

        return rows;
    }

    // Writes each event in the batch's transaction; a primary key makes a second delivery fail loudly.
    private sealed class RecordingSubscriber(int failFirstBatches) : IEventSubscriber
    {
        private int _failuresLeft = failFirstBatches;
        private int _failures;

        public int Failures => _failures;

        public string Name => "test.recording";

        public IReadOnlySet<string> Streams { get; } = new HashSet<string> { "test" };

        public async Task HandleAsync(IReadOnlyList<IntegrationEvent> events, EventBatchContext context, CancellationToken cancellationToken)
        {
            foreach (var e in events)
            {
                await using var cmd = new NpgsqlCommand("insert into public.handled (event_id, stream_key, seq) values ($1, $2, $3)", context.Connection, context.Transaction);
                cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = e.EventId });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.StreamKey });
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = e.StreamSequence });
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }

            // Fails after writing, so the rollback of the batch's own writes is tested too.
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                Interlocked.Increment(ref _failures);
                throw new InvalidOperationException("failing on purpose");
            }
        }
    }

    // The level of every line the dispatcher logs.
    private sealed class LevelLog : ILogger<EventDispatcher>
    {
        public ConcurrentQueue<LogLevel> Levels { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Levels.Enqueue(logLevel);
    }

    // On its first batch, moves the stored checkpoint past that batch's first event behind the dispatcher's back.
    private sealed class CheckpointThief(NpgsqlDataSource dataSource) : IEventSubscriber
    {
        private int _calls;

        public System.Collections.Concurrent.ConcurrentBag<string> Seen { get; } = [];

        public string Name => "test.thief";

        public IReadOnlySet<string> Streams { get; } = new HashSet<string> { "test" };

        public async Task HandleAsync(IReadOnlyList<IntegrationEvent> events, EventBatchContext context, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                await using var cmd = dataSource.CreateCommand("update events.event_subscription set position = $1 where subscriber = 'test.thief'");
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = events[0].Position });
                await cmd.ExecuteNonQueryAsync(cancellationToken);
                return;
            }

            foreach (var e in events)
            {
                Seen.Add(e.StreamKey);
            }
        }
    }
}
