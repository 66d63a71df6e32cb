using Helpline.Grievances;
using Helpline.Grievances.Jobs;
using Helpline.Tests.Infrastructure;
using Helpline.Tests.Officers.Postings;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// Open grievances of a pool, against the real host and PostgreSQL: a member who leaves hands theirs to the members
/// who remain (through the pool assignment, here the Officers module's stand-in: the first available member), a
/// member's leave moves nothing, and what a charge officer took while every member was away goes back to the members
/// through the holder sweep.
/// </summary>
public sealed class PoolHandoverTests : PostingTestBase
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();

        // The module's own sweep would race what these tests watch; they run it themselves.
        var scheduler = await Host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(Ct);
        await scheduler.PauseJob(HolderSweepJob.Key, Ct);
    }

    private IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    private async Task<string> RegisteredToAsync(string expectedOfficer)
    {
        var r = (await RegisterAsync()).Get("registerGrievance");
        Assert.Equal(expectedOfficer, r["officer"]!["id"]!.GetValue<string>());
        return r["referenceNumber"]!.GetValue<string>();
    }

    private async Task<(string Officer, List<(string Type, string? Note)> Timeline)> GrievanceAsync(string referenceNumber)
    {
        var g = (await Host.GraphQLAsync(
            "query($r: String!) { grievance(referenceNumber: $r) { officer { id } timeline { type note } } }", new { r = referenceNumber })).Get("grievance");
        return (g["officer"]!["id"]!.GetValue<string>(), [.. g["timeline"]!.AsArray().Select(e => (e!["type"]!.GetValue<string>(), e["note"]?.GetValue<string>()))]);
    }

    /// <summary>Waits until the handover subscriber has handled every posting event written so far.</summary>
    private Task<long> HandoverCaughtUpAsync() => Wait.UntilAsync(
        () => CountAsync(
            "select count(*) from events.event_subscription s where s.subscriber = 'grievances.position-handover' and s.position >= (select coalesce(max(position), 0) from events.event_log where stream = 'position')"),
        n => n == 1,
        "the position handover to handle every posting event");

    private async Task PoolOfAsync(string seat, params string[] more)
    {
        (await Host.GraphQLAsync("mutation($p: String!) { setPool(positionId: $p, capacity: 20) { id } }", new { p = seat })).Get("setPool");
        foreach (var officer in more)
        {
            (await PostAsync(officer, seat)).Get("postOfficer");
        }
    }

    [Fact]
    public async Task A_member_whose_posting_ends_hands_their_open_grievances_to_the_remaining_members()
    {
        var (seat, holder, _, _) = await SeatsAsync();
        var x = await AddOfficerAsync("pool-x");
        var y = await AddOfficerAsync("pool-y", "Bharat Singh", "9415012346");
        await PoolOfAsync(seat, x, y);
        var mine = new[] { await RegisteredToAsync(holder), await RegisteredToAsync(holder) };

        await EndPostingAsync(holder);
        var e = Assert.Single(await EventsOfAsync(seat));
        Assert.Equal((holder, x, "PostingEnded", true, 1), Summary(e));

        foreach (var r in mine)
        {
            var (officer, timeline) = await Wait.UntilAsync(() => GrievanceAsync(r), g => g.Officer != holder, "the leaver's grievance handed to a member");
            Assert.Equal(x, officer); // the stand-in assignment: the first available member
            var note = Assert.Single(timeline, t => t.Type == "HANDED_OVER").Note!;
            Assert.Contains($"from officer {holder} to officer {x}", note, StringComparison.Ordinal);
            Assert.Contains($"the posting of officer {holder} ended (order); to a member of the pool: first available member", note, StringComparison.Ordinal);
        }

        // These two and the one the seat's lookup registered, handed over in parallel.
        async Task<(int, int, int)> OpenOf() => (
            (await Grains.GetGrain<Helpline.Officers.Workload.IOfficerGrain>(x).GetWorkload()).Open,
            (await Grains.GetGrain<Helpline.Officers.Workload.IOfficerGrain>(y).GetWorkload()).Open,
            (await Grains.GetGrain<Helpline.Officers.Workload.IOfficerGrain>(holder).GetWorkload()).Open);
        Assert.Equal((3, 0, 0), await Wait.UntilAsync(OpenOf, o => o.Item3 == 0, "every grievance of the leaver handed over"));
        Assert.Equal(x, (await HolderOfAsync(seat)).Holder);
        Assert.Equal(new HolderSweepOutcome(0, 0), await Host.Services.GetRequiredService<HolderSweep>().RunAsync(Ct)); // nothing left over
    }

    [Fact]
    public async Task A_member_s_leave_moves_none_of_their_grievances_and_new_ones_go_to_the_members_at_work()
    {
        var (seat, holder, _, _) = await SeatsAsync();
        var x = await AddOfficerAsync("pool-x");
        await PoolOfAsync(seat, x);
        var kept = await RegisteredToAsync(holder);

        var now = Host.Clock.GetUtcNow();
        var handOver = await RecordLeaveAsync(holder, now, now.AddDays(3), x, handOverOpen: true);
        Assert.Equal(("INVALID_VALUE", "input.handOverOpen"), (handOver.FirstErrorCode, handOver.FirstErrorField));
        var leave = (await RecordLeaveAsync(holder, now, now.AddDays(3), x)).Get("recordLeave.id").GetValue<string>();
        var members = (await Host.GraphQLAsync("query($id: String!) { position(id: $id) { members { officer { id } onLeave } } }", new { id = seat }))
            .Get("position.members").AsArray().Select(m => (m!["officer"]!["id"]!.GetValue<string>(), m["onLeave"]!.GetValue<bool>()));
        Assert.Equal([(holder, true), (x, false)], members);
        var onLeaveNew = await RegisteredToAsync(x);

        await EndLeaveAsync(leave);
        Assert.Equal(
            [(holder, x, "LeaveStarted", false, 1), (x, holder, "LeaveEnded", false, 2)],
            (await EventsOfAsync(seat)).Select(Summary));
        await HandoverCaughtUpAsync();
        Assert.Equal(new HolderSweepOutcome(0, 0), await Host.Services.GetRequiredService<HolderSweep>().RunAsync(Ct));

        var (keptBy, keptTimeline) = await GrievanceAsync(kept);
        Assert.Equal(holder, keptBy);
        Assert.DoesNotContain(keptTimeline, t => t.Type == "HANDED_OVER");
        Assert.Equal(x, (await GrievanceAsync(onLeaveNew)).Officer); // x is a member: it stays with them after the leave
    }

    [Fact]
    public async Task What_the_charge_officer_took_while_every_member_was_away_goes_back_to_the_members_through_the_sweep()
    {
        var (seat, holder, _, upperHolder) = await SeatsAsync();
        await PoolOfAsync(seat);
        var now = Host.Clock.GetUtcNow();
        var leave = (await RecordLeaveAsync(holder, now, now.AddDays(3), upperHolder)).Get("recordLeave.id").GetValue<string>();
        var taken = await RegisteredToAsync(upperHolder); // the only member is away: the charge officer of the first

        await EndLeaveAsync(leave);
        await HandoverCaughtUpAsync();
        Assert.Equal(upperHolder, (await GrievanceAsync(taken)).Officer); // the leave's end moves nothing in a pool

        Assert.Equal(new HolderSweepOutcome(1, 0), await Host.Services.GetRequiredService<HolderSweep>().RunAsync(Ct));
        var (officer, timeline) = await GrievanceAsync(taken);
        Assert.Equal(holder, officer);
        var note = Assert.Single(timeline, t => t.Type == "HANDED_OVER").Note!;
        Assert.Contains($"{HolderSweep.Reason}; to a member of the pool: first available member", note, StringComparison.Ordinal);
    }
}
