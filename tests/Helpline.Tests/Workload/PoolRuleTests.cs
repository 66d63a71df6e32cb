using Helpline.Officers;
using Helpline.Workload.Pools;

namespace Helpline.Tests.Workload;

public sealed class PoolRuleTests
{
    private static PoolCandidate Member(string id, int open, int capacity = 20, bool onLeave = false) =>
        new(new PoolMember(new Officer(id, "Officer " + id, "9999000001", "revenue@tehsil:1"), capacity, onLeave), open);

    [Fact]
    public void The_member_with_the_most_spare_capacity_takes_it_and_the_reason_says_why()
    {
        var (chosen, reason) = PoolRule.Choose([Member("OFF-000001", 7), Member("OFF-000002", 3), Member("OFF-000003", 12), Member("OFF-000004", 5)])!.Value;
        Assert.Equal("OFF-000002", chosen.Member.Officer.Id);
        Assert.Equal("3 open of capacity 20, least loaded of 4", reason);
    }

    [Fact]
    public void Spare_capacity_counts_each_officers_own_capacity_not_the_open_count_alone()
    {
        // 8 open of 30 leaves 22 spare; 3 open of 10 leaves 7.
        var (chosen, _) = PoolRule.Choose([Member("OFF-000001", 3, capacity: 10), Member("OFF-000002", 8, capacity: 30)])!.Value;
        Assert.Equal("OFF-000002", chosen.Member.Officer.Id);
    }

    [Fact]
    public void Ties_go_to_the_lowest_officer_id_so_equal_members_take_turns()
    {
        var open = new Dictionary<string, int>(StringComparer.Ordinal) { ["OFF-000003"] = 2, ["OFF-000001"] = 2, ["OFF-000002"] = 2 };
        var order = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var (chosen, _) = PoolRule.Choose([.. open.Select(o => Member(o.Key, o.Value))])!.Value;
            order.Add(chosen.Member.Officer.Id);
            open[chosen.Member.Officer.Id]++;
        }

        Assert.Equal(["OFF-000001", "OFF-000002", "OFF-000003", "OFF-000001", "OFF-000002", "OFF-000003"], order);
    }

    [Fact]
    public void A_member_on_leave_gets_nothing_however_light()
    {
        var (chosen, reason) = PoolRule.Choose([Member("OFF-000001", 0, onLeave: true), Member("OFF-000002", 9), Member("OFF-000003", 6)])!.Value;
        Assert.Equal("OFF-000003", chosen.Member.Officer.Id);
        Assert.Equal("6 open of capacity 20, least loaded of the 2 of 3 not on leave", reason);
    }

    [Fact]
    public void A_member_at_capacity_gets_nothing_while_another_is_below_it()
    {
        // 10 of 10 has no spare; 19 of 20 has one.
        var (chosen, _) = PoolRule.Choose([Member("OFF-000001", 10, capacity: 10), Member("OFF-000002", 19)])!.Value;
        Assert.Equal("OFF-000002", chosen.Member.Officer.Id);
    }

    [Fact]
    public void When_everyone_is_at_capacity_the_least_over_takes_it_and_the_reason_says_so()
    {
        var (chosen, reason) = PoolRule.Choose([Member("OFF-000001", 25), Member("OFF-000002", 21), Member("OFF-000003", 30)])!.Value;
        Assert.Equal("OFF-000002", chosen.Member.Officer.Id);
        Assert.Equal("21 open of capacity 20, least loaded of 3; every member is at capacity", reason);
    }

    [Fact]
    public void Nobody_is_chosen_when_every_member_is_on_leave_or_there_is_none()
    {
        Assert.Null(PoolRule.Choose([Member("OFF-000001", 0, onLeave: true)]));
        Assert.Null(PoolRule.Choose([]));
    }
}
