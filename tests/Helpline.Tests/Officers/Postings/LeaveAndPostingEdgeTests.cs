namespace Helpline.Tests.Officers.Postings;

/// <summary>
/// Leave and postings where they meet: a posting that ends takes the officer's leave with it (so no charge officer acts
/// for a seat its officer has left, or follows them to the next), an officer holding another's charge cannot leave
/// service, only a posted officer holds a charge, and an identical leave sent again after its start answers the leave
/// recorded. Found by trying to break the first version by hand.
/// </summary>
public sealed class LeaveAndPostingEdgeTests : PostingTestBase
{
    [Fact]
    public async Task An_officer_posted_elsewhere_while_on_leave_acts_there_themself_and_their_leave_ends()
    {
        var (seat, holder, upper, charge) = await SeatsAsync();
        var now = Host.Clock.GetUtcNow();
        (await RecordLeaveAsync(holder, now, now.AddDays(5), charge)).Get("recordLeave");
        Assert.Equal(charge, (await HolderOfAsync(seat)).Holder);

        // Transferred up while on leave: they act for the new seat, not their charge officer; the old seat has nobody.
        (await PostAsync(holder, upper, relieve: true, note: "order 99")).Get("postOfficer");
        Assert.Equal((holder, holder), await HolderOfAsync(upper));
        Assert.Equal((null, null), await HolderOfAsync(seat));
        Assert.Equal(holder, Summary((await EventsOfAsync(upper))[^1]).To);
        Assert.Equal((charge, null, "PostingEnded", false), Summary((await EventsOfAsync(seat))[^1]) is var e ? (e.From, e.To, e.Reason, e.Move) : default);
        Assert.Equal(0, await CountAsync($"select count(*) from officers.leave where officer_id = '{holder}' and ended_at is null"));
    }

    [Fact]
    public async Task An_officer_holding_a_charge_cannot_leave_service_and_only_a_posted_officer_holds_a_charge()
    {
        var (_, holder, _, charge) = await SeatsAsync();
        var now = Host.Clock.GetUtcNow();
        (await RecordLeaveAsync(holder, now.AddDays(1), now.AddDays(3), charge)).Get("recordLeave");

        var retiring = await EndPostingAsync(charge, "RETIREMENT");
        Assert.Equal("INVALID_VALUE", retiring.FirstErrorCode);
        Assert.Equal("input.officerId", retiring.FirstErrorField);
        Assert.Equal(1, await CountAsync($"select count(*) from officers.officer where id = '{charge}' and position_id is not null"));

        var unposted = await AddOfficerAsync("edge-unposted", "Mohan Lal", "9415000002");
        var refused = await RecordLeaveAsync(holder, now.AddDays(10), now.AddDays(12), unposted);
        Assert.Equal("INVALID_VALUE", refused.FirstErrorCode);
        Assert.Equal("input.chargeOfficerId", refused.FirstErrorField);
    }

    [Fact]
    public async Task A_new_officers_mobile_is_taken_as_people_write_it_and_stored_as_ten_digits()
    {
        var id = await AddOfficerAsync("edge-mobile", "Rekha Singh", "+91 94150-00003");
        Assert.Equal(id, await AddOfficerAsync("edge-mobile", "Rekha Singh", "09415000003")); // the same request, written otherwise
        Assert.Equal(1, await CountAsync($"select count(*) from officers.officer where id = '{id}' and mobile = '9415000003'"));
    }

    [Fact]
    public async Task The_same_leave_sent_again_after_its_start_answers_the_leave_recorded()
    {
        var (_, holder, _, charge) = await SeatsAsync();
        var now = Host.Clock.GetUtcNow();
        var first = (await RecordLeaveAsync(holder, now, now.AddDays(2), charge)).Get("recordLeave.id").GetValue<string>();

        Host.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(first, (await RecordLeaveAsync(holder, now, now.AddDays(2), charge)).Get("recordLeave.id").GetValue<string>());
        Assert.Equal(1, await CountAsync($"select count(*) from officers.leave where officer_id = '{holder}'"));

        var beyond = await RecordLeaveAsync(holder, now.AddDays(3), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero), charge);
        Assert.Equal("input.to", beyond.FirstErrorField);
    }
}
