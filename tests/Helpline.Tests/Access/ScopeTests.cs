using System.Text.Json.Nodes;
using Helpline.Grievances.Domain;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Access;

/// <summary>A host with one grievance in Lucknow (officer A's) and one in Agra (officer B's), both registered at T0.</summary>
public sealed class TwoDistricts : AccessTestHost
{
    public Registered Lucknow { get; private set; } = null!;

    public Registered Agra { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Lucknow = await RegisterAsync(Places.LucknowBlock);
        Agra = await RegisterAsync(Places.AgraBlock, name: "Ram Prasad", mobile: "9415099945");
    }
}

/// <summary>
/// Object-level access, one case at a time: an officer on another officer's grievance, an actor argument naming
/// someone else, a supervisor for their team, and a district partner reaching for another district's grievance by
/// number, through a list filter, a count, and an officer's workload and alerts.
/// </summary>
public sealed class ScopeTests(TwoDistricts world) : IClassFixture<TwoDistricts>
{
    private const string Fields = "referenceNumber status officer { id } timeline { sequence type actor }";

    private string Auditor => world.Token(Role.Auditor, "scope-auditor");

    private string LucknowPartner => world.Token(Role.Partner, "scope-partner-lucknow", jurisdictions: [Places.Lucknow]);

    private async Task<JsonNode> ReadAsAuditorAsync(string reference) =>
        (await world.SendAsync($"query($r: String!) {{ grievance(referenceNumber: $r) {{ {Fields} }} }}", new { r = reference }, Auditor)).Get("grievance");

    private static string Nobody => ReferenceNumber.Create(987_654_321, AccessTestHost.T0);

    /// <summary>The message an unknown number gets, with <paramref name="reference"/> in place of the number.</summary>
    private async Task<string> UnknownMessageForAsync(string reference, string bearer)
    {
        var r = await world.SendAsync("query($r: String!) { grievance(referenceNumber: $r) { referenceNumber } }", new { r = Nobody }, bearer);
        Assert.Equal("UNKNOWN_GRIEVANCE", r.FirstCode);
        return r.FirstMessage!.Replace(ReferenceNumber.Display(Nobody), ReferenceNumber.Display(reference), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Officer_A_acting_on_officer_B_grievance_is_told_it_does_not_exist_and_nothing_changes()
    {
        var (a, b) = (world.Lucknow.OfficerId, world.Agra.OfficerId);
        Assert.NotEqual(a, b);
        var before = await ReadAsAuditorAsync(world.Agra.ReferenceNumber);
        var officerA = world.Token(Role.Officer, a);

        var r = await world.SendAsync(
            $"mutation($r: String!) {{ resolveGrievance(referenceNumber: $r, actionTakenReport: \"Done\") {{ {Fields} }} }}",
            new { r = world.Agra.ReferenceNumber },
            officerA);

        Assert.Equal("UNKNOWN_GRIEVANCE", r.FirstCode);
        Assert.Equal(await UnknownMessageForAsync(world.Agra.ReferenceNumber, officerA), r.FirstMessage);
        Assert.Null(r.Body["data"]?["resolveGrievance"]);
        var after = await ReadAsAuditorAsync(world.Agra.ReferenceNumber);
        Assert.Equal(("OPEN", b), (after["status"]!.GetValue<string>(), after["officer"]!["id"]!.GetValue<string>()));
        Assert.Equal(before["timeline"]!.ToJsonString(), after["timeline"]!.ToJsonString());

        // Reading it is refused the same way.
        var read = await world.SendAsync("query($r: String!) { grievance(referenceNumber: $r) { referenceNumber } }", new { r = world.Agra.ReferenceNumber }, officerA);
        Assert.Equal("UNKNOWN_GRIEVANCE", read.FirstCode);
    }

    [Fact]
    public async Task An_officer_naming_someone_else_as_the_one_acting_is_refused_and_may_name_themselves()
    {
        var (a, b) = (world.Lucknow.OfficerId, world.Agra.OfficerId);
        var officerA = world.Token(Role.Officer, a);
        var before = await ReadAsAuditorAsync(world.Lucknow.ReferenceNumber);
        const string reply = "mutation($r: String!, $o: String) { recordInterimReply(referenceNumber: $r, officerId: $o, reply: \"Survey visit on Monday\") { timeline { type actor } } }";

        var someoneElse = await world.SendAsync(reply, new { r = world.Lucknow.ReferenceNumber, o = b }, officerA);
        Assert.Equal(("NOT_YOURSELF", "officerId"), (someoneElse.FirstCode, someoneElse.Errors![0]!["extensions"]!["field"]?.GetValue<string>()));
        Assert.Equal(before["timeline"]!.ToJsonString(), (await ReadAsAuditorAsync(world.Lucknow.ReferenceNumber))["timeline"]!.ToJsonString());

        var themselves = await world.SendAsync(reply, new { r = world.Lucknow.ReferenceNumber, o = a }, officerA);
        var last = themselves.Get("recordInterimReply.timeline").AsArray()[^1]!;
        Assert.Equal(a, last["actor"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_supervisor_acts_for_a_grievance_of_their_team_and_the_timeline_names_the_supervisor()
    {
        var g = await world.RegisterAsync(Places.LucknowBlock, name: "Kamla Devi", mobile: "9415077777");
        Assert.NotNull(g.SupervisorOfficerId);
        var supervisor = world.Token(Role.Supervisor, g.SupervisorOfficerId!);

        var r = await world.SendAsync(
            $"mutation($r: String!) {{ resolveGrievance(referenceNumber: $r, actionTakenReport: \"Sanctioned in the second list\") {{ {Fields} }} }}",
            new { r = g.ReferenceNumber },
            supervisor);

        var resolved = r.Get("resolveGrievance");
        Assert.Equal("RESOLVED", resolved["status"]!.GetValue<string>());
        Assert.Equal(g.SupervisorOfficerId, resolved["timeline"]!.AsArray()[^1]!["actor"]!.GetValue<string>());

        // The Agra grievance is not their team's: as if it did not exist, and still open.
        var other = await world.SendAsync(
            "mutation($r: String!) { recordInterimReply(referenceNumber: $r, reply: \"x\") { status } }", new { r = world.Agra.ReferenceNumber }, supervisor);
        Assert.Equal("UNKNOWN_GRIEVANCE", other.FirstCode);
    }

    [Fact]
    public async Task A_district_partner_asking_for_another_district_by_number_gets_what_a_number_nobody_has_gets()
    {
        var partner = LucknowPartner;
        Assert.Equal(world.Lucknow.ReferenceNumber, (await world.SendAsync(
            "query($r: String!) { grievance(referenceNumber: $r) { referenceNumber } }", new { r = world.Lucknow.ReferenceNumber }, partner)).Get("grievance.referenceNumber").GetValue<string>());

        var r = await world.SendAsync("query($r: String!) { grievance(referenceNumber: $r) { referenceNumber } }", new { r = world.Agra.ReferenceNumber }, partner);
        var unknown = await world.SendAsync("query($r: String!) { grievance(referenceNumber: $r) { referenceNumber } }", new { r = Nobody }, partner);

        Assert.Equal(unknown.Status, r.Status);
        Assert.Equal("UNKNOWN_GRIEVANCE", r.FirstCode);
        Assert.Equal(await UnknownMessageForAsync(world.Agra.ReferenceNumber, partner), r.FirstMessage);
        Assert.Equal(
            unknown.Errors![0]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal),
            r.Errors![0]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(unknown.Errors[0]!["extensions"]!.ToJsonString(), r.Errors[0]!["extensions"]!.ToJsonString());
    }

    [Fact]
    public async Task A_district_partner_does_not_find_another_district_through_a_list_filter_or_a_count()
    {
        const string list = "query($f: GrievanceFilter) { grievances(filter: $f, first: 100) { totalCount nodes { referenceNumber } } }";
        static IEnumerable<string> Refs(JsonNode page) => page["nodes"]!.AsArray().Select(n => n!["referenceNumber"]!.GetValue<string>());

        var byDepartment = (await world.SendAsync(list, new { f = new { departmentId = "rural-development" } }, LucknowPartner)).Get("grievances");
        Assert.Contains(world.Lucknow.ReferenceNumber, Refs(byDepartment));
        Assert.DoesNotContain(world.Agra.ReferenceNumber, Refs(byDepartment));

        var byAgra = await world.SendAsync(list, new { f = new { jurisdictionId = Places.Agra } }, LucknowPartner);
        if (byAgra.Errors is null)
        {
            Assert.Empty(Refs(byAgra.Get("grievances")));
            Assert.Equal(0, byAgra.Get("grievances.totalCount").GetValue<int>());
        }
        else
        {
            Assert.Equal("OUT_OF_SCOPE", byAgra.FirstCode); // refusing the filter outright is as good as an empty answer
        }

        var byOfficer = (await world.SendAsync(list, new { f = new { officerId = world.Agra.OfficerId } }, LucknowPartner)).Get("grievances");
        Assert.Empty(Refs(byOfficer));
        Assert.Equal(0, byOfficer["totalCount"]!.GetValue<int>());

        // Counts: the partner's total is the Lucknow total, not everyone's.
        var all = (await world.SendAsync(list, null, Auditor)).Get("grievances.totalCount").GetValue<int>();
        var lucknow = (await world.SendAsync(list, new { f = new { jurisdictionId = Places.Lucknow } }, Auditor)).Get("grievances.totalCount").GetValue<int>();
        var partners = (await world.SendAsync(list, null, LucknowPartner)).Get("grievances.totalCount").GetValue<int>();
        Assert.True(all > lucknow, $"all {all}, Lucknow {lucknow}");
        Assert.Equal(lucknow, partners);
    }

    [Fact]
    public async Task A_district_partner_does_not_see_another_district_in_an_officer_workload_or_alerts()
    {
        const string workload = "query($o: String!) { officer(id: $o) { workload { open } } }";
        int Open(AccessResponse r) => r.Get("officer.workload.open").GetValue<int>();

        Assert.Equal(0, Open(await world.SendAsync(workload, new { o = world.Agra.OfficerId }, LucknowPartner)));
        Assert.True(Open(await world.SendAsync(workload, new { o = world.Agra.OfficerId }, Auditor)) >= 1);
        Assert.True(Open(await world.SendAsync(workload, new { o = world.Lucknow.OfficerId }, LucknowPartner)) >= 1);

        // 7 calendar days: at risk at 75%, 5.25 days after T0. Both officers get an alert about their grievance.
        if (world.Clock.GetUtcNow() < AccessTestHost.T0.AddDays(5.3))
        {
            world.Clock.SetUtcNow(AccessTestHost.T0.AddDays(5.3));
        }

        const string alerts = "query($o: String!) { officer(id: $o) { alerts { kind referenceNumber } } }";
        static bool Has(AccessResponse r, string reference) => r.Get("officer.alerts").AsArray().Any(a => a!["referenceNumber"]!.GetValue<string>() == reference);
        await Wait.UntilAsync(() => world.SendAsync(alerts, new { o = world.Agra.OfficerId }, Auditor), r => Has(r, world.Agra.ReferenceNumber), "officer B's at-risk alert");
        await Wait.UntilAsync(() => world.SendAsync(alerts, new { o = world.Lucknow.OfficerId }, LucknowPartner), r => Has(r, world.Lucknow.ReferenceNumber), "officer A's at-risk alert, seen by the Lucknow partner");

        Assert.False(Has(await world.SendAsync(alerts, new { o = world.Agra.OfficerId }, LucknowPartner), world.Agra.ReferenceNumber));
        if (world.Agra.SupervisorOfficerId is { } agraSupervisor)
        {
            Assert.False(Has(await world.SendAsync(alerts, new { o = agraSupervisor }, LucknowPartner), world.Agra.ReferenceNumber));
        }
    }

    [Fact]
    public async Task An_officer_lists_and_counts_only_the_grievances_they_hold()
    {
        const string list = "{ grievances(first: 100) { totalCount nodes { referenceNumber officer { id } } } }";
        var page = (await world.SendAsync(list, bearer: world.Token(Role.Officer, world.Lucknow.OfficerId))).Get("grievances");
        var nodes = page["nodes"]!.AsArray();

        Assert.Contains(nodes, n => n!["referenceNumber"]!.GetValue<string>() == world.Lucknow.ReferenceNumber);
        Assert.DoesNotContain(nodes, n => n!["referenceNumber"]!.GetValue<string>() == world.Agra.ReferenceNumber);
        Assert.All(nodes, n => Assert.Equal(world.Lucknow.OfficerId, n!["officer"]!["id"]!.GetValue<string>()));
        Assert.Equal(nodes.Count, page["totalCount"]!.GetValue<int>());

        // Another officer's workload, asked by this officer, counts none of theirs.
        var theirs = await world.SendAsync("query($o: String!) { officer(id: $o) { workload { open } } }", new { o = world.Agra.OfficerId }, world.Token(Role.Officer, world.Lucknow.OfficerId));
        Assert.Equal(0, theirs.Get("officer.workload.open").GetValue<int>());
    }

    [Fact]
    public async Task An_agent_scoped_to_a_district_neither_sees_nor_registers_outside_it()
    {
        const string history = "query($m: String!) { callerHistory(mobile: $m) { totalCount nodes { referenceNumber } } }";
        var lucknowAgent = world.Token(Role.Agent, "scope-agent-lucknow", jurisdictions: [Places.Lucknow]);
        var anyAgent = world.Token(Role.Agent, "scope-agent-anywhere");

        Assert.Contains(
            (await world.SendAsync(history, new { m = "9415099945" }, anyAgent)).Get("callerHistory.nodes").AsArray(),
            n => n!["referenceNumber"]!.GetValue<string>() == world.Agra.ReferenceNumber);
        Assert.Equal(0, (await world.SendAsync(history, new { m = "9415099945" }, lucknowAgent)).Get("callerHistory.totalCount").GetValue<int>());
        Assert.Equal("UNKNOWN_GRIEVANCE", (await world.SendAsync(
            "query($r: String!) { grievance(referenceNumber: $r) { referenceNumber } }", new { r = world.Agra.ReferenceNumber }, lucknowAgent)).FirstCode);

        var before = (await world.SendAsync("{ grievances { totalCount } }", bearer: Auditor)).Get("grievances.totalCount").GetValue<int>();
        var outside = await world.SendAsync(
            "mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber } }",
            new
            {
                i = new
                {
                    clientRequestId = "scope-outside-" + Guid.NewGuid().ToString("N"),
                    kind = "COMPLAINT",
                    channel = "PHONE",
                    complainant = new { name = "Ram Prasad", mobile = "9415099945" },
                    jurisdictionId = Places.AgraBlock,
                    categoryId = "rd-pmayg-not-sanctioned",
                    description = "Registered by an agent of another district",
                },
            },
            lucknowAgent);
        Assert.Equal(("OUT_OF_SCOPE", "input.jurisdictionId"), (outside.FirstCode, outside.Errors![0]!["extensions"]!["field"]?.GetValue<string>()));
        Assert.Equal(before, (await world.SendAsync("{ grievances { totalCount } }", bearer: Auditor)).Get("grievances.totalCount").GetValue<int>());
    }
}
