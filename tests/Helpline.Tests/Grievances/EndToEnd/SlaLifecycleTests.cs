using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// The SLA engine inside the grievance lifecycle, over HTTP against the real host and PostgreSQL, with a fake clock.
/// Every expected instant is worked out by hand in the test from the fake clock's start, Monday 2026-11-02 04:30 UTC
/// (10:00 IST), and the default calendar (Monday to Friday, 10:00-17:00 IST).
/// </summary>
public sealed class SlaLifecycleTests : HostedTest
{
    private const string Fields = """
        referenceNumber status level dueAt atRiskAt atRisk onHold onHoldSince breached breachedAtTop
        officer { id alerts { kind referenceNumber } } position { id supervisor { id holder { id } } } category { id }
        timeline { type at actor note }
        slaExplanation { policySource allowance { unit amount } level calendar { id } skippedDays { date reason name } pauses { applied } dueAt summary }
        """;

    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);

    private string _block = null!;
    private string _category = null!;
    private string _otherCategory = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var cats = (await Host.GraphQLAsync("{ categories(departmentId: \"rural-development\") { id resolutionLevel slaDays } }")).Get("categories").AsArray();
        var blockLevel = cats.Where(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK" && c["slaDays"]![0]!.GetValue<int>() == 7).ToList();
        _category = blockLevel[0]!["id"]!.GetValue<string>();
        _otherCategory = blockLevel[1]!["id"]!.GetValue<string>();
        var tree = await Host.GraphQLAsync("{ jurisdiction(id: \"district:162\") { children { id kind } } }");
        _block = tree.Get("jurisdiction.children").AsArray().First(c => c!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
    }

    private async Task<string> Register()
    {
        var r = await Host.GraphQLAsync(Complaints.Register, Complaints.Input("sla-" + Guid.NewGuid().ToString("N"), _block, _category));
        return r.Get("registerGrievance.referenceNumber").GetValue<string>();
    }

    private async Task<System.Text.Json.Nodes.JsonNode> Fetch(string reference) =>
        (await Host.GraphQLAsync($"query($r: String!) {{ grievance(referenceNumber: $r) {{ {Fields} }} }}", new { r = reference })).Get("grievance");

    private Task<GraphQLResponse> Mutate(string field, string args, object variables) =>
        Host.GraphQLAsync($"mutation($r: String!, $o: String!) {{ {field}(referenceNumber: $r, officerId: $o{args}) {{ {Fields} }} }}", variables);

    [Fact]
    public async Task The_default_policy_is_explained_and_the_warning_fires_at_75_percent_for_officer_and_supervisor()
    {
        var reference = await Register();
        var g = await Fetch(reference);
        Assert.Equal(T0.AddDays(7), g["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(T0.AddDays(5.25), g["atRiskAt"]!.GetValue<DateTimeOffset>());
        var explanation = g["slaExplanation"]!;
        Assert.Equal(("CATALOGUE_DEFAULT", "CALENDAR_DAYS", 7), (explanation["policySource"]!.GetValue<string>(), explanation["allowance"]!["unit"]!.GetValue<string>(), explanation["allowance"]!["amount"]!.GetValue<int>()));
        Assert.Equal(T0.AddDays(7), explanation["dueAt"]!.GetValue<DateTimeOffset>());

        Host.Clock.SetUtcNow(T0.AddDays(5.25).AddSeconds(1));
        var atRisk = await Wait.UntilAsync(async () => await Fetch(reference), x => x["atRisk"]!.GetValue<bool>() && x["timeline"]!.AsArray().Any(e => e!["type"]!.GetValue<string>() == "AT_RISK"), "the at-risk warning");

        // The alerts are kept from the AtRisk event, which reaches the Workload module shortly after.
        await Wait.UntilAsync(
            async () => (await Fetch(reference))["officer"]!["alerts"]!.AsArray(),
            alerts => alerts.Any(a => a!["kind"]!.GetValue<string>() == "AT_RISK" && a["referenceNumber"]!.GetValue<string>() == reference),
            "the holder's AT_RISK alert");
        var supervisor = atRisk["position"]!["supervisor"]!["holder"]!["id"]!.GetValue<string>();
        await Wait.UntilAsync(
            async () => (await Host.GraphQLAsync("query($o: String!) { officer(id: $o) { alerts { kind referenceNumber } } }", new { o = supervisor })).Get("officer.alerts").AsArray(),
            alerts => alerts.Any(a => a!["kind"]!.GetValue<string>() == "SUBORDINATE_AT_RISK" && a["referenceNumber"]!.GetValue<string>() == reference),
            "the supervisor's SUBORDINATE_AT_RISK alert");
        var list = await Host.GraphQLAsync("query($j: String!) { grievances(filter: { jurisdictionId: $j, atRisk: true }) { nodes { referenceNumber } } }", new { j = _block });
        Assert.Contains(list.Get("grievances.nodes").AsArray(), n => n!["referenceNumber"]!.GetValue<string>() == reference);
    }

    [Fact]
    public async Task A_pause_stops_the_clock_and_resuming_moves_the_due_date_by_exactly_the_paused_time()
    {
        var reference = await Register();
        var officer = (await Fetch(reference))["officer"]!["id"]!.GetValue<string>();

        Host.Clock.SetUtcNow(T0.AddDays(1));
        var paused = (await Mutate("pauseGrievance", ", reason: \"Waiting for the complainant's land record\"", new { r = reference, o = officer })).Get("pauseGrievance");
        Assert.True(paused["onHold"]!.GetValue<bool>());

        // The due date passes while on hold: nothing fires.
        Host.Clock.SetUtcNow(T0.AddDays(10));
        var stillPaused = await Fetch(reference);
        Assert.Equal((1, false), (stillPaused["level"]!.GetValue<int>(), stillPaused["breached"]!.GetValue<bool>()));

        var resumed = (await Mutate("resumeGrievance", "", new { r = reference, o = officer })).Get("resumeGrievance");
        // Paused for 9 calendar days (a calendar-days policy counts elapsed time): due 7 + 9 days after T0.
        Assert.Equal(T0.AddDays(16), resumed["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.False(resumed["onHold"]!.GetValue<bool>());
        Assert.Equal(["PAUSED", "RESUMED"], resumed["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).Where(t => t is "PAUSED" or "RESUMED"));
        Assert.Single(resumed["slaExplanation"]!["pauses"]!.AsArray());

        var again = await Mutate("resumeGrievance", "", new { r = reference, o = officer });
        Assert.Equal("INVALID_STATE_TRANSITION", again.FirstErrorCode);
    }

    [Fact]
    public async Task An_interim_reply_does_not_stop_the_clock()
    {
        var reference = await Register();
        var officer = (await Fetch(reference))["officer"]!["id"]!.GetValue<string>();
        var replied = (await Host.GraphQLAsync(
            $"mutation($r: String!, $o: String!) {{ recordInterimReply(referenceNumber: $r, officerId: $o, reply: \"Field visit on Thursday\") {{ {Fields} }} }}",
            new { r = reference, o = officer })).Get("recordInterimReply");
        Assert.Equal(T0.AddDays(7), replied["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("INTERIM_REPLY", replied["timeline"]!.AsArray()[^1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_working_hours_policy_recomputes_open_grievances_and_the_explanation_names_the_skipped_days()
    {
        var reference = await Register();
        var set = await Host.GraphQLAsync(
            "mutation($c: String!) { setSlaPolicy(categoryId: $c, level: 1, unit: WORKING_HOURS, amount: 16) { unit amount } }", new { c = _category });
        Assert.Null(set.Errors);

        var g = await Wait.UntilAsync(async () => await Fetch(reference), x => x["dueAt"]!.GetValue<DateTimeOffset>() != T0.AddDays(7), "the recomputed due date");
        // Registered Monday 10:00 IST: 7 h Monday + 7 h Tuesday + 2 h Wednesday = due Wednesday 12:00 IST = 06:30 UTC.
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 6, 30, 0, TimeSpan.Zero), g["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("CATEGORY_OVERRIDE", g["slaExplanation"]!["policySource"]!.GetValue<string>());
        Assert.Contains(g["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "RECOMPUTED");

        // A grievance registered on Friday 16:00 IST skips the weekend: 1 h Friday + 7 h Monday + 7 h Tuesday + 1 h Wednesday.
        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 6, 10, 30, 0, TimeSpan.Zero));
        var friday = await Fetch(await Register());
        Assert.Equal(new DateTimeOffset(2026, 11, 11, 5, 30, 0, TimeSpan.Zero), friday["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(["WEEKLY_OFF", "WEEKLY_OFF"], friday["slaExplanation"]!["skippedDays"]!.AsArray().Select(d => d!["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Recategorising_counts_the_new_allowance_from_the_level_start_and_keeps_a_hold_and_on_hold_is_never_overdue()
    {
        // Registered Mon 2026-11-02 04:30 UTC (T0), 7 calendar days at L1: due Mon 11-09 04:30 UTC.
        var reference = await Register();
        var officer = (await Fetch(reference))["officer"]!["id"]!.GetValue<string>();
        Host.Clock.SetUtcNow(T0.AddDays(1)); // Tue 11-03 04:30: put on hold
        await Mutate("pauseGrievance", ", reason: \"Waiting for the land record\"", new { r = reference, o = officer });

        // Rule 3: Tue 11-10 04:30 is after the old due date, but a grievance on hold is not overdue anywhere.
        Host.Clock.SetUtcNow(T0.AddDays(8));
        var held = await Host.GraphQLAsync(
            "query($r: String!, $o: String!) { grievance(referenceNumber: $r) { overdue } grievances(filter: { officerId: $o, overdue: true }) { totalCount } "
            + "onHold: grievances(filter: { officerId: $o, onHold: true }) { nodes { referenceNumber overdue } } officer(id: $o) { workload { overdue onHold } } }",
            new { r = reference, o = officer });
        Assert.False(held.Get("grievance.overdue").GetValue<bool>());
        Assert.Equal(0, held.Get("grievances.totalCount").GetValue<int>());
        Assert.False(Assert.Single(held.Get("onHold.nodes").AsArray())!["overdue"]!.GetValue<bool>());
        Assert.Equal((0, 1), (held.Get("officer.workload.overdue").GetValue<int>(), held.Get("officer.workload.onHold").GetValue<int>()));

        // Rules 2 and 4: re-categorised while on hold (the other category also allows 7 days at L1, same seat), by the
        // officer holding it (only the holder or their supervisor may).
        var moved = (await Host.GraphQLAsync(
            $"mutation($r: String!, $o: String!, $c: String!) {{ recategoriseGrievance(referenceNumber: $r, actorId: $o, categoryId: $c, reason: \"Wrong category chosen on the call\") {{ {Fields} }} }}",
            new { r = reference, o = officer, c = _otherCategory })).Get("recategoriseGrievance");
        Assert.Equal(_otherCategory, moved["category"]!["id"]!.GetValue<string>());
        Assert.True(moved["onHold"]!.GetValue<bool>()); // the hold goes on
        Assert.Equal(T0.AddDays(1), moved["onHoldSince"]!.GetValue<DateTimeOffset>());
        Assert.Equal(T0.AddDays(7), moved["dueAt"]!.GetValue<DateTimeOffset>()); // 7 days from the L1 start T0, not from now
        var recategorised = moved["timeline"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "RECATEGORISED")!;
        Assert.EndsWith("(it stays on hold)", recategorised["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("when it reached its current level.", moved["slaExplanation"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);

        // Resumed Thu 11-12 04:30: held from Tue 11-03 04:30, 9 days, so due 11-09 04:30 + 9 d = Wed 11-18 04:30 UTC.
        Host.Clock.SetUtcNow(T0.AddDays(10));
        var resumed = (await Mutate("resumeGrievance", "", new { r = reference, o = officer })).Get("resumeGrievance");
        Assert.Equal(T0.AddDays(16), resumed["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.False(resumed["breached"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_reopened_grievance_goes_one_level_up_with_a_fresh_due_date_from_the_reopening_never_the_old_one()
    {
        var reference = await Register();
        var g = await Fetch(reference);
        var officer = g["officer"]!["id"]!.GetValue<string>();
        var supervisorSeat = g["position"]!["supervisor"]!["id"]!.GetValue<string>();
        await Host.GraphQLAsync("mutation($r: String!, $o: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: \"Issued\") { status } }", new { r = reference, o = officer });

        Host.Clock.SetUtcNow(T0.AddDays(20));
        var reopened = (await Host.GraphQLAsync(
            // Not all of Fields: an officer's alerts are not the agent's to see.
            "mutation($r: String!) { reopenGrievance(referenceNumber: $r, actorId: \"callback-agent-3\", reason: \"Complainant says the job card was not received\") { status level dueAt breachedAtTop position { id } } }",
            new { r = reference })).Get("reopenGrievance");
        Assert.Equal(("OPEN", 2, supervisorSeat), (reopened["status"]!.GetValue<string>(), reopened["level"]!.GetValue<int>(), reopened["position"]!["id"]!.GetValue<string>()));
        Assert.Equal(T0.AddDays(20).AddDays(7), reopened["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.False(reopened["breachedAtTop"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Forwarding_up_the_chain_raises_the_level_and_recomputes_from_now_and_another_departments_seat_is_refused()
    {
        var reference = await Register();
        var g = await Fetch(reference);
        var officer = g["officer"]!["id"]!.GetValue<string>();
        var supervisorSeat = g["position"]!["supervisor"]!["id"]!.GetValue<string>();
        const string forward = "mutation($r: String!, $o: String!, $p: String!) { forwardGrievance(referenceNumber: $r, officerId: $o, positionId: $p, reason: \"Needs the CDO's order\") { level dueAt position { id } officer { id } timeline { type } } }";

        Host.Clock.SetUtcNow(T0.AddDays(1));
        var up = (await Host.GraphQLAsync(forward, new { r = reference, o = officer, p = supervisorSeat })).Get("forwardGrievance");
        Assert.Equal((2, supervisorSeat), (up["level"]!.GetValue<int>(), up["position"]!["id"]!.GetValue<string>()));
        Assert.Equal(T0.AddDays(1).AddDays(7), up["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("FORWARDED", up["timeline"]!.AsArray()[^1]!["type"]!.GetValue<string>());

        // Another department's seat in the same block does not resolve the category (issue 8, defect 5): refused.
        var other = (await Host.GraphQLAsync("query($j: String!) { jurisdiction(id: $j) { positions { id departmentId } } }", new { j = _block }))
            .Get("jurisdiction.positions").AsArray().First(p => p!["departmentId"]!.GetValue<string>() != "rural-development")!["id"]!.GetValue<string>();
        var sideways = await Host.GraphQLAsync(forward, new { r = reference, o = up["officer"]!["id"]!.GetValue<string>(), p = other });
        Assert.Equal("INVALID_VALUE", sideways.FirstErrorCode);
        Assert.Equal(supervisorSeat, (await Fetch(reference))["position"]!["id"]!.GetValue<string>());

        // The L1 officer no longer holds it, so it is out of their token's reach.
        var wrong = await Host.GraphQLAsync(forward, new { r = reference, o = officer, p = supervisorSeat });
        Assert.Equal("UNKNOWN_GRIEVANCE", wrong.FirstErrorCode);
    }
}
