using Helpline.Officers;
using Helpline.Officers.Pools;
using Helpline.Officers.Postings;
using Helpline.Officers.Roster;
using Helpline.Platform.Errors;
using Microsoft.Extensions.Time.Testing;

namespace Helpline.Tests.Officers.Pools;

/// <summary>Who a pool's members are, who acts for it and who serves it, from a roster snapshot and an instant: pure, no database.</summary>
public sealed class PoolRosterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);
    private static readonly Position Pool = new("revenue@tehsil:1", "Naib Tehsildar", "revenue", "tehsil:1", null, PoolCapacity: 15);
    private static readonly Position Single = new("revenue@tehsil:2", "Tehsildar", "revenue", "tehsil:2", null);

    // Listed out of id order on purpose: members come by id whatever the order read.
    private static readonly Officer C = new("OFF-000030", "Chitra", "9999000030", Pool.Id);
    private static readonly Officer A = new("OFF-000010", "Asha", "9999000010", Pool.Id);
    private static readonly Officer B = new("OFF-000020", "Bharat", "9999000020", Pool.Id, Capacity: 40);
    private static readonly Officer S = new("OFF-000040", "Suresh", "9999000040", Single.Id);
    private static readonly Officer Outsider = new("OFF-000050", "Vimla", "9999000050", null);

    private static long _leaveIds;

    private static OfficerLeave Leave(Officer officer, Officer charge, DateTimeOffset from, DateTimeOffset to) =>
        new(Interlocked.Increment(ref _leaveIds), officer.Id, from, to, charge.Id, false, null, "admin", T0, null, null, null);

    private static OfficerRoster Roster(params OfficerLeave[] leaves) => OfficerRoster.Build([Pool, Single], [C, A, B, S, Outsider], leaves);

    [Fact]
    public void Members_come_by_officer_id_with_their_own_capacity_else_the_pool_s_and_leave_now()
    {
        var roster = Roster(Leave(A, S, T0.AddHours(1), T0.AddHours(2)));
        Assert.Equal(
            [(A.Id, 15, false), (B.Id, 40, false), (C.Id, 15, false)],
            roster.MembersOf(Pool.Id, T0).Select(m => (m.Officer.Id, m.Capacity, m.OnLeave)));
        Assert.Equal(
            [(A.Id, 15, true), (B.Id, 40, false), (C.Id, 15, false)],
            roster.MembersOf(Pool.Id, T0.AddHours(1)).Select(m => (m.Officer.Id, m.Capacity, m.OnLeave)));

        // A single seat: its holder, at the default capacity; a seat nobody holds: nobody.
        Assert.Equal([(S.Id, PoolDefaults.Capacity, false)], roster.MembersOf(Single.Id, T0).Select(m => (m.Officer.Id, m.Capacity, m.OnLeave)));
        Assert.Empty(OfficerRoster.Build([Pool], [Outsider]).MembersOf(Pool.Id, T0));
        Assert.Equal(A, roster.PostedHolderOf(Pool.Id)); // the first member by id, on leave or not
    }

    [Fact]
    public void The_pool_is_acted_for_by_its_first_member_not_on_leave_else_the_charge_officer_of_the_first()
    {
        var roster = Roster(
            Leave(A, S, T0.AddHours(1), T0.AddHours(4)),
            Leave(B, C, T0.AddHours(2), T0.AddHours(4)),
            Leave(C, Outsider, T0.AddHours(3), T0.AddHours(4)));
        Assert.Equal(A, roster.HolderOf(Pool.Id, T0));
        Assert.Equal(B, roster.HolderOf(Pool.Id, T0.AddHours(1))); // A away
        Assert.Equal(C, roster.HolderOf(Pool.Id, T0.AddHours(2))); // A and B away
        Assert.Equal(S, roster.HolderOf(Pool.Id, T0.AddHours(3))); // everyone away: A's charge officer
        Assert.Equal(A, roster.HolderOf(Pool.Id, T0.AddHours(4))); // all back
        Assert.Null(OfficerRoster.Build([Pool], []).HolderOf(Pool.Id, T0));
    }

    [Fact]
    public void Every_member_serves_the_pool_and_a_charge_officer_only_while_the_leave_lasts()
    {
        var roster = Roster(Leave(A, Outsider, T0.AddHours(1), T0.AddHours(2)));
        Assert.All([A, B, C], m => Assert.True(roster.Serves(m.Id, Pool.Id, T0)));
        Assert.True(roster.Serves(A.Id, Pool.Id, T0.AddHours(1))); // on leave, still a member: keeps their grievances
        Assert.False(roster.Serves(Outsider.Id, Pool.Id, T0));
        Assert.True(roster.Serves(Outsider.Id, Pool.Id, T0.AddHours(1)));
        Assert.False(roster.Serves(Outsider.Id, Pool.Id, T0.AddHours(2)));
        Assert.False(roster.Serves(S.Id, Pool.Id, T0));

        // A member who left serves no longer.
        var after = OfficerRoster.Build([Pool, Single], [C, A with { PositionId = null }, B, S]);
        Assert.False(after.Serves(A.Id, Pool.Id, T0));
        Assert.Equal(B, after.HolderOf(Pool.Id, T0));
    }

    [Fact]
    public void A_single_seat_behaves_as_before_whatever_the_pool_code_does()
    {
        var roster = Roster(Leave(S, A, T0.AddHours(1), T0.AddHours(2)));
        Assert.Equal(S, roster.HolderOf(Single.Id, T0));
        Assert.Equal(A, roster.HolderOf(Single.Id, T0.AddHours(1)));
        Assert.True(roster.Serves(S.Id, Single.Id, T0.AddHours(1)));
        Assert.True(roster.Serves(A.Id, Single.Id, T0.AddHours(1)));
        Assert.False(roster.Serves(A.Id, Single.Id, T0));
        Assert.False(roster.Serves(B.Id, Single.Id, T0.AddHours(1)));
    }

    [Fact]
    public async Task The_stand_in_assignment_chooses_the_first_available_member_and_refuses_an_empty_pool()
    {
        var clock = new FakeTimeProvider(T0);
        var directory = new OfficerDirectory(clock);
        directory.Publish(Roster(Leave(A, S, T0.AddHours(1), T0.AddHours(2))));
        var assignment = new FirstAvailableMember(directory);
        Assert.Equal((A.Id, "first available member"), Pick(await assignment.ChooseAsync(Pool, "g:1", TestContext.Current.CancellationToken)));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(B.Id, (await assignment.ChooseAsync(Pool, "g:2", TestContext.Current.CancellationToken)).Officer.Id);
        Assert.True(directory.Serves(A.Id, Pool.Id));
        Assert.Equal(3, directory.MembersOf(Pool.Id).Count);

        directory.Publish(OfficerRoster.Build([Pool], [Outsider]));
        var refused = await Assert.ThrowsAsync<HelplineException>(() => assignment.ChooseAsync(Pool, "g:3", TestContext.Current.CancellationToken));
        Assert.Equal(OfficerErrorCodes.NoRoute, refused.Code);
    }

    private static (string, string) Pick(PoolChoice c) => (c.Officer.Id, c.Reason);
}
