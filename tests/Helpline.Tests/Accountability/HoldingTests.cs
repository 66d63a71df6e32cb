using Helpline.Grievances;

namespace Helpline.Tests.Accountability;

/// <summary>
/// Who held a grievance, from when until when, and whether it was on hold: the holdings a batch of events writes at
/// once are those its events would write one by one, whether a grievance's events come in one batch or several, and
/// whether a batch is delivered again. The events are fed to the real subscriber over PostgreSQL.
/// </summary>
public sealed class HoldingTests : AccountabilityTest
{
    private static readonly DateTimeOffset T = new(2026, 11, 3, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_grievance_s_whole_life_in_one_batch_gives_each_holding_its_end()
    {
        const string r = "200000000001";
        await FeedAsync(
            Event(r, 1, TimelineEventType.Registered, T, "OFF-A", due: T.AddDays(7)),
            Event(r, 2, TimelineEventType.Escalated, T.AddDays(7), "OFF-B", "POS-2", 2, T.AddDays(10)),
            Event(r, 3, TimelineEventType.Paused, T.AddDays(8), "OFF-B", "POS-2", 2, T.AddDays(10)),
            Event(r, 4, TimelineEventType.Resumed, T.AddDays(9), "OFF-B", "POS-2", 2, T.AddDays(11)),
            Event(r, 5, TimelineEventType.Resolved, T.AddDays(10), "OFF-B", "POS-2", 2, T.AddDays(11)));

        Assert.Equal(
            [
                (1, T, T.AddDays(7), "OFF-A", false),
                (2, T.AddDays(7), T.AddDays(8), "OFF-B", false),
                (3, T.AddDays(8), T.AddDays(9), "OFF-B", true),
                (4, T.AddDays(9), T.AddDays(10), "OFF-B", false),
            ],
            await HoldingsAsync(r));
    }

    [Fact]
    public async Task A_holding_from_an_earlier_batch_ends_at_the_first_later_event_and_a_batch_delivered_again_changes_nothing()
    {
        const string r = "200000000002";
        await FeedAsync(
            Event(r, 1, TimelineEventType.Registered, T, "OFF-A", due: T.AddDays(7)),
            Event(r, 2, TimelineEventType.Recomputed, T.AddDays(1), "OFF-A", due: T.AddDays(8)));
        Assert.Equal([(1, T, T.AddDays(1), "OFF-A", false), (2, T.AddDays(1), null, "OFF-A", false)], await HoldingsAsync(r));

        var later = new object[]
        {
            Event(r, 3, TimelineEventType.Escalated, T.AddDays(8), "OFF-B", "POS-2", 2, T.AddDays(11)),
            Event(r, 4, TimelineEventType.Forwarded, T.AddDays(9), "OFF-C", "POS-3", 2, T.AddDays(12)),
        };
        await FeedAsync(later);
        await FeedAsync(later);

        Assert.Equal(
            [
                (1, T, T.AddDays(1), "OFF-A", false),
                (2, T.AddDays(1), T.AddDays(8), "OFF-A", false),
                (3, T.AddDays(8), T.AddDays(9), "OFF-B", false),
                (4, T.AddDays(9), null, "OFF-C", false),
            ],
            await HoldingsAsync(r));
    }

    [Fact]
    public async Task A_holding_is_on_hold_as_the_events_before_it_left_the_grievance_in_this_batch_or_an_earlier_one()
    {
        // Put on hold in this batch: the recompute after it holds it on hold, though the table said otherwise before.
        const string sameBatch = "200000000003";
        await FeedAsync(
            Event(sameBatch, 1, TimelineEventType.Registered, T, "OFF-A", due: T.AddDays(7)),
            Event(sameBatch, 2, TimelineEventType.Paused, T.AddDays(1), "OFF-A", due: T.AddDays(7)),
            Event(sameBatch, 3, TimelineEventType.Recomputed, T.AddDays(2), "OFF-A", due: T.AddDays(9)));
        Assert.Equal(
            [(1, T, T.AddDays(1), "OFF-A", false), (2, T.AddDays(1), T.AddDays(2), "OFF-A", true), (3, T.AddDays(2), null, "OFF-A", true)],
            await HoldingsAsync(sameBatch));

        // Put on hold in an earlier batch: a re-categorisation keeps the hold (as the lifecycle does); resumed later in the
        // batch, the handover after is not.
        const string earlier = "200000000004";
        await FeedAsync(
            Event(earlier, 1, TimelineEventType.Registered, T, "OFF-A", due: T.AddDays(7)),
            Event(earlier, 2, TimelineEventType.Paused, T.AddDays(1), "OFF-A", due: T.AddDays(7)));
        await FeedAsync(
            Event(earlier, 3, TimelineEventType.Recategorised, T.AddDays(2), "OFF-B", "POS-2", 2, T.AddDays(9)),
            Event(earlier, 4, TimelineEventType.Resumed, T.AddDays(3), "OFF-B", "POS-2", 2, T.AddDays(10)),
            Event(earlier, 5, TimelineEventType.HandedOver, T.AddDays(4), "OFF-C", "POS-2", 2, T.AddDays(10)));
        Assert.Equal(
            [
                (1, T, T.AddDays(1), "OFF-A", false),
                (2, T.AddDays(1), T.AddDays(2), "OFF-A", true),
                (3, T.AddDays(2), T.AddDays(3), "OFF-B", true),
                (4, T.AddDays(3), T.AddDays(4), "OFF-B", false),
                (5, T.AddDays(4), null, "OFF-C", false),
            ],
            await HoldingsAsync(earlier));
    }

    [Fact]
    public async Task A_new_level_or_seat_takes_the_grievance_off_hold_so_a_later_breach_counts()
    {
        // Put on hold, then forwarded in a later batch (the lifecycle starts the clock afresh at the new seat).
        const string forwarded = "200000000006";
        await FeedAsync(
            Event(forwarded, 1, TimelineEventType.Registered, T, "OFF-A", due: T.AddDays(7)),
            Event(forwarded, 2, TimelineEventType.Paused, T.AddDays(1), "OFF-A", due: T.AddDays(7)));
        await FeedAsync(Event(forwarded, 3, TimelineEventType.Forwarded, T.AddDays(2), "OFF-K", "POS-7", 1, T.AddDays(9)));
        await FeedAsync(Event(forwarded, 4, TimelineEventType.Breached, T.AddDays(9), "OFF-K", "POS-7", 1, T.AddDays(9), breached: true));
        Assert.Equal(
            [(1, T, T.AddDays(1), "OFF-A", false), (2, T.AddDays(1), T.AddDays(2), "OFF-A", true), (3, T.AddDays(2), null, "OFF-K", false)],
            await HoldingsAsync(forwarded));
        Assert.Equal([("breach", "OFF-K", false, false)], await FactsAsync(forwarded));

        // The same within one batch, by an escalation.
        const string escalated = "200000000007";
        await FeedAsync(
            Event(escalated, 1, TimelineEventType.Registered, T, "OFF-A", due: T.AddDays(7)),
            Event(escalated, 2, TimelineEventType.Paused, T.AddDays(1), "OFF-A", due: T.AddDays(7)),
            Event(escalated, 3, TimelineEventType.Escalated, T.AddDays(2), "OFF-B", "POS-2", 2, T.AddDays(5)),
            Event(escalated, 4, TimelineEventType.Breached, T.AddDays(5), "OFF-B", "POS-2", 2, T.AddDays(5), breached: true));
        Assert.Equal((3, T.AddDays(2), (DateTimeOffset?)null, "OFF-B", false), (await HoldingsAsync(escalated))[^1]);
        Assert.Equal([("breach", "OFF-B", false, false)], await FactsAsync(escalated));
    }

    [Fact]
    public async Task A_grievance_returned_as_not_pertaining_and_sent_back_in_the_same_batch_counts_against_who_returned_it()
    {
        const string r = "200000000005";
        await FeedAsync(
            Event(r, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event(r, 3, TimelineEventType.ReturnRequested, T, "OFF-A", due: T.AddDays(7), actor: "OFF-A") with { ReturnKind = ReturnKind.NotPertaining },
            Event(r, 4, TimelineEventType.ReturnApproved, T.AddDays(1), "OFF-A", due: T.AddDays(7), actor: "SUP-1") with { ReturnKind = ReturnKind.NotPertaining },
            Event(r, 5, TimelineEventType.Forwarded, T.AddDays(1), "OFF-K", "POS-7", 1, T.AddDays(8), actor: "SUP-1"),
            Event(r, 6, TimelineEventType.Forwarded, T.AddDays(3), "OFF-A2", "POS-1", 1, T.AddDays(10), actor: "OFF-K"));

        Assert.Equal([("overturned_return", "OFF-A", false, false)], await FactsAsync(r));
    }

    private async Task<IReadOnlyList<(int Sequence, DateTimeOffset From, DateTimeOffset? To, string Officer, bool OnHold)>> HoldingsAsync(string reference)
    {
        await using var cmd = Sql.CreateCommand("select sequence, from_at, to_at, officer_id, on_hold from accountability.holding where reference_number = $1 order by sequence");
        cmd.Parameters.AddWithValue(reference);
        var list = new List<(int, DateTimeOffset, DateTimeOffset?, string, bool)>();
        await using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            list.Add((r.GetInt32(0), r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2), r.GetString(3), r.GetBoolean(4)));
        }

        return list;
    }
}
