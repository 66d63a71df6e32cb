using System.Net;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// The service end to end over HTTP (GraphQL) against real PostgreSQL: register, route, breach and escalate,
/// resolve, bad input refused, restart with state intact. The SLA clock is a FakeTimeProvider.
/// </summary>
public sealed class GrievanceLifecycleTests : HostedTest
{
    private const string GrievanceFields = """
        referenceNumber status kind level dueAt breached breachedAtTop registeredAt closedAt disposal
        officer { id } position { id title supervisor { id } } category { id slaDays } department { id }
        complainant { name mobile }
        timeline { sequence type at actor note officerId level dueAt }
        """;

    private string _blockId = null!;
    private string _districtId = null!;
    private string _blockCategory = null!;
    private string _infoCategory = null!;
    private int _requests;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var cats = await Host.GraphQLAsync("{ categories { id resolutionLevel slaDays } }");
        var all = cats.Get("categories").AsArray();
        _blockCategory = all.First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        _infoCategory = all.First(c => c!["resolutionLevel"]!.GetValue<string>() == "DISTRICT")!["id"]!.GetValue<string>();
        var tree = await Host.GraphQLAsync("{ jurisdictions { children { children { id kind children { id kind } } } } }");
        var district = tree.Get("jurisdictions.0.children.0.children.0");
        _districtId = district["id"]!.GetValue<string>();
        _blockId = district["children"]!.AsArray().First(c => c!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
    }

    private object Input(string? clientRequestId = null, string kind = "COMPLAINT", string? category = null, string? jurisdiction = null,
        string mobile = "+91 98765 43210", string description = "Hand pump in the village has not worked for three weeks.") => new
    {
        clientRequestId = clientRequestId ?? $"call-{Interlocked.Increment(ref _requests)}-{Guid.NewGuid():N}",
        kind,
        complainant = new { name = "Ramesh Kumar", mobile },
        jurisdictionId = jurisdiction ?? _blockId,
        categoryId = category ?? _blockCategory,
        description,
        channel = "PHONE",
        agentId = "agent-17",
    };

    private Task<GraphQLResponse> Register(object input) => Host.GraphQLAsync(
        $"mutation($input: RegisterGrievanceInput!) {{ registerGrievance(input: $input) {{ {GrievanceFields} }} }}", new { input });

    private Task<GraphQLResponse> Fetch(string reference) => Host.GraphQLAsync(
        $"query($r: String!) {{ grievance(referenceNumber: $r) {{ {GrievanceFields} }} }}", new { r = reference });

    private async Task<long> CountRows()
    {
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from grievances.grievance", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Registering_routes_to_the_L1_seat_with_a_due_date_from_the_category_SLA()
    {
        var now = Host.Clock.GetUtcNow();
        var r = await Register(Input());
        var g = r.Get("registerGrievance");

        Assert.Equal(HttpStatusCode.OK, r.Status);
        var reference = g["referenceNumber"]!.GetValue<string>();
        Assert.Matches("^26[0-9]{10}$", reference);
        Assert.Equal("OPEN", g["status"]!.GetValue<string>());
        Assert.Equal(1, g["level"]!.GetValue<int>());
        Assert.Equal($"{g["department"]!["id"]!.GetValue<string>()}@{_blockId}", g["position"]!["id"]!.GetValue<string>());
        var l1Days = g["category"]!["slaDays"]![0]!.GetValue<int>();
        Assert.Equal(now.AddDays(l1Days), g["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("9876543210", g["complainant"]!["mobile"]!.GetValue<string>());
        Assert.Equal(["REGISTERED", "ROUTED"], g["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal("agent-17", g["timeline"]![0]!["actor"]!.GetValue<string>());

        var fetched = (await Fetch(reference[..4] + " " + reference[4..8] + "-" + reference[8..])).Get("grievance");
        Assert.Equal(reference, fetched["referenceNumber"]!.GetValue<string>());
        Assert.Equal(g["officer"]!["id"]!.GetValue<string>(), fetched["officer"]!["id"]!.GetValue<string>());

        var officer = await Host.GraphQLAsync("query($id: String!) { officer(id: $id) { workload { open overdue nextDueAt } } }", new { id = g["officer"]!["id"]!.GetValue<string>() });
        Assert.True(officer.Get("officer.workload.open").GetValue<int>() >= 1);
    }

    [Fact]
    public async Task A_retried_request_returns_the_same_grievance_and_a_reused_id_with_other_content_is_refused()
    {
        var id = "retry-" + Guid.NewGuid().ToString("N");
        var input = Input(clientRequestId: id);
        var first = (await Register(input)).Get("registerGrievance.referenceNumber").GetValue<string>();
        var before = await CountRows();
        var second = (await Register(input)).Get("registerGrievance.referenceNumber").GetValue<string>();
        Assert.Equal(first, second);
        Assert.Equal(before, await CountRows());

        var changed = await Register(Input(clientRequestId: id, description: "Something else entirely."));
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", changed.FirstErrorCode);
        Assert.Equal(before, await CountRows());
    }

    [Fact]
    public async Task A_passed_due_date_breaches_and_escalates_to_the_supervisor_exactly_once()
    {
        var g = (await Register(Input())).Get("registerGrievance");
        var reference = g["referenceNumber"]!.GetValue<string>();
        var due = g["dueAt"]!.GetValue<DateTimeOffset>();
        var supervisorSeat = g["position"]!["supervisor"]!["id"]!.GetValue<string>();

        Host.Clock.SetUtcNow(due.AddSeconds(1));
        var escalated = await Wait.UntilAsync(
            async () => (await Fetch(reference)).Get("grievance"),
            x => x["level"]!.GetValue<int>() == 2,
            "escalation to L2");

        Assert.True(escalated["breached"]!.GetValue<bool>());
        Assert.Equal(supervisorSeat, escalated["position"]!["id"]!.GetValue<string>());
        var l2Days = escalated["category"]!["slaDays"]![1]!.GetValue<int>();
        Assert.Equal(due.AddDays(l2Days), escalated["dueAt"]!.GetValue<DateTimeOffset>()); // the L2 clock starts at the L1 due instant
        var types = escalated["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        // The at-risk warning (75% of the allowance) fires first: the clock jumped past both instants at once.
        Assert.Equal(["REGISTERED", "ROUTED", "AT_RISK", "BREACHED", "ESCALATED"], types);

        // The old officer no longer holds it; the supervisor does.
        var supervisorOfficer = escalated["officer"]!["id"]!.GetValue<string>();
        var list = await Host.GraphQLAsync(
            "query($o: String!) { grievances(filter: { officerId: $o }) { nodes { referenceNumber level } } }", new { o = supervisorOfficer });
        Assert.Contains(list.Get("grievances.nodes").AsArray(), n => n!["referenceNumber"]!.GetValue<string>() == reference);

        // Moving the clock a little further does not breach again (the new due date is days away).
        Host.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = (await Fetch(reference)).Get("grievance");
        Assert.Equal(5, again["timeline"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_resolve_at_exactly_the_due_instant_is_on_time_and_one_microsecond_later_the_supervisor_holds_it()
    {
        var first = (await Register(Input())).Get("registerGrievance");
        var due = first["dueAt"]!.GetValue<DateTimeOffset>();
        var officer = first["officer"]!["id"]!.GetValue<string>();
        var second = (await Register(Input())).Get("registerGrievance");
        Assert.Equal(due, second["dueAt"]!.GetValue<DateTimeOffset>()); // same fake instant, same category: same due instant

        // Rule 1: at the due instant itself nothing has passed: not overdue, and the L1 officer's resolve succeeds.
        Host.Clock.SetUtcNow(due);
        var atDue = await Host.GraphQLAsync(
            "query($r: String!) { grievance(referenceNumber: $r) { overdue breached } }", new { r = first["referenceNumber"]!.GetValue<string>() });
        Assert.Equal((false, false), (atDue.Get("grievance.overdue").GetValue<bool>(), atDue.Get("grievance.breached").GetValue<bool>()));
        var resolved = await Host.GraphQLAsync(
            "mutation($r: String!, $o: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: \"Done\") { status breached } }",
            new { r = first["referenceNumber"]!.GetValue<string>(), o = officer });
        Assert.Equal(("RESOLVED", false), (resolved.Get("resolveGrievance.status").GetValue<string>(), resolved.Get("resolveGrievance.breached").GetValue<bool>()));

        // One microsecond after it the instant has passed: the supervisor holds it, breached at the due instant itself,
        // whether or not the timer has fired yet, and the L1 officer's resolve is refused: as out of their token's reach
        // (UNKNOWN_GRIEVANCE) when the escalation is already stored, or by the grain, which escalates first and then
        // finds the supervisor holding it (NOT_ASSIGNED_OFFICER), when the timer has not fired yet.
        Host.Clock.SetUtcNow(due.AddTicks(10));
        var late = await Host.GraphQLAsync(
            "mutation($r: String!, $o: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: \"Done\") { status } }",
            new { r = second["referenceNumber"]!.GetValue<string>(), o = officer });
        Assert.Contains(late.FirstErrorCode ?? "(no error)", (string[])["UNKNOWN_GRIEVANCE", "NOT_ASSIGNED_OFFICER"]);
        var breached = (await Fetch(second["referenceNumber"]!.GetValue<string>())).Get("grievance");
        Assert.True(breached["breached"]!.GetValue<bool>());
        Assert.Contains(breached["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "BREACHED" && e["at"]!.GetValue<DateTimeOffset>() == due);
    }

    [Fact]
    public async Task Escalation_climbs_to_L4_and_then_stays_there_marked_breached_at_top()
    {
        var reference = (await Register(Input())).Get("registerGrievance.referenceNumber").GetValue<string>();
        for (var level = 2; level <= 4; level++)
        {
            var due = (await Fetch(reference)).Get("grievance.dueAt").GetValue<DateTimeOffset>();
            Host.Clock.SetUtcNow(due.AddSeconds(1));
            var expected = level;
            await Wait.UntilAsync(async () => (await Fetch(reference)).Get("grievance"), x => x["level"]!.GetValue<int>() == expected, $"L{level}");
        }

        var lastDue = (await Fetch(reference)).Get("grievance.dueAt").GetValue<DateTimeOffset>();
        Host.Clock.SetUtcNow(lastDue.AddSeconds(1));
        var top = await Wait.UntilAsync(
            async () => (await Fetch(reference)).Get("grievance"), x => x["breachedAtTop"]!.GetValue<bool>(), "breach at the top");
        Assert.Equal(4, top["level"]!.GetValue<int>());
        Assert.Equal(1, top["timeline"]!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "BREACHED_AT_TOP"));

        var overdue = await Host.GraphQLAsync(
            "query($j: String!) { grievances(filter: { jurisdictionId: $j, overdue: true }) { totalCount nodes { referenceNumber } } }", new { j = _districtId });
        Assert.Contains(overdue.Get("grievances.nodes").AsArray(), n => n!["referenceNumber"]!.GetValue<string>() == reference);
    }

    [Fact]
    public async Task Only_the_holding_officer_resolves_and_a_closed_grievance_cannot_be_resolved_again()
    {
        var g = (await Register(Input())).Get("registerGrievance");
        var reference = g["referenceNumber"]!.GetValue<string>();
        var officer = g["officer"]!["id"]!.GetValue<string>();
        const string resolve = "mutation($r: String!, $o: String!, $a: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: $a) { status closedAt disposal timeline { type actor note } } }";

        // An officer token reaches only the grievances its officer holds: anyone else, on the roster or not, is refused
        // as for a grievance they cannot see (a supervisor acts for the holder with a supervisor's token: Access tests).
        var unknown = await Host.GraphQLAsync(resolve, new { r = reference, o = "OFF-999999", a = "Repaired." });
        Assert.Equal(("UNKNOWN_GRIEVANCE", "referenceNumber"), (unknown.FirstErrorCode, unknown.FirstErrorField));

        var supervisor = (await Fetch(reference)).Get("grievance.position.supervisor.id").GetValue<string>();
        var supervisorOfficer = (await Host.GraphQLAsync("query($p: String!) { position(id: $p) { holder { id } } }", new { p = supervisor })).Get("position.holder.id").GetValue<string>();
        var wrong = await Host.GraphQLAsync(resolve, new { r = reference, o = supervisorOfficer, a = "Repaired." });
        Assert.Equal(("UNKNOWN_GRIEVANCE", "referenceNumber"), (wrong.FirstErrorCode, wrong.FirstErrorField));
        Assert.Equal("OPEN", (await Fetch(reference)).Get("grievance.status").GetValue<string>());

        var done = (await Host.GraphQLAsync(resolve, new { r = reference, o = officer, a = "Hand pump repaired on site by the JE." })).Get("resolveGrievance");
        Assert.Equal("RESOLVED", done["status"]!.GetValue<string>());
        Assert.Equal(Host.Clock.GetUtcNow(), done["closedAt"]!.GetValue<DateTimeOffset>());
        var last = done["timeline"]!.AsArray()[^1]!;
        Assert.Equal(("RESOLVED", officer), (last["type"]!.GetValue<string>(), last["actor"]!.GetValue<string>()));

        var again = await Host.GraphQLAsync(resolve, new { r = reference, o = officer, a = "Again." });
        Assert.Equal("INVALID_STATE_TRANSITION", again.FirstErrorCode);

        var workload = await Host.GraphQLAsync("query($id: String!) { officer(id: $id) { workload { open } } }", new { id = officer });
        var list = await Host.GraphQLAsync("query($o: String!) { grievances(filter: { officerId: $o, status: OPEN }) { totalCount } }", new { o = officer });
        Assert.Equal(list.Get("grievances.totalCount").GetValue<int>(), workload.Get("officer.workload.open").GetValue<int>());
    }

    [Fact]
    public async Task Officers_reject_with_a_reason_and_agents_dispose_of_information_requests_on_the_call()
    {
        var complaint = (await Register(Input())).Get("registerGrievance");
        var rejected = (await Host.GraphQLAsync(
            "mutation($r: String!, $o: String!) { rejectGrievance(referenceNumber: $r, officerId: $o, reason: \"Private dispute, not a public grievance.\") { status disposal } }",
            new { r = complaint["referenceNumber"]!.GetValue<string>(), o = complaint["officer"]!["id"]!.GetValue<string>() })).Get("rejectGrievance");
        Assert.Equal("REJECTED", rejected["status"]!.GetValue<string>());

        const string dispose = "mutation($r: String!) { disposeInformationRequest(referenceNumber: $r, agentId: \"agent-17\", answer: \"Camp dates are on the district website.\") { status } }";
        var notInfo = await Host.GraphQLAsync(dispose, new { r = (await Register(Input())).Get("registerGrievance.referenceNumber").GetValue<string>() });
        Assert.Equal("INVALID_STATE_TRANSITION", notInfo.FirstErrorCode);

        var info = (await Register(Input(kind: "INFORMATION", category: _infoCategory, jurisdiction: _districtId))).Get("registerGrievance.referenceNumber").GetValue<string>();
        var disposed = (await Host.GraphQLAsync(dispose, new { r = info })).Get("disposeInformationRequest");
        Assert.Equal("DISPOSED_ON_CALL", disposed["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("mobile", "12345", "INVALID_MOBILE", "input.complainant.mobile")]
    [InlineData("mobile", "+1 555 123 4567", "INVALID_MOBILE", "input.complainant.mobile")]
    [InlineData("category", "no-such-category", "UNKNOWN_CATEGORY", "input.categoryId")]
    [InlineData("jurisdiction", "block:0", "UNKNOWN_JURISDICTION", "input.jurisdictionId")]
    [InlineData("description", "   ", "REQUIRED", "input.description")]
    [InlineData("description", "LONG", "TOO_LONG", "input.description")]
    [InlineData("clientRequestId", "has spaces in it", "INVALID_VALUE", "input.clientRequestId")]
    public async Task Bad_input_is_refused_with_a_code_and_field_and_nothing_is_stored(string field, string value, string code, string path)
    {
        var before = await CountRows();
        var input = field switch
        {
            "mobile" => Input(mobile: value),
            "category" => Input(category: value),
            "jurisdiction" => Input(jurisdiction: value),
            "description" => Input(description: value == "LONG" ? new string('x', 4001) : value),
            _ => Input(clientRequestId: value),
        };

        var r = await Register(input);
        Assert.Equal(code, r.FirstErrorCode);
        Assert.Equal(path, r.FirstErrorField);
        Assert.False(string.IsNullOrWhiteSpace(r.Errors![0]!["message"]!.GetValue<string>()));
        Assert.Equal(before, await CountRows());
    }

    [Fact]
    public async Task Names_and_descriptions_typed_decomposed_are_stored_composed_NFC()
    {
        // "e" + combining acute, and Devanagari NA + nukta: stored as the precomposed é and U+0929 (NFC).
        var input = new
        {
            clientRequestId = "nfc-1",
            kind = "COMPLAINT",
            complainant = new { name = "Ame\u0301lie \u0928\u093c", mobile = "9415012345" },
            jurisdictionId = _blockId,
            categoryId = _blockCategory,
            description = "Cafe\u0301 road",
            channel = "PHONE",
            agentId = "agent-17",
        };
        var reference = (await Register(input)).Get("registerGrievance.referenceNumber").GetValue<string>();

        Assert.Equal("Am\u00e9lie \u0929", (await Fetch(reference)).Get("grievance.complainant.name").GetValue<string>());
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("select complainant_name || '|' || description from grievances.grievance where reference_number = $1", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = reference });
        Assert.Equal("Am\u00e9lie \u0929|Caf\u00e9 road", (string)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);

        // The same request typed composed is the same request (a retry), not a reused id.
        var again = await Register(input with { complainant = new { name = "Am\u00e9lie \u0929", mobile = "9415012345" }, description = "Caf\u00e9 road" });
        Assert.Equal(reference, again.Get("registerGrievance.referenceNumber").GetValue<string>());
    }

    [Theory]
    [InlineData("123456789012")]
    [InlineData("abc")]
    [InlineData("2600 0000 0001 5")]
    public async Task Malformed_reference_numbers_are_refused(string reference)
    {
        var r = await Fetch(reference);
        Assert.Equal("INVALID_REFERENCE_NUMBER", r.FirstErrorCode);
        Assert.Equal("referenceNumber", r.FirstErrorField);
    }

    [Fact]
    public async Task A_huge_malformed_reference_number_is_refused_with_a_short_message()
    {
        var r = await Fetch(new string('9', 10_000));
        Assert.Equal("INVALID_REFERENCE_NUMBER", r.FirstErrorCode);
        var message = r.Errors![0]!["message"]!.GetValue<string>();
        Assert.StartsWith("'999999999999999999999999…' (10,000 characters) is not a Helpline reference number", message, StringComparison.Ordinal);
        Assert.True(message.Length < 200, message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_well_formed_but_unknown_reference_number_is_refused()
    {
        var body = "26999999999";
        var reference = Enumerable.Range(0, 10).Select(d => body + d).Single(ValidVerhoeff);
        var r = await Fetch(reference);
        Assert.Equal("UNKNOWN_GRIEVANCE", r.FirstErrorCode);
    }

    [Fact]
    public async Task Lists_filter_by_jurisdiction_subtree_and_paginate_with_cursors()
    {
        var refs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            Host.Clock.Advance(TimeSpan.FromSeconds(1));
            refs.Add((await Register(Input())).Get("registerGrievance.referenceNumber").GetValue<string>());
        }

        const string q = "query($j: String!, $after: String) { grievances(filter: { jurisdictionId: $j }, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { referenceNumber jurisdictionId } } }";
        var page1 = await Host.GraphQLAsync(q, new { j = _districtId, after = (string?)null });
        Assert.True(page1.Get("grievances.pageInfo.hasNextPage").GetValue<bool>());
        Assert.True(page1.Get("grievances.totalCount").GetValue<int>() >= 3);
        var cursor = page1.Get("grievances.pageInfo.endCursor").GetValue<string>();
        var page2 = await Host.GraphQLAsync(q, new { j = _districtId, after = cursor });
        var seen = page1.Get("grievances.nodes").AsArray().Concat(page2.Get("grievances.nodes").AsArray())
            .Select(n => n!["referenceNumber"]!.GetValue<string>()).ToList();
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(refs[2], seen[0]);
        Assert.Equal(refs[1], seen[1]);

        var bad = await Host.GraphQLAsync(q, new { j = _districtId, after = "not-a-cursor" });
        Assert.Equal("INVALID_VALUE", bad.FirstErrorCode);
    }

    [Fact]
    public async Task After_a_restart_state_is_intact_and_a_due_date_that_passed_while_down_is_acted_on_once()
    {
        var g = (await Register(Input())).Get("registerGrievance");
        var reference = g["referenceNumber"]!.GetValue<string>();
        var due = g["dueAt"]!.GetValue<DateTimeOffset>();

        await Host.StopAsync();
        Host.Clock.SetUtcNow(due.AddHours(3));
        await Host.StartAsync();

        var after = await Wait.UntilAsync(
            async () => (await Fetch(reference)).Get("grievance"), x => x["level"]!.GetValue<int>() == 2, "escalation after restart");
        Assert.Equal(reference, after["referenceNumber"]!.GetValue<string>());
        Assert.Equal("Ramesh Kumar", after["complainant"]!["name"]!.GetValue<string>());
        Assert.Equal(1, after["timeline"]!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "ESCALATED"));
    }

    private static bool ValidVerhoeff(string digits)
    {
        int[,] d = { { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 }, { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 }, { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 }, { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 }, { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 }, { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 }, { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 } };
        int[,] p = { { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 }, { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 }, { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 }, { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 }, { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 } };
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            c = d[c, p[i % 8, digits[^(i + 1)] - '0']];
        }

        return c == 0;
    }
}
