using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Accountability;

/// <summary>
/// Each penalty rule over seeded facts of November 2026 (default rules: 3 breaches, more than 50% dissatisfied of at
/// least 10 answered, 3 reopened, 2 C grades, 2 overturned returns; a supervisor at 3 flags on the team): who is
/// flagged, with which figures and evidence, once however often the job runs, and withdrawn when the facts change.
/// </summary>
public sealed class FlagRuleTests : AccountabilityTest
{
    [Fact]
    public async Task Each_rule_flags_the_officers_who_meet_it_once_per_period_with_figures_and_evidence()
    {
        await SeedAsync("OFF-1", "breach", 3);
        await SeedAsync("OFF-2", "breach", 2);
        await SeedAsync("OFF-3", "dissatisfied", 6);
        await SeedAsync("OFF-3", "satisfied", 4);
        await SeedAsync("OFF-4", "dissatisfied", 6);
        await SeedAsync("OFF-4", "satisfied", 3);
        await SeedAsync("OFF-5", "dissatisfied", 5);
        await SeedAsync("OFF-5", "satisfied", 5);
        await SeedAsync("OFF-6", "reopened", 3);
        await SeedAsync("OFF-7", "c_grade", 2, supervisor: "SUP-2");
        await SeedAsync("OFF-8", "overturned_return", 2, supervisor: "SUP-2");
        await SeedAsync("OFF-8", "reopened", 2, supervisor: "SUP-2");

        var first = await FlagNovemberAsync();
        var flags = await FlagsAsync();

        Assert.Equal(
            [("OFF-1", "breaches"), ("OFF-3", "dissatisfied-share"), ("OFF-6", "reopened"), ("OFF-7", "c-grades"), ("OFF-8", "overturned-returns"), ("SUP-1", "team-flags")],
            flags.Select(f => (f.Officer, f.Rule)).ToArray());
        var breaches = flags[0];
        Assert.Equal("3 breaches of the due date (defaulter cases) in 2026-11; the rule flags 3 or more.", breaches.Figures);
        Assert.Equal(["OFF-1-breach-000001", "OFF-1-breach-000002", "OFF-1-breach-000003"], breaches.Evidence.Order(StringComparer.Ordinal));
        Assert.Equal("SUP-1", breaches.Supervisor);
        Assert.Equal("6 of 10 answered call-backs dissatisfied (60.00%) in 2026-11; the rule flags above 50% with at least 10 answered.", flags[1].Figures);

        // The supervisor of OFF-1, OFF-3 and OFF-6 answers for three flags on the team: a flag of their own, naming them.
        var team = flags[^1];
        Assert.Contains("3 flags on the team in 2026-11: OFF-1 (breaches, 2026-11), OFF-3 (dissatisfied-share, 2026-11), OFF-6 (reopened, 2026-11)", team.Figures, StringComparison.Ordinal);
        Assert.Equal(3 + 6 + 3, team.Evidence.Length);
        Assert.Equal((6, 0), first);

        // However often the job runs, nothing is raised twice.
        Assert.Equal((0, 0), await FlagNovemberAsync());
        Assert.Equal(6, (await FlagsAsync()).Count);
    }

    [Fact]
    public async Task A_flag_whose_figures_no_longer_meet_the_rule_is_withdrawn_by_the_system_with_its_reason_kept()
    {
        await SeedAsync("OFF-1", "breach", 3);
        await SeedAsync("OFF-3", "reopened", 3);
        await SeedAsync("OFF-6", "reopened", 4);
        await FlagNovemberAsync();
        Assert.Contains(await FlagsAsync(), f => f is { Officer: "SUP-1", Rule: "team-flags", Status: "raised" });

        // A recompute cleared one of OFF-1's breaches: 2 left, below the rule; the team falls to 2 flags.
        await Sql.ExecuteAsync("update accountability.fact set cleared_at = now(), cleared_why = 'test' where reference_number = 'OFF-1-breach-000001'");
        Assert.Equal((0, 2), await FlagNovemberAsync());

        var flags = await FlagsAsync();
        Assert.Equal("withdrawn", flags.Single(f => f.Officer == "OFF-1").Status);
        Assert.Equal("withdrawn", flags.Single(f => f.Officer == "SUP-1").Status);
        Assert.Equal("raised", flags.Single(f => f.Officer == "OFF-6").Status);
        Assert.Equal(2L, await Sql.ScalarAsync<long>("select count(*) from accountability.flag_review where reviewed_by = 'system' and reason like 'The figures no longer meet rule%'"));

        // Two more breaches later in the month: the same flag is raised again, with the new figures; its history
        // keeps both steps. A flag a supervisor withdrew would stay withdrawn.
        await SeedAsync("OFF-1", "breach", 2, prefix: "OFF-1-late-breach-");
        Assert.Equal((2, 0), await FlagNovemberAsync()); // OFF-1's flag, then the team's
        var again = (await FlagsAsync()).Single(f => f.Officer == "OFF-1");
        Assert.Equal(("raised", "4 breaches of the due date (defaulter cases) in 2026-11; the rule flags 3 or more."), (again.Status, again.Figures));
        Assert.Equal(
            "withdrawn by system, raised by system",
            await Sql.ScalarAsync<string>("""
                select string_agg(r.decision || ' by ' || r.reviewed_by, ', ' order by r.n)
                from accountability.flag_review r join accountability.flag f on f.id = r.flag_id where f.officer_id = 'OFF-1'
                """));
    }

    [Fact]
    public async Task The_supervisor_upholds_or_withdraws_a_flag_with_a_reason_and_every_review_is_kept()
    {
        await SeedAsync("OFF-1", "breach", 4);
        await FlagNovemberAsync();
        var id = await Sql.ScalarAsync<Guid>("select id from accountability.flag where officer_id = 'OFF-1'");
        const string review = "mutation($id: ID!, $d: PenaltyFlagDecision!, $r: String!) { reviewPenaltyFlag(flagId: $id, decision: $d, reason: $r) { status reviews { decision reason reviewedBy } } }";

        var upheld = await Host.GraphQLAsync(review, new { id, d = "UPHOLD", r = "Four defaulter cases, no hold recorded." }, SupervisorToken("SUP-1"));
        Assert.Equal("UPHELD", upheld.Get("reviewPenaltyFlag.status").GetValue<string>());
        var again = await Host.GraphQLAsync(review, new { id, d = "UPHOLD", r = "Four defaulter cases, no hold recorded." }, SupervisorToken("SUP-1"));
        Assert.Single(again.Get("reviewPenaltyFlag.reviews").AsArray()); // a retried review adds nothing

        var withdrawn = await Host.GraphQLAsync(review, new { id, d = "WITHDRAW", r = "Two cases were sub judice." }, SupervisorToken("SUP-1"));
        Assert.Equal("WITHDRAWN", withdrawn.Get("reviewPenaltyFlag.status").GetValue<string>());
        Assert.Equal(
            ["UPHELD: Four defaulter cases, no hold recorded.", "WITHDRAWN: Two cases were sub judice."],
            withdrawn.Get("reviewPenaltyFlag.reviews").AsArray().Select(x => $"{x!["decision"]}: {x["reason"]}").ToArray());

        // Another supervisor may not (to them it is a flag they cannot see), nor the flagged officer; a reason is
        // required; ids are checked; nothing changes.
        Assert.Equal("UNKNOWN_FLAG", (await Host.GraphQLAsync(review, new { id, d = "UPHOLD", r = "Mine now" }, SupervisorToken("SUP-9"))).FirstErrorCode);
        Assert.Equal("NOT_THE_SUPERVISOR", (await Host.GraphQLAsync(review, new { id, d = "WITHDRAW", r = "Not my fault" }, SupervisorToken("OFF-1"))).FirstErrorCode);
        var blank = await Host.GraphQLAsync(review, new { id, d = "UPHOLD", r = "  " }, SupervisorToken("SUP-1"));
        Assert.Equal(("REQUIRED", "reason"), (blank.FirstErrorCode, blank.FirstErrorField));
        Assert.Equal("UNKNOWN_FLAG", (await Host.GraphQLAsync(review, new { id = "not-a-uuid", d = "UPHOLD", r = "x" }, SupervisorToken("SUP-1"))).FirstErrorCode);
        Assert.Equal(2L, await Sql.ScalarAsync<long>($"select count(*) from accountability.flag_review where flag_id = '{id}'"));
        Assert.Equal("withdrawn", await Sql.ScalarAsync<string>($"select status from accountability.flag where id = '{id}'"));

        // The officer still meets the rule, but the supervisor's decision stands: the job does not raise it again.
        Assert.Equal((0, 0), await FlagNovemberAsync());
        Assert.Equal("withdrawn", await Sql.ScalarAsync<string>($"select status from accountability.flag where id = '{id}'"));

        // Nor does an administrator's withdrawal, even one whose token names itself "system".
        await Host.GraphQLAsync(review, new { id, d = "UPHOLD", r = "Reopened for review." }, SupervisorToken("SUP-1"));
        await Host.GraphQLAsync(review, new { id, d = "WITHDRAW", r = "Withdrawn by the cell." }, DefaultCallers.TokenOf(Role.Administrator, "system"));
        Assert.Equal((0, 0), await FlagNovemberAsync());
        Assert.Equal("withdrawn", await Sql.ScalarAsync<string>($"select status from accountability.flag where id = '{id}'"));

        // An officer recorded as their own supervisor (they held the seat above's charge) still may not review it.
        await Sql.ExecuteAsync($"update accountability.flag set supervisor_officer_id = 'OFF-1' where id = '{id}'");
        Assert.Equal("NOT_THE_SUPERVISOR", (await Host.GraphQLAsync(review, new { id, d = "UPHOLD", r = "Mine" }, SupervisorToken("OFF-1"))).FirstErrorCode);
    }

    [Fact]
    public async Task Flags_are_listed_by_filter_within_each_callers_view()
    {
        await SeedAsync("OFF-1", "breach", 3);
        await SeedAsync("OFF-6", "reopened", 3, supervisor: "SUP-2");
        await FlagNovemberAsync();
        const string list = "query($s: String, $r: String) { penaltyFlags(supervisorId: $s, rule: $r, period: \"2026-11\") { officerId rule supervisorOfficerId evidence } }";

        var all = await Host.GraphQLAsync(list, new { s = (string?)null, r = (string?)null });
        Assert.Equal(["OFF-1", "OFF-6"], all.Get("penaltyFlags").AsArray().Select(f => f!["officerId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var bySupervisor = await Host.GraphQLAsync(list, new { s = "SUP-2", r = (string?)null });
        Assert.Equal("OFF-6", Assert.Single(bySupervisor.Get("penaltyFlags").AsArray())!["officerId"]!.GetValue<string>());
        var byRule = await Host.GraphQLAsync(list, new { s = (string?)null, r = "breaches" });
        Assert.Equal(3, Assert.Single(byRule.Get("penaltyFlags").AsArray())!["evidence"]!.AsArray().Count);

        // An officer sees the flags on themselves; a supervisor those on the officers they answer for.
        var own = await Host.GraphQLAsync(list, new { s = (string?)null, r = (string?)null }, DefaultCallers.TokenOf(Role.Officer, "OFF-1"));
        Assert.Equal("OFF-1", Assert.Single(own.Get("penaltyFlags").AsArray())!["officerId"]!.GetValue<string>());
        var supervisor = await Host.GraphQLAsync(list, new { s = (string?)null, r = (string?)null }, SupervisorToken("SUP-2"));
        Assert.Equal("OFF-6", Assert.Single(supervisor.Get("penaltyFlags").AsArray())!["officerId"]!.GetValue<string>());
        Assert.Equal(("INVALID_VALUE", "first"), await ErrorAsync("{ penaltyFlags(first: 0) { id } }"));
    }

    private async Task<(string?, string?)> ErrorAsync(string query)
    {
        var r = await Host.GraphQLAsync(query);
        return (r.FirstErrorCode, r.FirstErrorField);
    }
}
