using Helpline.Catalogue;
using Helpline.Grievances;
using Helpline.Grievances.Domain;
using Helpline.Grievances.Grains;
using Helpline.Officers.Workload;
using Helpline.Officers;
using Helpline.Platform.Errors;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Grievances.Grains;

/// <summary>
/// The grievance grain on a test silo with the real officer grain, fake routing and directory (see
/// <see cref="TestWorld"/>), an in-memory read model and a grain storage that can be told to fail.
/// </summary>
public sealed class GrievanceGrainTests(GrainCluster world) : IClassFixture<GrainCluster>
{
    private sealed record Registered(IGrievanceGrain Grain, string Key, string Place, RegisterGrievance Request, Grievance Grievance);

    private static RegisterGrievance Request(string place, string category = TestWorld.WaterCategory, string? clientRequestId = null) => new(
        clientRequestId ?? GrainCluster.NewId("req"),
        GrievanceKind.Complaint,
        new Complainant("Ramesh Kumar", "9876543210"),
        place,
        category,
        "No water in the taps of ward 4 for nine days.",
        Channel.Phone,
        "agent-17");

    private IGrievanceGrain GrainFor(RegisterGrievance request) => world.Client.GetGrain<IGrievanceGrain>(GrievanceKeys.ForRequest(request.ClientRequestId));

    private async Task<Registered> Register(string category = TestWorld.WaterCategory)
    {
        var place = GrainCluster.NewId("place");
        var request = Request(place, category);
        var grain = GrainFor(request);
        return new Registered(grain, GrievanceKeys.ForRequest(request.ClientRequestId), place, request, await grain.Register(request));
    }

    private static async Task<Grievance> Get(IGrievanceGrain grain) => await grain.Get() ?? throw new InvalidOperationException("not registered");

    // The counts these tests are about; the score and lists are the workload tests'.
    private async Task<OfficerWorkload> Workload(string officerId) =>
        await world.Officer(officerId).GetWorkload() with { DueToday = 0, DisposedLast7Days = null, OldestOpenAt = null, LoadScore = 0, Attention = null };

    private static string Water(int level, string place) => TestWorld.OfficerOf("water", level, place);

    /// <summary>Everything observable about a grievance, with the timeline as a list so that records compare by value.</summary>
    private static object Observable(Grievance g) =>
        (g with { Timeline = Array.Empty<TimelineEvent>(), Pauses = null }, string.Join(" | ", g.Timeline), string.Join(" | ", g.Pauses ?? []));

    // Issue 17: a grain kept active after its registration held about 8 KB until the collection age, gigabytes at full
    // intake. It leaves memory at once; its officer keeps the live deadline, and the next command reads it back.
    [Fact]
    public async Task A_registered_grievance_leaves_memory_and_its_officer_keeps_the_deadline()
    {
        var r = await Register();
        Assert.Equal(1, world.Storage.ReadsOf(r.Key));

        // Each call either meets the activation that registered it (still going) or starts a new one that reads the
        // stored state: a second read shows the first activation went without being asked to.
        await Wait.UntilAsync(
            async () => { await r.Grain.Get(); return world.Storage.ReadsOf(r.Key); },
            reads => reads >= 2,
            "the registering activation to deactivate");

        var open = Assert.Single(await world.Officer(r.Grievance.OfficerId).GetOpen(), t => t.GrievanceKey == r.Key);
        Assert.Equal((r.Grievance.DueAt!.Value, true), (open.DueAt, open.DeadlineArmed));
        Assert.Equal(Observable(r.Grievance), Observable(await Get(r.Grain)));
        Assert.Equal(1, world.Storage.WritesOf(r.Key));
    }

    // A file imported again touches every record once: each activation leaves at once, as after the first import.
    [Fact]
    public async Task A_record_imported_again_creates_nothing_and_leaves_memory()
    {
        var import = new ImportGrievance(
            "boston311", GrainCluster.NewId("src"), GrievanceKind.Complaint, GrainCluster.NewId("place"), TestWorld.WaterCategory,
            "Pothole on the main road.", world.Clock.GetUtcNow().AddDays(-2), null, null, null, "importer-1");
        var key = GrievanceKeys.ForRequest(import.ClientRequestId);
        var grain = world.Client.GetGrain<IGrievanceGrain>(key);
        var first = await grain.Import(import);
        Assert.True(first.Created);
        await Wait.UntilAsync(async () => { await grain.Get(); return world.Storage.ReadsOf(key); }, reads => reads >= 2, "the importing activation to deactivate");

        var reads = world.Storage.ReadsOf(key);
        var again = await grain.Import(import);
        Assert.False(again.Created);
        Assert.Equal(Observable(first.Grievance), Observable(again.Grievance));
        await Wait.UntilAsync(async () => { await grain.Get(); return world.Storage.ReadsOf(key); }, r => r > reads, "the re-importing activation to deactivate");
        Assert.Equal(1, world.Storage.WritesOf(key));
    }

    [Fact]
    public async Task Registering_routes_to_L1_tracks_the_due_date_with_the_officer_and_projects_the_row()
    {
        var now = world.Clock.GetUtcNow();
        var serials = world.Allocator.Allocated;
        var r = await Register();
        var g = r.Grievance;
        var due = now.AddDays(TestWorld.WaterSla.DaysAt(1));

        Assert.Matches("^26[0-9]{10}$", g.ReferenceNumber);
        Assert.True(ReferenceNumber.IsValid(g.ReferenceNumber));
        Assert.Equal(r.Request, g.Request);
        Assert.Equal(GrievanceStatus.Open, g.Status);
        Assert.Equal(("water", TestWorld.PositionOf("water", 1, r.Place), Water(1, r.Place), 1), (g.DepartmentId, g.PositionId, g.OfficerId, g.Level));
        Assert.Equal((now, due), (g.RegisteredAt, g.DueAt));
        Assert.False(g.Breached || g.BreachedAtTop);
        Assert.Null(g.ClosedAt);
        Assert.Equal(
            [(1, TimelineEventType.Registered, "agent-17"), (2, TimelineEventType.Routed, "system")],
            g.Timeline.Select(e => (e.Sequence, e.Type, e.Actor)));
        Assert.All(g.Timeline, e => Assert.Equal((now, g.OfficerId, (int?)1, (DateTimeOffset?)due), (e.At, e.OfficerId, e.Level, e.DueAt)));

        Assert.Equal(new OfficerWorkload(g.OfficerId, 1, 0, 0, due), await Workload(g.OfficerId));
        var row = world.ReadModel.Row(r.Key);
        Assert.NotNull(row);
        Assert.Equal((1, Observable(g)), (row.Value.Version, Observable(row.Value.Grievance)));
        Assert.Equal(Observable(g), Observable(await Get(r.Grain)));
        Assert.Equal(serials + 1, world.Allocator.Allocated);
        Assert.Equal(1, world.Storage.WritesOf(r.Key));
    }

    [Fact]
    public async Task A_retried_registration_returns_the_same_grievance_and_a_reused_key_with_other_content_is_refused()
    {
        var r = await Register();
        var serials = world.Allocator.Allocated;

        var again = await r.Grain.Register(r.Request);
        Assert.Equal(Observable(r.Grievance), Observable(again));
        Assert.Equal(serials, world.Allocator.Allocated);
        Assert.Equal(1, world.Storage.WritesOf(r.Key));
        Assert.Equal(1, (await Workload(r.Grievance.OfficerId)).Open);

        var e = await Assert.ThrowsAsync<HelplineException>(() => r.Grain.Register(r.Request with { Description = "Something else." }));
        Assert.Equal((GrievanceErrorCodes.IdempotencyConflict, "input.clientRequestId"), (e.Code, e.Field));
        Assert.Equal(Observable(r.Grievance), Observable(await Get(r.Grain)));
        Assert.Equal(1, world.Storage.WritesOf(r.Key));
    }

    [Fact]
    public async Task A_registration_that_cannot_be_routed_stores_nothing()
    {
        var unknown = Request(GrainCluster.NewId("place"), category: "no-such-category");
        var e1 = await Assert.ThrowsAsync<HelplineException>(() => GrainFor(unknown).Register(unknown));
        Assert.Equal(CatalogueErrorCodes.UnknownCategory, e1.Code);

        var noRoute = Request(TestWorld.NowhereJurisdiction);
        var e2 = await Assert.ThrowsAsync<HelplineException>(() => GrainFor(noRoute).Register(noRoute));
        Assert.Equal(OfficerErrorCodes.NoRoute, e2.Code);

        foreach (var request in new[] { unknown, noRoute })
        {
            var key = GrievanceKeys.ForRequest(request.ClientRequestId);
            Assert.Null(await GrainFor(request).Get());
            Assert.Equal(0, world.Storage.WritesOf(key));
            Assert.Null(world.ReadModel.Row(key));
        }
    }

    [Fact]
    public async Task A_stale_or_unknown_due_date_changes_nothing()
    {
        var r = await Register();
        var due = r.Grievance.DueAt!.Value;

        await r.Grain.OnDueDatePassed(due.AddMinutes(-1));
        await r.Grain.OnDueDatePassed(due.AddTicks(1));
        await r.Grain.OnDueDatePassed(r.Grievance.RegisteredAt);
        await r.Grain.OnDueDatePassed(default);

        Assert.Equal(Observable(r.Grievance), Observable(await Get(r.Grain)));
        Assert.Equal(1, world.Storage.WritesOf(r.Key));
        Assert.Equal(1, world.ReadModel.Row(r.Key)!.Value.Version);

        // The same instant written with another offset is the same due date.
        var ist = due.ToOffset(TimeSpan.FromHours(5.5));
        await r.Grain.OnDueDatePassed(ist);
        Assert.Equal(2, (await Get(r.Grain)).Level);
    }

    [Fact]
    public async Task The_due_date_passing_escalates_to_the_supervisor_exactly_once_however_often_it_is_reported()
    {
        var r = await Register();
        var due = r.Grievance.DueAt!.Value;

        world.Clock.SetUtcNow(due.AddMinutes(1)); // the L1 officer's timer reports it too
        var at = world.Clock.GetUtcNow();
        await Task.WhenAll(r.Grain.OnDueDatePassed(due), r.Grain.OnDueDatePassed(due), r.Grain.OnDueDatePassed(due));
        await r.Grain.OnDueDatePassed(due);

        var g = await Get(r.Grain);
        var newDue = due.AddDays(TestWorld.WaterSla.DaysAt(2)); // rule 5: L2 counts from the due instant, not from the report a minute later
        Assert.Equal((2, Water(2, r.Place), TestWorld.PositionOf("water", 2, r.Place), (DateTimeOffset?)newDue), (g.Level, g.OfficerId, g.PositionId, g.DueAt));
        Assert.True(g.Breached);
        Assert.False(g.BreachedAtTop);
        Assert.Equal(GrievanceStatus.Open, g.Status);
        Assert.Equal(
            [TimelineEventType.Registered, TimelineEventType.Routed, TimelineEventType.Breached, TimelineEventType.Escalated],
            g.Timeline.Select(e => e.Type).Where(t => t != TimelineEventType.AtRisk)); // the officer's timer also gave the at-risk warning
        var (breached, escalated) = (g.Timeline[^2], g.Timeline[^1]);
        Assert.Equal((due, "system", Water(1, r.Place), (int?)1, (DateTimeOffset?)due), (breached.At, breached.Actor, breached.OfficerId, breached.Level, breached.DueAt));
        Assert.Equal((due, "system", Water(2, r.Place), (int?)2, (DateTimeOffset?)newDue), (escalated.At, escalated.Actor, escalated.OfficerId, escalated.Level, escalated.DueAt));
        Assert.EndsWith($"acted on it at {Helpline.Grievances.Domain.Lifecycle.GrievanceLifecycle.Format(at)}, 0 h 01 min 00 s late; the record keeps the due instant.", breached.Note, StringComparison.Ordinal);

        Assert.Equal(new OfficerWorkload(Water(1, r.Place), 0, 0, 0, null), await Workload(Water(1, r.Place)));
        Assert.Equal(new OfficerWorkload(Water(2, r.Place), 1, 0, 0, newDue), await Workload(Water(2, r.Place)));
        Assert.Equal(Observable(g), Observable(world.ReadModel.Row(r.Key)!.Value.Grievance));

        var timelineLength = g.Timeline.Count;
        await world.Officer(Water(1, r.Place)).Arm();
        Assert.Equal(timelineLength, (await Get(r.Grain)).Timeline.Count);
    }

    [Fact]
    public async Task At_the_top_of_the_chain_the_breach_is_marked_and_the_deadline_disarmed()
    {
        var r = await Register(TestWorld.RoadsCategory); // roads: two seats, L2 is the top
        var l2 = TestWorld.OfficerOf("roads", 2, r.Place);

        world.Clock.SetUtcNow(r.Grievance.DueAt!.Value + DueInstantRule.Resolution);
        var atL2 = await Wait.UntilAsync(() => Get(r.Grain), g => g.Level == 2, "escalation to L2 by the officer's timer");
        var topDue = atL2.DueAt!.Value;

        world.Clock.SetUtcNow(topDue.AddSeconds(30));
        var top = await Wait.UntilAsync(() => Get(r.Grain), g => g.BreachedAtTop, "breach at the top by the L2 officer's timer");
        Assert.Equal((GrievanceStatus.Open, 2, l2, (DateTimeOffset?)topDue, true), (top.Status, top.Level, top.OfficerId, top.DueAt, top.Breached));
        Assert.Equal(
            [TimelineEventType.Registered, TimelineEventType.Routed, TimelineEventType.Breached, TimelineEventType.Escalated, TimelineEventType.Breached, TimelineEventType.BreachedAtTop],
            top.Timeline.Select(e => e.Type).Where(t => t != TimelineEventType.AtRisk)); // at-risk warnings fire on the way
        // Rule 5: the timer acted 30 s late (the clock jumped), but the breach is recorded at the due instant itself.
        Assert.Equal(topDue, top.Timeline[^1].At);
        Assert.Contains("0 h 00 min 30 s late", top.Timeline[^2].Note, StringComparison.Ordinal);

        // Disarmed: the officer keeps it as open and overdue, but its timer never reports it again.
        var reports = world.Probe.CallsTo(r.Key).Count(c => c.FromOfficer);
        world.Clock.Advance(TimeSpan.FromDays(10));
        await world.Officer(l2).Arm();
        Assert.Equal(reports, world.Probe.CallsTo(r.Key).Count(c => c.FromOfficer));
        Assert.Equal(new OfficerWorkload(l2, 1, 1, 0, null), await Workload(l2));

        await r.Grain.OnDueDatePassed(topDue);
        Assert.Equal(Observable(top), Observable(await Get(r.Grain)));
        Assert.True(world.ReadModel.Row(r.Key)!.Value.Grievance.BreachedAtTop);
    }

    [Fact]
    public async Task Escalation_stops_at_L4_even_when_the_chain_goes_higher()
    {
        var r = await Register(); // water: five seats
        for (var level = 1; level <= 4; level++)
        {
            await r.Grain.OnDueDatePassed((await Get(r.Grain)).DueAt!.Value);
        }

        var g = await Get(r.Grain);
        Assert.Equal((4, Water(4, r.Place), true), (g.Level, g.OfficerId, g.BreachedAtTop));
        Assert.Equal(3, g.Timeline.Count(e => e.Type == TimelineEventType.Escalated));
        Assert.Equal(1, g.Timeline.Count(e => e.Type == TimelineEventType.BreachedAtTop));
        Assert.Equal(0, (await Workload(Water(5, r.Place))).Open);
        Assert.Equal(1, (await Workload(Water(4, r.Place))).Open);

        // The L4 officer tracks it disarmed: when the clock passes its last due date, nothing is reported.
        world.Clock.SetUtcNow(g.DueAt!.Value.AddHours(1));
        await world.Officer(Water(4, r.Place)).Arm();
        Assert.DoesNotContain(world.Probe.CallsTo(r.Key), c => c.FromOfficer);
        Assert.Equal(new OfficerWorkload(Water(4, r.Place), 1, 1, 0, null), await Workload(Water(4, r.Place)));
    }

    [Fact]
    public async Task A_retried_registration_finishes_what_a_failed_first_attempt_left_undone()
    {
        var place = GrainCluster.NewId("place");
        var request = Request(place);
        var key = GrievanceKeys.ForRequest(request.ClientRequestId);
        // The officer is active already, so it learns of the grievance only by being told (not from the read model).
        Assert.Equal(0, (await Workload(Water(1, place))).Open);
        world.Probe.FailNextCalls(Water(1, place), nameof(IOfficerGrain.Track)); // stored and shown, then failed before tracking

        await Assert.ThrowsAnyAsync<Exception>(() => GrainFor(request).Register(request));
        var stored = await GrainFor(request).Get();
        Assert.NotNull(stored);
        Assert.Equal(Observable(stored), Observable(world.ReadModel.Row(key)!.Value.Grievance));
        Assert.Equal(0, (await Workload(Water(1, place))).Open);
        Assert.Null(world.ReadModel.AcknowledgedVersion(key)); // its outbox entry stays: the officer was not told

        var retried = await GrainFor(request).Register(request);
        Assert.Equal(Observable(stored), Observable(retried));
        Assert.Equal(new OfficerWorkload(Water(1, place), 1, 0, 0, retried.DueAt), await Workload(Water(1, place)));
        Assert.Equal(Observable(retried), Observable(world.ReadModel.Row(key)!.Value.Grievance));
        Assert.Equal(1, world.Storage.WritesOf(key));
        Assert.Equal(1, world.ReadModel.AcknowledgedVersion(key));
    }

    [Fact]
    public async Task A_request_sent_to_another_grievances_grain_is_refused()
    {
        var request = Request(GrainCluster.NewId("place"));
        var other = world.Client.GetGrain<IGrievanceGrain>(GrievanceKeys.ForRequest("someone-else-" + request.ClientRequestId));
        await Assert.ThrowsAsync<ArgumentException>(() => other.Register(request));
        Assert.Null(await other.Get());
        Assert.Equal(0, world.Storage.WritesOf(other.GetPrimaryKeyString()));
    }

    [Fact]
    public async Task Only_the_holder_may_dispose_and_a_refusal_changes_nothing()
    {
        var r = await Register();
        var holder = r.Grievance.OfficerId;

        var resolve = await Assert.ThrowsAsync<HelplineException>(() => r.Grain.Resolve("OFF-someone-else", "Done."));
        Assert.Equal((GrievanceErrorCodes.NotAssignedOfficer, "officerId"), (resolve.Code, resolve.Field));
        var reject = await Assert.ThrowsAsync<HelplineException>(() => r.Grain.Reject(holder.ToUpperInvariant(), "Not ours."));
        Assert.Equal(GrievanceErrorCodes.NotAssignedOfficer, reject.Code);
        var onCall = await Assert.ThrowsAsync<HelplineException>(() => r.Grain.DisposeOnCall("agent-17", "Told them.")); // a complaint
        Assert.Equal(GrievanceErrorCodes.InvalidTransition, onCall.Code);

        Assert.Equal(Observable(r.Grievance), Observable(await Get(r.Grain)));
        Assert.Equal(1, world.Storage.WritesOf(r.Key));
        Assert.Equal(1, world.ReadModel.Row(r.Key)!.Value.Version);
        Assert.Equal(1, (await Workload(holder)).Open);

        var resolved = await r.Grain.Resolve(holder, "Pipeline repaired; supply restored on 12 Nov.");
        Assert.Equal((GrievanceStatus.Resolved, (DateTimeOffset?)world.Clock.GetUtcNow(), "Pipeline repaired; supply restored on 12 Nov."), (resolved.Status, resolved.ClosedAt, resolved.Disposal));
        Assert.Equal((3, TimelineEventType.Resolved, holder), (resolved.Timeline[^1].Sequence, resolved.Timeline[^1].Type, resolved.Timeline[^1].Actor));
        Assert.Equal(0, (await Workload(holder)).Open);

        var twice = await Assert.ThrowsAsync<HelplineException>(() => r.Grain.Resolve(holder, "Again."));
        Assert.Equal(GrievanceErrorCodes.InvalidTransition, twice.Code);
        Assert.Equal(Observable(resolved), Observable(await Get(r.Grain)));
    }

    [Fact]
    public async Task The_former_holder_may_not_dispose_after_escalation()
    {
        var r = await Register();
        await r.Grain.OnDueDatePassed(r.Grievance.DueAt!.Value);
        var escalated = await Get(r.Grain);

        var e = await Assert.ThrowsAsync<HelplineException>(() => r.Grain.Resolve(Water(1, r.Place), "Done at L1."));
        Assert.Equal(GrievanceErrorCodes.NotAssignedOfficer, e.Code);
        Assert.Equal(Observable(escalated), Observable(await Get(r.Grain)));
        Assert.Equal(GrievanceStatus.Rejected, (await r.Grain.Reject(Water(2, r.Place), "Private dispute.")).Status);
    }

    [Fact]
    public async Task A_failed_state_write_leaves_the_grievance_as_stored()
    {
        var r = await Register();
        var holder = r.Grievance.OfficerId;

        world.Storage.FailNextWrites(r.Key);
        await Assert.ThrowsAnyAsync<Exception>(() => r.Grain.Resolve(holder, "Repaired."));

        var after = await Get(r.Grain);
        Assert.Equal(Observable(r.Grievance), Observable(after));
        var stored = world.Storage.Stored<GrievanceState>("grievance", r.Grain.GetGrainId()) ?? throw new InvalidOperationException("nothing stored");
        Assert.Equal(
            (after.Status, after.OfficerId, after.Level, after.DueAt, after.ClosedAt, after.Disposal, string.Join(" | ", after.Timeline)),
            (stored.Status, stored.OfficerId, stored.Level, stored.DueAt, stored.ClosedAt, stored.Disposal, string.Join(" | ", stored.Timeline)));
        Assert.Equal(1, (await Workload(holder)).Open);
        Assert.Equal(1, world.ReadModel.Row(r.Key)!.Value.Version);

        var resolved = await r.Grain.Resolve(holder, "Repaired.");
        Assert.Equal(
            [TimelineEventType.Registered, TimelineEventType.Routed, TimelineEventType.Resolved],
            resolved.Timeline.Select(e => e.Type));
        Assert.Equal(resolved.Timeline.Select((_, i) => i + 1), resolved.Timeline.Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_registration_whose_write_fails_is_not_registered_and_a_retry_registers_it_once()
    {
        var place = GrainCluster.NewId("place");
        var request = Request(place);
        var key = GrievanceKeys.ForRequest(request.ClientRequestId);
        var grain = GrainFor(request);

        world.Storage.FailNextWrites(key);
        await Assert.ThrowsAnyAsync<Exception>(() => grain.Register(request));
        Assert.Null(await grain.Get());
        Assert.Null(world.ReadModel.Row(key));
        Assert.Equal(0, (await Workload(Water(1, place))).Open);

        var g = await grain.Register(request);
        Assert.Equal([TimelineEventType.Registered, TimelineEventType.Routed], g.Timeline.Select(e => e.Type));
        Assert.Equal(Observable(g), Observable(await grain.Get() ?? throw new InvalidOperationException()));
        Assert.Equal(1, (await Workload(Water(1, place))).Open);
    }

    [Fact]
    public async Task A_breach_whose_write_fails_is_retried_by_the_officer_and_escalates_once()
    {
        var r = await Register();
        var due = r.Grievance.DueAt!.Value;

        // Let the at-risk warning be written first, so that the failing write is the breach's.
        world.Clock.SetUtcNow(r.Grievance.AtRiskAt!.Value.AddSeconds(1));
        r = r with { Grievance = await Wait.UntilAsync(() => Get(r.Grain), x => x.Timeline.Any(e => e.Type == TimelineEventType.AtRisk), "the at-risk warning") };
        world.Storage.FailNextWrites(r.Key);

        world.Clock.SetUtcNow(due.AddSeconds(1));
        await Wait.UntilAsync(() => Task.FromResult(world.Probe.CallsTo(r.Key).Count(c => c.FromOfficer)), n => n >= 1, "the officer's report");
        await world.Officer(Water(1, r.Place)).Arm();
        var unchanged = await Get(r.Grain);
        Assert.Equal(Observable(r.Grievance), Observable(unchanged)); // the failed breach left nothing behind

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var g = await Wait.UntilAsync(() => Get(r.Grain), x => x.Level == 2, "escalation on the officer's retry");
        Assert.Equal(
            [TimelineEventType.Registered, TimelineEventType.Routed, TimelineEventType.Breached, TimelineEventType.Escalated],
            g.Timeline.Select(e => e.Type).Where(t => t != TimelineEventType.AtRisk)); // the at-risk warning fires on the way
        Assert.Equal(0, (await Workload(Water(1, r.Place))).Open);
        Assert.Equal(1, (await Workload(Water(2, r.Place))).Open);
    }

    [Fact]
    public async Task A_breach_told_again_while_the_first_call_hangs_escalates_exactly_once()
    {
        var r = await Register();
        var due = r.Grievance.DueAt!.Value;
        world.Clock.SetUtcNow(r.Grievance.AtRiskAt!.Value.AddSeconds(1));
        await Wait.UntilAsync(() => Get(r.Grain), x => x.Timeline.Any(e => e.Type == TimelineEventType.AtRisk), "the at-risk warning");
        await world.OfficerCallsSettledAsync(Water(1, r.Place));
        world.Probe.Hold(r.Key); // the grievance's silo is dying: the officer's call hangs

        world.Clock.SetUtcNow(due.AddSeconds(1));
        await Wait.UntilAsync(() => Task.FromResult(world.Probe.CallsTo(r.Key).Count(c => c.FromOfficer && c.DueAt == due)), n => n == 1, "the officer's report");

        // The officer gives up after its call timeout and tells it again; the retry waits behind the first call.
        await Wait.UntilAsync(
            () =>
            {
                world.Clock.Advance(TimeSpan.FromSeconds(1));
                return Task.FromResult(world.Outgoing.PendingFromOfficers);
            },
            n => n >= 2,
            "the officer's second report");
        world.Probe.Unhold(r.Key);

        var g = await Wait.UntilAsync(() => Get(r.Grain), x => x.Level == 2, "the escalation");
        await world.OfficerCallsSettledAsync(Water(1, r.Place));
        g = await Get(r.Grain);
        Assert.True(world.Probe.CallsTo(r.Key).Count(c => c.FromOfficer && c.DueAt == due) >= 2); // told twice...
        Assert.Equal(
            [TimelineEventType.Registered, TimelineEventType.Routed, TimelineEventType.Breached, TimelineEventType.Escalated],
            g.Timeline.Select(e => e.Type).Where(t => t != TimelineEventType.AtRisk)); // ...acted on once
        Assert.Equal(2, g.Level);
        Assert.Equal(0, (await Workload(Water(1, r.Place))).Open);
        Assert.Equal(1, (await Workload(Water(2, r.Place))).Open);
    }
}
