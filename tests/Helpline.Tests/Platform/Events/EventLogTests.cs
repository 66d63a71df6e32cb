using Helpline.Platform.Events;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Platform.Events;

/// <summary>
/// The event log's reading rule against a real PostgreSQL: a reader never passes over an event whose transaction
/// commits after a later-numbered one, and appending the same events again adds nothing.
/// </summary>
public sealed class EventLogTests : EventLogDatabase
{
    [Fact]
    public async Task A_transaction_that_appends_later_waits_for_one_still_open_so_positions_follow_commit_order()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var slow = await Data.OpenConnectionAsync(ct);
        await using var slowTx = await slow.BeginTransactionAsync(ct);
        await EventLog.AppendAsync(slow, slowTx, "test", "a", [Event(1)], ct); // holds the log's head, not committed

        var fast = Task.Run(() => AppendCommittedAsync("b", [Event(1)], ct), ct);
        await using var reader = await Data.OpenConnectionAsync(ct);
        await Wait.UntilAsync(
            async () =>
            {
                await using var waiting = new NpgsqlCommand("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'", reader);
                return (long)(await waiting.ExecuteScalarAsync(ct))!;
            },
            n => n == 1,
            "the second append to wait for the log's head");
        var start = new Checkpoint("0", 0);
        Assert.Empty(await EventStore.ReadAfterAsync(reader, start, 100, ct));
        Assert.False(fast.IsCompleted);

        await slowTx.CommitAsync(ct);
        await fast;
        var both = await EventStore.ReadAfterAsync(reader, start, 100, ct);
        Assert.Equal([("a", 1L), ("b", 2L)], both.Select(e => (e.StreamKey, e.Position)));
    }

    [Fact]
    public async Task A_rolled_back_append_leaves_no_gap_and_no_event()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var conn = await Data.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            await EventLog.AppendAsync(conn, tx, "test", "gone", [Event(1), Event(2)], ct);
            await tx.RollbackAsync(ct);
        }

        await AppendCommittedAsync("kept", [Event(1)], ct);
        await using var reader = await Data.OpenConnectionAsync(ct);
        var events = await EventStore.ReadAfterAsync(reader, new Checkpoint("0", 0), 100, ct);
        Assert.Equal([("kept", 1L)], events.Select(e => (e.StreamKey, e.Position)));
    }

    [Fact]
    public async Task Appending_a_stream_again_adds_only_the_new_events_with_stable_ids()
    {
        var ct = TestContext.Current.CancellationToken;
        await AppendCommittedAsync("k", [Event(1), Event(2)], ct);
        await AppendCommittedAsync("k", [Event(1), Event(2), Event(3)], ct);

        await using var reader = await Data.OpenConnectionAsync(ct);
        var events = await EventStore.ReadAfterAsync(reader, new Checkpoint("0", 0), 100, ct);
        Assert.Equal([1, 2, 3], events.Select(e => e.StreamSequence));
        Assert.Equal([EventIds.For("test", "k", 1), EventIds.For("test", "k", 2), EventIds.For("test", "k", 3)], events.Select(e => e.EventId));
        Assert.NotEqual(EventIds.For("test", "k", 1), EventIds.For("test", "k2", 1));
    }

    [Fact]
    public async Task A_reader_following_concurrent_writers_whose_commits_interleave_sees_every_event_once_in_order_per_key()
    {
        var ct = TestContext.Current.CancellationToken;
        const int Writers = 8, PerWriter = 40;
        var seen = new List<IntegrationEvent>();
        var reading = Task.Run(
            async () =>
            {
                await using var conn = await Data.OpenConnectionAsync(ct);
                var at = new Checkpoint("0", 0);
                var deadline = DateTime.UtcNow.AddSeconds(120);
                while (seen.Count < Writers * PerWriter && DateTime.UtcNow < deadline)
                {
                    var batch = await EventStore.ReadAfterAsync(conn, at, 7, ct);
                    seen.AddRange(batch);
                    if (batch.Count > 0)
                    {
                        at = new Checkpoint(batch[^1].Transaction, batch[^1].Position);
                    }
                }
            },
            ct);

        // Each writer holds its transaction open for a random while after appending, so commits come out of
        // position order all the time.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(
            async () =>
            {
                var random = new Random(w);
                for (var i = 1; i <= PerWriter; i++)
                {
                    await using var conn = await Data.OpenConnectionAsync(ct);
                    await using var tx = await conn.BeginTransactionAsync(ct);
                    await EventLog.AppendAsync(conn, tx, "test", $"w{w}", [Event(i)], ct);
                    await Task.Delay(random.Next(0, 15), ct);
                    await tx.CommitAsync(ct);
                }
            },
            ct)));
        await reading;

        Assert.Equal(Writers * PerWriter, seen.Count);
        Assert.Equal(seen.Count, seen.Select(e => e.EventId).Distinct().Count());
        foreach (var key in seen.GroupBy(e => e.StreamKey))
        {
            Assert.Equal(Enumerable.Range(1, PerWriter), key.Select(e => e.StreamSequence));
        }
    }
}
