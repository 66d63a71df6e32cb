using Helpline.Officers.Postings;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.Officers.Postings;

/// <summary>Leave with a charge officer: the acting holder follows the clock, the job announces each start and end once.</summary>
public sealed class LeaveTests : PostingTestBase
{
    private LeaveAnnouncer Announcer => Host.Services.GetRequiredService<LeaveAnnouncer>();

    /// <summary>Whether the officer is on leave now, and the seats whose charge they hold, as one line.</summary>
    private async Task<string> OfficerStateAsync(string officerId)
    {
        var o = (await Host.GraphQLAsync("query($id: String!) { officer(id: $id) { onLeave chargeOf { id } } }", new { id = officerId })).Get("officer");
        return $"{o["onLeave"]!.GetValue<bool>()} [{string.Join(", ", o["chargeOf"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()))}]";
    }

    [Fact]
    public async Task Leave_in_the_future_hands_the_seat_to_the_charge_officer_from_its_start_to_its_end_announced_once_each()
    {
        var (seat, holder, _, charge) = await SeatsAsync();
        var now = Host.Clock.GetUtcNow();
        var recorded = await RecordLeaveAsync(holder, now.AddHours(1), now.AddHours(3), charge, handOverOpen: true);
        Assert.Equal("SCHEDULED", recorded.Get("recordLeave.status").GetValue<string>());
        var leaveId = recorded.Get("recordLeave.id").GetValue<string>();
        Assert.Equal(leaveId, (await RecordLeaveAsync(holder, now.AddHours(1), now.AddHours(3), charge, handOverOpen: true)).Get("recordLeave.id").GetValue<string>());

        Assert.Equal((holder, holder), await HolderOfAsync(seat));
        Assert.Equal(0, await Announcer.RunAsync(Ct)); // nothing due yet
        Assert.Empty(await EventsOfAsync(seat));

        Host.Clock.Advance(TimeSpan.FromHours(1)); // the leave begins, with no refresh of anything
        Assert.Equal((charge, holder), await HolderOfAsync(seat));
        Assert.Equal("True []", await OfficerStateAsync(holder));
        Assert.Equal($"False [{seat}]", await OfficerStateAsync(charge));
        Assert.Equal(charge, (await RegisterAsync()).Get("registerGrievance.officer.id").GetValue<string>());

        Assert.Equal(1, await Announcer.RunAsync(Ct));
        Assert.Equal(0, await Announcer.RunAsync(Ct)); // once
        var started = await EventsOfAsync(seat);
        Assert.Equal([(holder, charge, "LeaveStarted", true, 1)], started.Select(Summary));
        Assert.Equal((now.AddHours(1), "system"), (started[0]["at"]!.GetValue<DateTimeOffset>(), started[0]["actor"]!.GetValue<string>()));

        Host.Clock.Advance(TimeSpan.FromHours(2)); // back at 'to'
        Assert.Equal((holder, holder), await HolderOfAsync(seat));
        Assert.Equal("False []", await OfficerStateAsync(holder));
        Assert.Equal(holder, (await RegisterAsync()).Get("registerGrievance.officer.id").GetValue<string>());
        Assert.Equal(1, await Announcer.RunAsync(Ct));
        Assert.Equal(0, await Announcer.RunAsync(Ct));
        Assert.Equal(
            [(holder, charge, "LeaveStarted", true, 1), (charge, holder, "LeaveEnded", true, 2)],
            (await EventsOfAsync(seat)).Select(Summary));

        var leaves = await Host.GraphQLAsync("query($o: String!) { leaves(officerId: $o) { id status chargeOfficerId } }", new { o = charge });
        Assert.Equal([(leaveId, "ENDED")], leaves.Get("leaves").AsArray().Select(l => (l!["id"]!.GetValue<string>(), l["status"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Leave_from_now_starts_at_once_and_ending_it_early_hands_the_seat_back_once()
    {
        var (seat, holder, _, charge) = await SeatsAsync();
        var now = Host.Clock.GetUtcNow();
        var recorded = await RecordLeaveAsync(holder, now, now.AddDays(3), charge);
        Assert.Equal("IN_FORCE", recorded.Get("recordLeave.status").GetValue<string>());
        Assert.Equal([(holder, charge, "LeaveStarted", false, 1)], (await EventsOfAsync(seat)).Select(Summary));
        Assert.Equal((charge, holder), await HolderOfAsync(seat));

        Host.Clock.Advance(TimeSpan.FromHours(5));
        var ended = await EndLeaveAsync(recorded.Get("recordLeave.id").GetValue<string>());
        Assert.Equal("ENDED", ended.Get("endLeave.status").GetValue<string>());
        Assert.Equal((holder, holder), await HolderOfAsync(seat));
        Assert.Equal(
            [(holder, charge, "LeaveStarted", false, 1), (charge, holder, "LeaveEnded", true, 2)],
            (await EventsOfAsync(seat)).Select(Summary));

        var again = await EndLeaveAsync(recorded.Get("recordLeave.id").GetValue<string>());
        Assert.Equal(("INVALID_VALUE", "input.leaveId"), (again.FirstErrorCode, again.FirstErrorField));
        Host.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, await Announcer.RunAsync(Ct)); // its end was announced when it was ended
        Assert.Equal(2, (await EventsOfAsync(seat)).Count);
    }

    [Fact]
    public async Task A_leave_ended_before_it_begins_is_cancelled_and_never_announced()
    {
        var (seat, holder, _, charge) = await SeatsAsync();
        var now = Host.Clock.GetUtcNow();
        var recorded = await RecordLeaveAsync(holder, now.AddDays(1), now.AddDays(2), charge);
        var cancelled = await EndLeaveAsync(recorded.Get("recordLeave.id").GetValue<string>());
        Assert.Equal("CANCELLED", cancelled.Get("endLeave.status").GetValue<string>());

        Host.Clock.Advance(TimeSpan.FromDays(1.5));
        Assert.Equal((holder, holder), await HolderOfAsync(seat));
        Assert.Equal(0, await Announcer.RunAsync(Ct));
        Assert.Empty(await EventsOfAsync(seat));

        // The cancelled days are free again for another leave.
        Assert.Equal("IN_FORCE", (await RecordLeaveAsync(holder, Host.Clock.GetUtcNow(), now.AddDays(2), charge)).Get("recordLeave.status").GetValue<string>());
    }
}
