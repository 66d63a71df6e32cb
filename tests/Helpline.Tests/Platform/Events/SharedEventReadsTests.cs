using Helpline.Platform.Events;
using Npgsql;

namespace Helpline.Tests.Platform.Events;

/// <summary>
/// One silo's subscribers share their reads of the event log, against a real PostgreSQL. A read answered from memory
/// is shown by handing it a connection that was never opened: a read that went to the database would fail.
/// </summary>
public sealed class SharedEventReadsTests : EventLogDatabase
{
    [Fact]
    public async Task A_subscriber_behind_another_gets_its_events_from_that_read_not_the_database()
    {
        var ct = TestContext.Current.CancellationToken;
        await AppendAsync("a", 10, ct);
        var reads = new SharedEventReads();
        await using var live = await Data.OpenConnectionAsync(ct);
        Assert.Equal(Positions(1, 10), (await reads.ReadAfterAsync(live, At(0), 256, ct)).Select(e => e.Position));

        await using var closed = Data.CreateConnection();
        Assert.Equal(Positions(4, 10), (await reads.ReadAfterAsync(closed, At(3), 256, ct)).Select(e => e.Position));
        Assert.Equal(Positions(4, 5), (await reads.ReadAfterAsync(closed, At(3), 2, ct)).Select(e => e.Position));

        // At the newest held event there is nothing to hand out from memory: that read goes to the database.
        await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAfterAsync(closed, At(10), 256, ct));
    }

    [Fact]
    public async Task A_read_on_from_the_newest_held_event_extends_what_is_held()
    {
        var ct = TestContext.Current.CancellationToken;
        await AppendAsync("a", 5, ct);
        var reads = new SharedEventReads();
        await using var live = await Data.OpenConnectionAsync(ct);
        await reads.ReadAfterAsync(live, At(0), 256, ct);
        await AppendAsync("b", 5, ct);
        Assert.Equal(Positions(6, 10), (await reads.ReadAfterAsync(live, At(5), 256, ct)).Select(e => e.Position));

        await using var closed = Data.CreateConnection();
        var held = await reads.ReadAfterAsync(closed, At(2), 256, ct);
        Assert.Equal(Positions(3, 10), held.Select(e => e.Position));
        Assert.Equal(["a", "a", "a", "b", "b", "b", "b", "b"], held.Select(e => e.StreamKey));
    }

    [Fact]
    public async Task A_subscriber_catching_up_on_old_events_leaves_the_newest_held_for_the_others()
    {
        var ct = TestContext.Current.CancellationToken;
        await AppendAsync("a", 20, ct);
        var reads = new SharedEventReads();
        await using var live = await Data.OpenConnectionAsync(ct);
        await reads.ReadAfterAsync(live, At(10), 256, ct);
        Assert.Equal(Positions(1, 5), (await reads.ReadAfterAsync(live, At(0), 5, ct)).Select(e => e.Position));

        await using var closed = Data.CreateConnection();
        Assert.Equal(Positions(16, 20), (await reads.ReadAfterAsync(closed, At(15), 256, ct)).Select(e => e.Position));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAfterAsync(closed, At(5), 256, ct));
    }

    [Fact]
    public async Task Only_the_newest_events_are_held_so_memory_stays_bounded()
    {
        var ct = TestContext.Current.CancellationToken;
        const int Appended = SharedEventReads.Kept + 500;
        await AppendAsync("a", Appended, ct);
        var reads = new SharedEventReads();
        await using var live = await Data.OpenConnectionAsync(ct);
        Assert.Equal(Appended, (await reads.ReadAfterAsync(live, At(0), Appended, ct)).Count);

        await using var closed = Data.CreateConnection();
        Assert.Equal(Positions(501, 510), (await reads.ReadAfterAsync(closed, At(500), 10, ct)).Select(e => e.Position));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAfterAsync(closed, At(499), 10, ct));
    }

    [Fact]
    public async Task Every_answer_is_the_start_of_what_the_log_holds_after_that_position_whatever_the_order_of_reads_and_appends()
    {
        var ct = TestContext.Current.CancellationToken;
        var reads = new SharedEventReads();
        await using var live = await Data.OpenConnectionAsync(ct);
        var random = new Random(17);
        long appended = 0;
        for (var step = 0; step < 300; step++)
        {
            if (random.Next(4) == 0)
            {
                var n = random.Next(1, 40);
                await AppendAsync($"k{step}", n, ct);
                appended += n;
            }

            var after = appended == 0 ? 0 : random.NextInt64(0, appended + 1);
            var max = random.Next(1, 64);
            var shared = await reads.ReadAfterAsync(live, At(after), max, ct);
            var direct = await EventStore.ReadAfterAsync(live, At(after), max, ct);

            Assert.Equal(direct.Count == 0, shared.Count == 0);
            Assert.Equal(direct.Take(shared.Count).Select(e => (e.EventId, e.Position)), shared.Select(e => (e.EventId, e.Position)));
        }
    }

    private static Checkpoint At(long position) => new("0", position);

    private static IEnumerable<long> Positions(long first, long last) => Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => (long)i);

    private Task AppendAsync(string key, int count, CancellationToken ct) =>
        AppendCommittedAsync(key, [.. Enumerable.Range(1, count).Select(Event)], ct);
}
