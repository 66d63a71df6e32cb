using Helpline.Grievances;
using Helpline.Grievances.Jobs;
using Helpline.Officers;
using Helpline.Officers.Postings;
using Helpline.Officers.Roster;
using Helpline.Officers.Workload;
using Helpline.Platform.Events;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// Open grievances follow their position's holder, against the real host and PostgreSQL: a position-holder change in
/// the event log hands them over (timeline, workload, deadline), a redelivery or a stale change does nothing, and the
/// holder sweep moves what an officer who no longer serves the position still holds. Who acts for a position is set
/// through <see cref="ActingHolders"/>, standing in for the Officers module's postings.
/// </summary>
public sealed class HandoverTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);

    private TestDatabase _db = null!;
    private HelplineTestHost _host = null!;
    private string _block = null!;
    private string _category = null!;
    private int _sequence;

    private ActingHolders Acting => _host.Services.GetRequiredService<ActingHolders>();

    private IOfficerDirectory Directory => _host.Services.GetRequiredService<IOfficerDirectory>();

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _host = await HelplineTestHost.StartAsync(_db.ConnectionString, configure: b =>
        {
            b.Services.AddSingleton(sp => new ActingHolders(sp.GetRequiredService<OfficerDirectory>()));
            b.Services.AddSingleton<IOfficerDirectory>(sp => sp.GetRequiredService<ActingHolders>());
        });
        // The module's own sweep would race the handovers these tests watch; they run its core themselves.
        var scheduler = await _host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        await scheduler.PauseJob(HolderSweepJob.Key, TestContext.Current.CancellationToken);
        var cats = (await _host.GraphQLAsync("{ categories(departmentId: \"rural-development\") { id resolutionLevel slaDays } }")).Get("categories").AsArray();
        _category = cats.First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK" && c["slaDays"]![0]!.GetValue<int>() == 7)!["id"]!.GetValue<string>();
        var tree = await _host.GraphQLAsync("{ jurisdiction(id: \"district:162\") { children { id kind } } }");
        _block = tree.Get("jurisdiction.children").AsArray().First(c => c!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_transfer_hands_the_open_grievance_to_the_new_holder_with_its_due_date_and_deadline()
    {
        var (key, g) = await Register();
        var other = OtherOfficerNear(g.PositionId);
        Acting.Act(g.PositionId, other);
        await AppendAsync(Change(g.PositionId, g.OfficerId, other, HolderChangeReason.Posted, move: true, note: "Order 12/2026"));

        var moved = await Wait.UntilAsync(() => Grain(key).Get(), x => x!.OfficerId == other, "the grievance handed to the new holder");
        var handedOver = Assert.Single(moved!.Timeline, e => e.Type == TimelineEventType.HandedOver);
        Assert.Equal(("admin-1", other, g.PositionId, g.DueAt, 1), (handedOver.Actor, handedOver.OfficerId, handedOver.PositionId, handedOver.DueAt, handedOver.Level));
        Assert.Contains($"from officer {g.OfficerId} to officer {other}", handedOver.Note, StringComparison.Ordinal);
        Assert.Contains($"officer {other} was posted to the position in place of officer {g.OfficerId} (Order 12/2026)", handedOver.Note, StringComparison.Ordinal);
        Assert.Equal((g.DueAt, g.AtRiskAt, g.Level, g.PositionId), (moved.DueAt, moved.AtRiskAt, moved.Level, moved.PositionId));

        // The workload and the deadline timer went with it.
        Assert.Equal((0, (DateTimeOffset?)null), Load(await Grains.GetGrain<IOfficerGrain>(g.OfficerId).GetWorkload()));
        Assert.Equal((1, g.DueAt), Load(await Grains.GetGrain<IOfficerGrain>(other).GetWorkload()));

        // GraphQL shows the new holder and names the event.
        var read = await _host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { officer { id } dueAt timeline { type } } }", new { r = g.ReferenceNumber });
        Assert.Equal(other, read.Get("grievance.officer.id").GetValue<string>());
        Assert.Equal("HANDED_OVER", read.Get("grievance.timeline").AsArray()[^1]!["type"]!.GetValue<string>());

        // The new holder's timer acts on the unchanged due date.
        _host.Clock.SetUtcNow(g.DueAt!.Value.AddSeconds(1));
        var breached = await Wait.UntilAsync(() => Grain(key).Get(), x => x!.Breached, "the breach at the unchanged due date");
        Assert.Equal(2, breached!.Level);
    }

    [Fact]
    public async Task A_redelivered_change_hands_over_once_and_a_disposed_grievance_stays()
    {
        var (key, g) = await Register();
        var (closedKey, _) = await Register();
        await Grain(closedKey).Resolve(g.OfficerId, "Job card issued.");
        var other = OtherOfficerNear(g.PositionId);
        Acting.Act(g.PositionId, other);
        var change = Change(g.PositionId, g.OfficerId, other, HolderChangeReason.LeaveStarted, move: true);
        await AppendAsync(change);
        await Wait.UntilAsync(() => Grain(key).Get(), x => x!.OfficerId == other, "the grievance handed to the charge officer");

        await DeliverAgainAsync(change); // as the dispatcher does after a crash before its checkpoint
        Assert.False(await Grain(key).HandOver(g.PositionId, other, "admin-1", "again"));

        var moved = (await Grain(key).Get())!;
        var handedOver = Assert.Single(moved.Timeline, e => e.Type == TimelineEventType.HandedOver);
        Assert.Contains($"officer {g.OfficerId} went on leave and officer {other} holds charge", handedOver.Note, StringComparison.Ordinal);
        var closed = (await Grain(closedKey).Get())!;
        Assert.Equal((GrievanceStatus.Resolved, g.OfficerId), (closed.Status, closed.OfficerId));
        Assert.DoesNotContain(closed.Timeline, e => e.Type == TimelineEventType.HandedOver);
    }

    [Fact]
    public async Task A_change_that_does_not_move_open_grievances_moves_nothing()
    {
        var (key, g) = await Register();
        var other = OtherOfficerNear(g.PositionId);
        await DeliverAgainAsync(Change(g.PositionId, g.OfficerId, other, HolderChangeReason.LeaveStarted, move: false));
        await DeliverAgainAsync(Change(g.PositionId, g.OfficerId, null, HolderChangeReason.PostingEnded, move: false));

        var still = (await Grain(key).Get())!;
        Assert.Equal(g.OfficerId, still.OfficerId);
        Assert.Equal(g.Timeline.Count, still.Timeline.Count);
        Assert.Equal(1, (await Grains.GetGrain<IOfficerGrain>(g.OfficerId).GetWorkload()).Open);
    }

    [Fact]
    public async Task The_sweep_hands_over_what_an_officer_who_no_longer_serves_the_position_holds()
    {
        var (key, g) = await Register();
        var sweep = _host.Services.GetRequiredService<HolderSweep>();
        Assert.True(Directory.Serves(g.OfficerId, g.PositionId));
        Assert.Equal(new HolderSweepOutcome(0, 0), await sweep.RunAsync(TestContext.Current.CancellationToken));

        // Nobody acts for the position: nobody to hand it to, so it stays.
        Acting.Vacate(g.PositionId);
        Assert.Equal(new HolderSweepOutcome(0, 0), await sweep.RunAsync(TestContext.Current.CancellationToken));
        Assert.Equal(g.OfficerId, (await Grain(key).Get())!.OfficerId);

        // Another officer acts for it and no event told the grievances (the race the sweep closes).
        var other = OtherOfficerNear(g.PositionId);
        Acting.Act(g.PositionId, other);
        Assert.False(Directory.Serves(g.OfficerId, g.PositionId));
        await sweep.RunAsync(TestContext.Current.CancellationToken); // the module's own job may have run it first
        var moved = (await Grain(key).Get())!;
        Assert.Equal((other, g.DueAt), (moved.OfficerId, moved.DueAt));
        var handedOver = Assert.Single(moved.Timeline, e => e.Type == TimelineEventType.HandedOver);
        Assert.Equal("system", handedOver.Actor);
        Assert.Contains(HolderSweep.Reason, handedOver.Note, StringComparison.Ordinal);
        Assert.Equal(1, (await Grains.GetGrain<IOfficerGrain>(other).GetWorkload()).Open);
        Assert.Equal(new HolderSweepOutcome(0, 0), await sweep.RunAsync(TestContext.Current.CancellationToken));
    }

    private IGrievanceGrain Grain(string key) => Grains.GetGrain<IGrievanceGrain>(key);

    private static (int Open, DateTimeOffset? NextDueAt) Load(OfficerWorkload w) => (w.Open, w.NextDueAt);

    private async Task<(string Key, Grievance Grievance)> Register()
    {
        var id = "handover-" + Guid.NewGuid().ToString("N");
        await _host.GraphQLAsync(Complaints.Register, Complaints.Input(id, _block, _category));
        var key = GrievanceKeys.ForRequest(id);
        var g = (await Grain(key).Get())!;
        Assert.Equal(T0.AddDays(7), g.DueAt);
        return (key, g);
    }

    /// <summary>An officer holding another seat at the same place (the generated roster has one per department).</summary>
    private string OtherOfficerNear(string positionId)
    {
        var place = Directory.FindPosition(positionId)!.JurisdictionId;
        return Directory.PositionsAt(place).Where(p => p.Id != positionId).Select(p => Directory.HolderOf(p.Id)).First(o => o is not null)!.Id;
    }

    private PositionHolderChanged Change(string positionId, string? from, string? to, HolderChangeReason reason, bool move, string? note = null) =>
        new(Guid.Empty, positionId, Interlocked.Increment(ref _sequence), from, to, reason, move, _host.Clock.GetUtcNow(), "admin-1", note);

    /// <summary>Appends the change to the event log in a transaction, as the Officers module does.</summary>
    private async Task AppendAsync(PositionHolderChanged change)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var conn = await _host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await EventLog.AppendAsync(conn, tx, PostingEvents.Stream, change.PositionId, [PostingEvents.ToNewEvent(change)], ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Hands the change to the module's subscriber directly, in a batch transaction of its own.</summary>
    private async Task DeliverAgainAsync(PositionHolderChanged change)
    {
        var ct = TestContext.Current.CancellationToken;
        var e = PostingEvents.ToNewEvent(change);
        var delivered = new IntegrationEvent(
            EventIds.For(PostingEvents.Stream, change.PositionId, change.Sequence), 0, "0", PostingEvents.Stream, change.PositionId, e.StreamSequence, e.Type, e.OccurredAt, e.Payload);
        var subscriber = _host.Services.GetServices<IEventSubscriber>().Single(s => s.Name == "grievances.position-handover");
        await using var conn = await _host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await subscriber.HandleAsync([delivered], new EventBatchContext(conn, tx), ct);
        await tx.CommitAsync(ct);
    }
}
