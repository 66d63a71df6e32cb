using Helpline.CallBacks.Domain;
using Helpline.Grievances;

namespace Helpline.Tests.Accountability;

/// <summary>
/// A batch writes each kind of fact statement once for many grievances: the facts must be those the same events give
/// one at a time, whatever the mix of grievances in the batch, and each grievance's statements must keep its events'
/// order (a breach sees the hold set before it, a reopening the disposal just before it, a clearing the breach).
/// </summary>
public sealed class FactBatchTests : AccountabilityTest
{
    private static readonly DateTimeOffset T = new(2026, 11, 3, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Events_of_many_grievances_in_one_batch_give_the_facts_they_give_one_at_a_time()
    {
        var together = Lives("3000000001");
        var interleaved = together.SelectMany(l => l.Select((e, i) => (e, i))).OrderBy(x => x.i).Select(x => x.e).ToArray();
        await FeedAsync(interleaved);

        foreach (var e in Lives("3000000002").SelectMany(l => l))
        {
            await FeedAsync(e);
        }

        var batched = await AllFactsAsync("3000000001");
        Assert.Equal(await AllFactsAsync("3000000002"), batched);
        Assert.Equal(await GrievanceRowsAsync("3000000002"), await GrievanceRowsAsync("3000000001"));

        Assert.Equal(
            [
                ("01", 3, "breach", "OFF-A", true, false, false),
                ("02", 2, "breach", "OFF-A", false, false, false),
                ("02", 4, "disposal", "OFF-A", false, false, false),
                ("02", 5, "reopened", "OFF-A", false, false, false),
                ("02", 6, "disposal", "OFF-B", false, false, false),
                ("02", 7, "reopened", "OFF-B", false, false, false),
                ("03", 2, "breach", "OFF-A", false, true, false),
                ("04", 2, "disposal", "OFF-A", false, false, false),
                ("04", 2, "dissatisfied", "OFF-A", false, false, false),
                ("05", 1, "breach", "OFF-A", false, false, false),
                ("05", 3, "breach", "OFF-B", false, true, true),
            ],
            batched);
    }

    [Fact]
    public async Task A_batch_delivered_again_adds_no_fact()
    {
        var events = Lives("3000000003").SelectMany(l => l).ToArray();
        await FeedAsync(events);
        var first = await AllFactsAsync("3000000003");
        await FeedAsync(events);
        Assert.Equal(first, await AllFactsAsync("3000000003"));
    }

    // Five grievances, each with its own order of statements: on hold then breached (excused); breached, disposed
    // of, reopened, disposed of and reopened again (each reopening against the disposal just before it); breached then
    // recomputed clear; disposed of with a dissatisfied call-back; breached, escalated, breached at the top of the chain,
    // then forwarded with only the breach at the top cleared.
    private static object[][] Lives(string prefix)
    {
        string R(int n) => prefix + n.ToString("00", System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            [
                Event(R(1), 1, TimelineEventType.Registered, T, "OFF-A", due: T.AddDays(7)),
                Event(R(1), 2, TimelineEventType.Paused, T.AddDays(1), "OFF-A", due: T.AddDays(7)),
                Event(R(1), 3, TimelineEventType.Breached, T.AddDays(7), "OFF-A", due: T.AddDays(7), breached: true),
            ],
            [
                Event(R(2), 1, TimelineEventType.Registered, T, "OFF-A", due: T.AddDays(7)),
                Event(R(2), 2, TimelineEventType.Breached, T.AddDays(7), "OFF-A", due: T.AddDays(7), breached: true),
                Event(R(2), 4, TimelineEventType.Resolved, T.AddDays(8), "OFF-A", due: T.AddDays(7)),
                Event(R(2), 5, TimelineEventType.Reopened, T.AddDays(9), "OFF-B", "POS-2", 2, T.AddDays(12)),
                Event(R(2), 6, TimelineEventType.Resolved, T.AddDays(10), "OFF-B", "POS-2", 2, T.AddDays(12)),
                Event(R(2), 7, TimelineEventType.Reopened, T.AddDays(11), "OFF-C", "POS-3", 3, T.AddDays(14)),
            ],
            [
                Event(R(3), 1, TimelineEventType.Registered, T, "OFF-A", due: T.AddDays(7)),
                Event(R(3), 2, TimelineEventType.Breached, T.AddDays(7), "OFF-A", due: T.AddDays(7), breached: true),
                Event(R(3), 3, TimelineEventType.Recomputed, T.AddDays(8), "OFF-A", due: T.AddDays(9), breached: false),
            ],
            [
                Event(R(4), 1, TimelineEventType.Registered, T, "OFF-A", due: T.AddDays(7)),
                Event(R(4), 2, TimelineEventType.Resolved, T.AddDays(2), "OFF-A", due: T.AddDays(7)),
                CallBack(R(4), 2, T.AddDays(3), "OFF-A", CallBackOutcome.Dissatisfied),
            ],
            [
                Event(R(5), 1, TimelineEventType.Breached, T.AddDays(7), "OFF-A", due: T.AddDays(7), breached: true),
                Event(R(5), 2, TimelineEventType.Escalated, T.AddDays(7), "OFF-B", "POS-2", 2, T.AddDays(10), breached: true),
                Event(R(5), 3, TimelineEventType.Breached, T.AddDays(10), "OFF-B", "POS-2", 2, T.AddDays(10), breached: true),
                Event(R(5), 4, TimelineEventType.BreachedAtTop, T.AddDays(10), "OFF-B", "POS-2", 2, T.AddDays(10), breached: true, breachedAtTop: true),
                Event(R(5), 5, TimelineEventType.Forwarded, T.AddDays(11), "OFF-K", "POS-7", 2, T.AddDays(13), breached: true, breachedAtTop: false),
            ],
        ];
    }

    // Every fact of the grievances under the prefix, by the grievance's last two digits: sequence, kind, officer,
    // excused, cleared, at the top.
    private async Task<IReadOnlyList<(string, int, string, string, bool, bool, bool)>> AllFactsAsync(string prefix)
    {
        await using var cmd = Sql.CreateCommand("""
            select right(reference_number, 2), sequence, kind, officer_id, excused is not null, cleared_at is not null, at_top
            from accountability.fact where reference_number like $1 || '%' order by 1, 2, 3
            """);
        cmd.Parameters.AddWithValue(prefix);
        var list = new List<(string, int, string, string, bool, bool, bool)>();
        await using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            list.Add((r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetBoolean(5), r.GetBoolean(6)));
        }

        return list;
    }

    private async Task<IReadOnlyList<string>> GrievanceRowsAsync(string prefix)
    {
        await using var cmd = Sql.CreateCommand("""
            select concat_ws('|', right(reference_number, 2), on_hold, disposal_sequence, disposal_officer_id, disposal_position_id)
            from accountability.grievance where reference_number like $1 || '%' order by 1
            """);
        cmd.Parameters.AddWithValue(prefix);
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            list.Add(r.GetString(0));
        }

        return list;
    }
}
