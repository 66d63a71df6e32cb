using Helpline.CallBacks.Domain;
using Helpline.Grievances;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Accountability;

/// <summary>
/// Each fault counts against the officer who held the grievance when it happened, as the events name them, and
/// faults the rules excuse count against nobody. The events are fed to the real subscriber over PostgreSQL.
/// </summary>
public sealed class FairnessTests : AccountabilityTest
{
    private static readonly DateTimeOffset T = new(2026, 11, 3, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_breach_counts_against_the_officer_who_held_it_then_not_the_one_who_holds_it_now()
    {
        await FeedAsync(
            Event("100000000001", 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event("100000000001", 3, TimelineEventType.Breached, T.AddDays(7), "OFF-A", due: T.AddDays(7), breached: true),
            Event("100000000001", 4, TimelineEventType.Escalated, T.AddDays(7), "OFF-B", "POS-2", 2, T.AddDays(14), breached: true),
            Event("100000000001", 5, TimelineEventType.Resolved, T.AddDays(9), "OFF-B", "POS-2", 2, T.AddDays(14), actor: "OFF-B", breached: true));

        Assert.Equal(
            [("breach", "OFF-A", false, false), ("disposal", "OFF-B", false, false)],
            await FactsAsync("100000000001"));
        Assert.True(await Sql.ScalarAsync<bool>("select on_time from accountability.fact where reference_number = '100000000001' and kind = 'disposal'"));
    }

    [Fact]
    public async Task A_grievance_rebalanced_and_handed_over_counts_against_each_holder_at_the_time_of_each_fault()
    {
        const string r = "100000000002";
        await FeedAsync(
            Event(r, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event(r, 3, TimelineEventType.Breached, T.AddDays(7), "OFF-A", due: T.AddDays(7), breached: true),
            Event(r, 4, TimelineEventType.Escalated, T.AddDays(7), "OFF-B", "POS-2", 2, T.AddDays(14), breached: true),
            Event(r, 5, TimelineEventType.Reassigned, T.AddDays(8), "OFF-C", "POS-2", 2, T.AddDays(14), actor: "SUP-1", breached: true),
            Event(r, 6, TimelineEventType.Breached, T.AddDays(14), "OFF-C", "POS-2", 2, T.AddDays(14), breached: true),
            Event(r, 7, TimelineEventType.Escalated, T.AddDays(14), "OFF-D", "POS-3", 3, T.AddDays(21), breached: true),
            Event(r, 8, TimelineEventType.HandedOver, T.AddDays(15), "OFF-E", "POS-3", 3, T.AddDays(21), actor: "admin-1", breached: true),
            Event(r, 9, TimelineEventType.Resolved, T.AddDays(16), "OFF-E", "POS-3", 3, T.AddDays(21), actor: "OFF-E", breached: true),
            Event(r, 10, TimelineEventType.Reopened, T.AddDays(17), "OFF-F", "POS-4", 4, T.AddDays(24), actor: "agent-1", breached: true));

        // The breaches go to A (L1) and C (who was given it by rebalancing), not to B, D or F who hold or held it after;
        // the disposal to E (to whom it was handed over) and so does its reopening, not F who has it now.
        Assert.Equal(
            [("breach", "OFF-A", false, false), ("breach", "OFF-C", false, false), ("disposal", "OFF-E", false, false), ("reopened", "OFF-E", false, false)],
            await FactsAsync(r));
    }

    [Fact]
    public async Task A_breach_while_on_hold_counts_against_nobody_and_one_after_the_hold_does()
    {
        const string r = "100000000003";
        await FeedAsync(
            Event(r, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event(r, 3, TimelineEventType.Paused, T.AddDays(1), "OFF-A", due: T.AddDays(7), actor: "OFF-A"),
            Event(r, 4, TimelineEventType.Breached, T.AddDays(7), "OFF-A", due: T.AddDays(7), breached: true));
        await FeedAsync(
            Event(r, 5, TimelineEventType.Resumed, T.AddDays(8), "OFF-A", due: T.AddDays(14), actor: "OFF-A", breached: true),
            Event(r, 6, TimelineEventType.Breached, T.AddDays(14), "OFF-A", due: T.AddDays(14), breached: true));

        Assert.Equal([("breach", "OFF-A", true, false), ("breach", "OFF-A", false, false)], await FactsAsync(r));
        Assert.Equal(1L, await Sql.ScalarAsync<long>($"select count(*) from accountability.fact where reference_number = '{r}' and kind = 'breach' and excused is null"));
    }

    [Fact]
    public async Task A_breach_cleared_by_a_recompute_counts_against_nobody_and_a_top_breach_cleared_leaves_the_earlier_ones()
    {
        const string cleared = "100000000004";
        await FeedAsync(
            Event(cleared, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event(cleared, 3, TimelineEventType.Breached, T.AddDays(7), "OFF-A", due: T.AddDays(7), breached: true),
            Event(cleared, 4, TimelineEventType.Escalated, T.AddDays(7), "OFF-B", "POS-2", 2, T.AddDays(14), breached: true),
            Event(cleared, 5, TimelineEventType.Recategorised, T.AddDays(8), "OFF-G", "POS-9", 1, T.AddDays(15), actor: "OFF-B", breached: false, breachedAtTop: false));
        Assert.Equal([("breach", "OFF-A", false, true)], await FactsAsync(cleared));

        const string top = "100000000005";
        await FeedAsync(
            Event(top, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(1)),
            Event(top, 3, TimelineEventType.Breached, T.AddDays(1), "OFF-A", due: T.AddDays(1), breached: true),
            Event(top, 4, TimelineEventType.Escalated, T.AddDays(1), "OFF-L4", "POS-4", 4, T.AddDays(2), breached: true),
            Event(top, 5, TimelineEventType.Breached, T.AddDays(2), "OFF-L4", "POS-4", 4, T.AddDays(2), breached: true),
            Event(top, 6, TimelineEventType.BreachedAtTop, T.AddDays(2), "OFF-L4", "POS-4", 4, T.AddDays(2), breached: true, breachedAtTop: true),
            Event(top, 7, TimelineEventType.Recomputed, T.AddDays(3), "OFF-L4", "POS-4", 4, T.AddDays(9), actor: "admin-1", breached: true, breachedAtTop: false));

        // The policy change cleared the top-of-chain breach (L4's); the L1 officer's breach, escalated long before, stands.
        Assert.Equal([("breach", "OFF-A", false, false), ("breach", "OFF-L4", false, true)], await FactsAsync(top));
    }

    [Fact]
    public async Task Call_back_outcomes_count_against_the_officer_who_disposed_of_the_grievance()
    {
        const string r = "100000000006";
        await FeedAsync(
            Event(r, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event(r, 3, TimelineEventType.Resolved, T.AddDays(2), "OFF-A", due: T.AddDays(7), actor: "OFF-A"),
            CallBack(r, 3, T.AddDays(3), "OFF-A", CallBackOutcome.Dissatisfied),
            Event(r, 4, TimelineEventType.Reopened, T.AddDays(3), "OFF-B", "POS-2", 2, T.AddDays(10), actor: "cb-agent"));

        Assert.Equal([("disposal", "OFF-A", false, false), ("dissatisfied", "OFF-A", false, false), ("reopened", "OFF-A", false, false)], await FactsAsync(r));
    }

    [Fact]
    public async Task An_event_delivered_again_adds_no_second_fact()
    {
        const string r = "100000000007";
        var events = new object[]
        {
            Event(r, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event(r, 3, TimelineEventType.Breached, T.AddDays(7), "OFF-A", due: T.AddDays(7), breached: true),
            CallBack(r, 3, T.AddDays(9), "OFF-A", CallBackOutcome.Satisfied),
        };
        await FeedAsync(events);
        await FeedAsync(events);
        Assert.Equal([("breach", "OFF-A", false, false), ("satisfied", "OFF-A", false, false)], await FactsAsync(r));
        Assert.Equal(1L, await Sql.ScalarAsync<long>($"select count(*) from accountability.holding where reference_number = '{r}'"));
    }

    [Fact]
    public async Task A_return_refused_or_come_back_to_the_seat_counts_against_the_officer_who_returned_it()
    {
        const string refused = "100000000008";
        await FeedAsync(
            Event(refused, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event(refused, 3, TimelineEventType.ReturnRequested, T.AddDays(1), "OFF-A", due: T.AddDays(7), actor: "OFF-A") with { ReturnKind = ReturnKind.NotPertaining },
            Event(refused, 4, TimelineEventType.ReturnRefused, T.AddDays(2), "OFF-A", due: T.AddDays(7), actor: "SUP-1", note: "The hand pump is in your block.") with { ReturnKind = ReturnKind.NotPertaining });
        Assert.Equal([("overturned_return", "OFF-A", false, false)], await FactsAsync(refused));

        // Asked by the officer holding the seat's charge while OFF-A is on leave (the grievances not handed over): the
        // refusal is the charge officer's, not that of OFF-A who holds it on paper.
        const string byCharge = "100000000011";
        await FeedAsync(
            Event(byCharge, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event(byCharge, 3, TimelineEventType.ReturnRequested, T.AddDays(1), "OFF-A", due: T.AddDays(7), actor: "OFF-CHARGE") with { ReturnKind = ReturnKind.Repeat },
            Event(byCharge, 4, TimelineEventType.ReturnRefused, T.AddDays(2), "OFF-A", due: T.AddDays(7), actor: "SUP-1", note: "Not a repeat.") with { ReturnKind = ReturnKind.Repeat });
        Assert.Equal([("overturned_return", "OFF-CHARGE", false, false)], await FactsAsync(byCharge));

        // Approved as not pertaining, forwarded to another office, and sent back to the seat that returned it: overturned then.
        const string back = "100000000009";
        await FeedAsync(
            Event(back, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event(back, 3, TimelineEventType.ReturnRequested, T, "OFF-A", due: T.AddDays(7), actor: "OFF-A") with { ReturnKind = ReturnKind.NotPertaining },
            Event(back, 4, TimelineEventType.ReturnApproved, T.AddDays(1), "OFF-A", due: T.AddDays(7), actor: "SUP-1") with { ReturnKind = ReturnKind.NotPertaining },
            Event(back, 5, TimelineEventType.Forwarded, T.AddDays(1), "OFF-K", "POS-7", 1, T.AddDays(8), actor: "SUP-1"));
        Assert.Empty(await FactsAsync(back));
        await FeedAsync(Event(back, 6, TimelineEventType.Forwarded, T.AddDays(3), "OFF-A2", "POS-1", 1, T.AddDays(10), actor: "OFF-K"));
        Assert.Equal([("overturned_return", "OFF-A", false, false)], await FactsAsync(back));

        // A special closure the L2 officer approved is the L1 officer's disposal (and gets a call-back like any other).
        const string closed = "100000000010";
        await FeedAsync(
            Event(closed, 2, TimelineEventType.Routed, T, "OFF-A", due: T.AddDays(7)),
            Event(closed, 3, TimelineEventType.ReturnApproved, T.AddDays(1), "OFF-A", due: T.AddDays(7), actor: "SUP-1") with { ReturnKind = ReturnKind.SubJudice },
            Event(closed, 4, TimelineEventType.SpeciallyClosed, T.AddDays(1), "OFF-A", due: T.AddDays(7), actor: "SUP-1") with { ReturnKind = ReturnKind.SubJudice });
        Assert.Equal([("disposal", "OFF-A", false, false)], await FactsAsync(closed));
    }
}
