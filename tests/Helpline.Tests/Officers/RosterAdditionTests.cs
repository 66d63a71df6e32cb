using Helpline.Officers;
using Helpline.Officers.Postings;
using Helpline.Officers.Roster;
using Microsoft.Extensions.Time.Testing;

namespace Helpline.Tests.Officers;

/// <summary>
/// Seats and officers added to a roster in memory (<see cref="OfficerRoster.With"/>) answer every lookup as the whole
/// roster built from all rows does, and the directory adds them only to a copy that holds every earlier change.
/// </summary>
public sealed class RosterAdditionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static readonly Position Head = new("works@city:b", "Commissioner", "works", "city:b", null);
    private static readonly Position East = new("works@area:b:east", "District Manager", "works", "area:b:east", Head.Id);
    private static readonly Position Pool = new("revenue@area:b:east", "Naib Tehsildar", "revenue", "area:b:east", null, "05221234567", 15);
    private static readonly Officer HeadHolder = new("OFF-000001", "A", "9999000001", Head.Id);
    private static readonly Officer EastHolder = new("OFF-000002", "B", "9999000002", East.Id);
    private static readonly Officer PoolB = new("OFF-000004", "D", "9999000004", Pool.Id, 5);
    private static readonly Officer Unposted = new("OFF-000003", "C", "9999000003", null);

    // New: a seat at a jurisdiction that has one (sorts before it by department), a seat at a new jurisdiction, both
    // under the existing head; a pool member whose id sorts before the existing one; holders of the new seats.
    private static readonly Position Water = new("water@area:b:east", "Executive Engineer", "water", "area:b:east", Head.Id);
    private static readonly Position West = new("works@area:b:west", "District Manager", "works", "area:b:west", Head.Id);
    private static readonly Position Below = new("works@block:b:west:1", "Junior Engineer", "works", "block:b:west:1", West.Id);
    private static readonly Officer PoolA = new("OFF-000000", "Z", "9999000000", Pool.Id);
    private static readonly Officer WaterHolder = new("OFF-000005", "E", "9999000005", Water.Id);
    private static readonly Officer WestHolder = new("OFF-000006", "F", "9999000006", West.Id);

    private static readonly OfficerLeave EastLeave = new(
        1, EastHolder.Id, T0.AddHours(-1), T0.AddDays(2), WestHolder.Id, false, null, "admin", T0.AddDays(-1), null, null, null);

    [Fact]
    public void Added_seats_and_officers_answer_every_lookup_as_the_whole_build_does()
    {
        var before = OfficerRoster.Build([Head, East, Pool], [HeadHolder, EastHolder, PoolB, Unposted], [EastLeave]);
        Position[] positions = [West, Water, Below];
        Officer[] officers = [WestHolder, PoolA, WaterHolder];

        var added = before.With(positions, officers);
        var whole = OfficerRoster.Build([Head, East, Pool, .. positions], [HeadHolder, EastHolder, PoolB, Unposted, .. officers], [EastLeave]);

        Assert.Equal(Describe(whole), Describe(added));
        Assert.Equal(East.Id, added.ChargesHeldBy(WestHolder.Id, T0).Single().Id); // the leave is kept; its charge officer is new
        Assert.Equal(3, before.PositionCount); // the roster it came from is left as it was
        Assert.Null(before.FindOfficer(PoolA.Id));
    }

    [Fact]
    public void A_position_or_officer_already_held_is_refused()
    {
        var before = OfficerRoster.Build([Head, East], [HeadHolder, EastHolder]);

        Assert.Throws<ArgumentException>(() => before.With([East with { Title = "Renamed" }], []));
        Assert.Throws<ArgumentException>(() => before.With([], [EastHolder with { PositionId = null }]));
    }

    [Fact]
    public void The_directory_adds_a_change_only_to_a_copy_that_holds_every_change_before_it()
    {
        var directory = new OfficerDirectory(new FakeTimeProvider(T0));
        directory.Publish(OfficerRoster.Build([Head, East], [HeadHolder, EastHolder]));

        // Published from elsewhere, the copy is not known to hold any change: nothing is added to it.
        Assert.False(directory.TryAdd(0, 10, [West], [WestHolder]));
        Assert.Null(directory.FindPosition(West.Id));
        Assert.Equal(-1, directory.HeldThrough);
    }

    private static string Describe(OfficerRoster r)
    {
        var lines = new List<string> { $"{r.PositionCount} positions, {r.OfficerCount} officers" };
        var officerIds = new[] { HeadHolder, EastHolder, PoolB, Unposted, PoolA, WaterHolder, WestHolder }.Select(o => o.Id);
        foreach (var p in new[] { Head, East, Pool, Water, West, Below })
        {
            lines.Add($"{p.Id}: {r.FindPosition(p.Id)} posted {r.PostedHolderOf(p.Id)?.Id} acting {r.HolderOf(p.Id, T0)?.Id}"
                + $" members {string.Join(",", r.MembersOf(p.Id, T0).Select(m => $"{m.Officer.Id}/{m.Capacity}/{m.OnLeave}"))}"
                + $" under {string.Join(",", r.SubordinatesOf(p.Id).Select(s => s.Id))}"
                + $" seat {r.SeatOf(p.DepartmentId, p.JurisdictionId)?.Id}"
                + $" at {string.Join(",", r.PositionsAt(p.JurisdictionId).Select(s => s.Id))}");
        }

        foreach (var id in officerIds)
        {
            lines.Add($"{id}: {r.FindOfficer(id)}; serves {string.Join(",", new[] { Head, East, Pool, Water, West, Below }.Where(p => r.Serves(id, p.Id, T0)).Select(p => p.Id))}"
                + $"; charges {string.Join(",", r.ChargesHeldBy(id, T0).Select(p => p.Id))}; leave {r.LeaveInForce(id, T0)?.Id}");
        }

        return string.Join("\n", lines);
    }
}
