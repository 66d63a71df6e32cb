using Helpline.Officers;
using Helpline.Officers.Postings;
using Helpline.Officers.Roster;

namespace Helpline.Tests.Officers.Postings;

/// <summary>Who acts for a seat, from a roster snapshot and an instant: pure, no database.</summary>
public sealed class ActingHolderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);
    private static readonly Position Seat = new("water@block:1", "Engineer", "water", "block:1", null);
    private static readonly Position Other = new("water@block:2", "Engineer", "water", "block:2", null);
    private static readonly Officer Holder = new("OFF-000001", "Asha", "9999000001", Seat.Id);
    private static readonly Officer Charge = new("OFF-000002", "Ravi", "9999000002", Other.Id);
    private static readonly Officer Unposted = new("OFF-000003", "Mira", "9999000003", null);

    private static OfficerLeave Leave(DateTimeOffset from, DateTimeOffset to, DateTimeOffset? endedAt = null) =>
        new(1, Holder.Id, from, to, Charge.Id, false, null, "admin", T0, endedAt, null, null);

    private static OfficerRoster Roster(params OfficerLeave[] leaves) => OfficerRoster.Build([Seat, Other], [Holder, Charge, Unposted], leaves);

    [Fact]
    public void The_charge_officer_acts_exactly_while_the_leave_is_in_force()
    {
        var roster = Roster(Leave(T0.AddHours(1), T0.AddHours(3)));
        Assert.Equal(Holder, roster.HolderOf(Seat.Id, T0.AddHours(1).AddTicks(-1)));
        Assert.Equal(Charge, roster.HolderOf(Seat.Id, T0.AddHours(1)));
        Assert.Equal(Charge, roster.HolderOf(Seat.Id, T0.AddHours(3).AddTicks(-1)));
        Assert.Equal(Holder, roster.HolderOf(Seat.Id, T0.AddHours(3)));
        Assert.Equal(Holder, roster.PostedHolderOf(Seat.Id)); // posted, whatever the instant
        Assert.Equal([Seat], roster.ChargesHeldBy(Charge.Id, T0.AddHours(2)));
        Assert.Empty(roster.ChargesHeldBy(Charge.Id, T0.AddHours(4)));
        Assert.Equal(Charge, roster.HolderOf(Other.Id, T0.AddHours(2))); // their own seat stays theirs
    }

    [Fact]
    public void A_leave_ended_early_stops_then_and_one_ended_before_its_start_never_applies()
    {
        Assert.Equal(Holder, Roster(Leave(T0, T0.AddDays(3), endedAt: T0.AddHours(5))).HolderOf(Seat.Id, T0.AddHours(6)));
        Assert.Equal(Charge, Roster(Leave(T0, T0.AddDays(3), endedAt: T0.AddHours(5))).HolderOf(Seat.Id, T0.AddHours(4)));
        var cancelled = Roster(Leave(T0.AddDays(1), T0.AddDays(2), endedAt: T0));
        Assert.Equal(Holder, cancelled.HolderOf(Seat.Id, T0.AddDays(1.5)));
        Assert.Null(cancelled.LeaveInForce(Holder.Id, T0.AddDays(1.5)));
    }

    [Fact]
    public void A_seat_with_nobody_posted_has_no_holder_and_an_unposted_officer_holds_no_seat()
    {
        var roster = OfficerRoster.Build([Seat], [Unposted]);
        Assert.Null(roster.HolderOf(Seat.Id, T0));
        Assert.Null(roster.PostedHolderOf(Seat.Id));
        Assert.Equal(Unposted, roster.FindOfficer(Unposted.Id));
    }

    [Fact]
    public void The_directory_follows_its_clock_for_holders_supervisors_and_who_serves()
    {
        var sub = new Position("water@village:1", "Clerk", "water", "village:1", Seat.Id);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0);
        var directory = new OfficerDirectory(clock);
        directory.Publish(OfficerRoster.Build([Seat, Other, sub], [Holder, Charge], [Leave(T0.AddHours(1), T0.AddHours(2))]));
        Assert.Equal((Holder.Id, Holder.Id, true, false), (directory.HolderOf(Seat.Id)!.Id, directory.SupervisorOf(sub.Id)!.Officer.Id, directory.Serves(Holder.Id, Seat.Id), directory.Serves(Charge.Id, Seat.Id)));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal((Charge.Id, Charge.Id, true, true), (directory.HolderOf(Seat.Id)!.Id, directory.SupervisorOf(sub.Id)!.Officer.Id, directory.Serves(Holder.Id, Seat.Id), directory.Serves(Charge.Id, Seat.Id)));
        Assert.Equal(Holder.Id, directory.PostedHolderOf(Seat.Id)!.Id);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal((Holder.Id, false), (directory.HolderOf(Seat.Id)!.Id, directory.Serves(Charge.Id, Seat.Id)));
    }
}
