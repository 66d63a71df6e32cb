using System.Text.Json.Nodes;
using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Tests.CallBacks;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// Returns end to end over HTTP against real PostgreSQL with the fake clock (2026-11-02 04:30 UTC): the L1 officer asks
/// (requestReturn), the L2 officer above the seat decides (decideReturn, with a supervisor's token); a special closure is
/// a disposal that the CallBacks module calls back and that can be reopened; a request lapses when the grievance
/// escalates on a breach. The category is rural development's, at the block, 7 days at L1.
/// </summary>
public sealed class ReturnTests : CallBackTest
{
    private const string Fields = """
        referenceNumber status level dueAt closedAt disposal officer { id } position { id supervisor { holder { id } } }
        pendingReturn { kind reason requestedBy requestedAt }
        timeline { sequence type actor note officerId level returnKind }
        """;

    private async Task<(string Reference, string L1, string L2, JsonNode Grievance)> OpenAsync()
    {
        var (reference, l1) = await RegisterAsync();
        var g = await FetchAsync(reference);
        return (reference, l1, g["position"]!["supervisor"]!["holder"]!["id"]!.GetValue<string>(), g);
    }

    private async Task<JsonNode> FetchAsync(string reference) =>
        (await Host.GraphQLAsync($"query($r: String!) {{ grievance(referenceNumber: $r) {{ {Fields} }} }}", new { r = reference })).Get("grievance");

    private Task<GraphQLResponse> RequestAsync(string reference, string officer, string kind, string reason) =>
        Host.GraphQLAsync(
            $"mutation($r: String!, $o: String!, $k: ReturnKind!, $why: String!) {{ requestReturn(referenceNumber: $r, officerId: $o, kind: $k, reason: $why) {{ {Fields} }} }}",
            new { r = reference, o = officer, k = kind, why = reason });

    private Task<GraphQLResponse> DecideAsync(string reference, string officer, bool approve, string reason, string? position = null, string? category = null) =>
        Host.GraphQLAsync(
            $"mutation($r: String!, $o: String!, $a: Boolean!, $why: String!, $p: String, $c: String) {{ decideReturn(referenceNumber: $r, officerId: $o, approve: $a, reason: $why, positionId: $p, categoryId: $c) {{ {Fields} }} }}",
            new { r = reference, o = officer, a = approve, why = reason, p = position, c = category });

    private static string[] Types(JsonNode g) => [.. g["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>())];

    private static JsonNode Last(JsonNode g, string type) => g["timeline"]!.AsArray().Last(e => e!["type"]!.GetValue<string>() == type)!;

    private static void Refused(GraphQLResponse r, string code, string field) => Assert.Equal((code, field), (r.FirstErrorCode, r.FirstErrorField));

    /// <summary>The grievance's events in the log (type, payload), oldest first.</summary>
    private async Task<IReadOnlyList<JsonNode>> EventsAsync(string reference)
    {
        await using var cmd = Sql.CreateCommand("select payload::text from events.event_log where stream = 'grievance' and stream_key = $1 order by stream_seq");
        cmd.Parameters.AddWithValue(reference);
        var list = new List<JsonNode>();
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            list.Add(JsonNode.Parse(reader.GetString(0))!);
        }

        return list;
    }

    [Fact]
    public async Task A_request_changes_nothing_but_the_timeline_and_a_refusal_leaves_it_with_the_L1_officer()
    {
        var (reference, l1, l2, before) = await OpenAsync();
        var due = before["dueAt"]!.GetValue<DateTimeOffset>();
        Host.Clock.Advance(TimeSpan.FromHours(1));
        var requestedAt = Host.Clock.GetUtcNow();

        var asked = (await RequestAsync(reference, l1, "PERSONAL_DISPUTE", "A boundary quarrel between neighbours")).Get("requestReturn");
        Assert.Equal(("OPEN", 1, l1, due), (asked["status"]!.GetValue<string>(), asked["level"]!.GetValue<int>(), asked["officer"]!["id"]!.GetValue<string>(), asked["dueAt"]!.GetValue<DateTimeOffset>()));
        var pending = asked["pendingReturn"]!;
        Assert.Equal(("PERSONAL_DISPUTE", "A boundary quarrel between neighbours", l1, requestedAt), (pending["kind"]!.GetValue<string>(), pending["reason"]!.GetValue<string>(), pending["requestedBy"]!.GetValue<string>(), pending["requestedAt"]!.GetValue<DateTimeOffset>()));
        Assert.Equal("PERSONAL_DISPUTE", Last(asked, "RETURN_REQUESTED")["returnKind"]!.GetValue<string>());

        // A retry creates nothing; a different request while one is pending is refused; the reason is required.
        Refused(await RequestAsync(reference, l1, "REPEAT", ""), "REQUIRED", "reason");
        var again = (await RequestAsync(reference, l1, "PERSONAL_DISPUTE", "A boundary quarrel between neighbours")).Get("requestReturn");
        Assert.Equal(Types(asked), Types(again));
        Refused(await RequestAsync(reference, l1, "REPEAT", "A repeat"), "RETURN_ALREADY_PENDING", "referenceNumber");

        // Only the officer of the seat above decides; a reason is required and bounded.
        Refused(await DecideAsync(reference, l1, false, "No"), "NOT_ASSIGNED_OFFICER", "officerId");
        Refused(await DecideAsync(reference, l2, false, "   "), "REQUIRED", "reason");
        Refused(await DecideAsync(reference, l2, false, new string('x', 4001)), "TOO_LONG", "reason");
        Refused(await DecideAsync(reference, l2, false, "No", position: "rural-development@" + Block), "INVALID_VALUE", "positionId");

        var refused = (await DecideAsync(reference, l2, false, "The plot is the scheme's: act on it")).Get("decideReturn");
        Assert.Equal(("OPEN", 1, l1, due), (refused["status"]!.GetValue<string>(), refused["level"]!.GetValue<int>(), refused["officer"]!["id"]!.GetValue<string>(), refused["dueAt"]!.GetValue<DateTimeOffset>()));
        Assert.Null(refused["pendingReturn"]);
        var e = Last(refused, "RETURN_REFUSED");
        Assert.Equal((l2, l1, "PERSONAL_DISPUTE"), (e["actor"]!.GetValue<string>(), e["officerId"]!.GetValue<string>(), e["returnKind"]!.GetValue<string>()));

        // A decision is made once: repeated, it is refused and changes nothing.
        Refused(await DecideAsync(reference, l2, false, "The plot is the scheme's: act on it"), "NO_PENDING_RETURN", "referenceNumber");
        Assert.Equal(Types(refused), Types(await FetchAsync(reference)));
    }

    [Fact]
    public async Task An_approved_not_pertaining_return_to_a_seat_lands_at_L1_there_after_the_approval_that_names_who_returned_it()
    {
        var (reference, l1, l2, _) = await OpenAsync();
        var blocks = (await Host.GraphQLAsync("{ jurisdiction(id: \"district:162\") { children { id kind } } }")).Get("jurisdiction.children").AsArray()
            .Where(c => c!["kind"]!.GetValue<string>() == "BLOCK").Select(c => c!["id"]!.GetValue<string>()).ToList();
        var seat = "rural-development@" + blocks.First(b => b != Block);
        await RequestAsync(reference, l1, "NOT_PERTAINING", "The village lies in the neighbouring block");
        Refused(await DecideAsync(reference, l2, true, "Agreed"), "REQUIRED", "positionId");
        Refused(await DecideAsync(reference, l2, true, "Agreed", position: seat, category: "pr-handpump-repair"), "INVALID_VALUE", "categoryId");

        Host.Clock.Advance(TimeSpan.FromDays(2));
        var now = Host.Clock.GetUtcNow();
        var moved = (await DecideAsync(reference, l2, true, "Agreed: the neighbouring block", position: seat)).Get("decideReturn");
        Assert.Equal((seat, 1, now.AddDays(7)), (moved["position"]!["id"]!.GetValue<string>(), moved["level"]!.GetValue<int>(), moved["dueAt"]!.GetValue<DateTimeOffset>()));
        Assert.NotEqual(l1, moved["officer"]!["id"]!.GetValue<string>());
        Assert.Equal(["RETURN_REQUESTED", "RETURN_APPROVED", "FORWARDED"], Types(moved)[^3..]);
        var approved = Last(moved, "RETURN_APPROVED");
        Assert.Equal((l2, l1, 1, "NOT_PERTAINING"), (approved["actor"]!.GetValue<string>(), approved["officerId"]!.GetValue<string>(), approved["level"]!.GetValue<int>(), approved["returnKind"]!.GetValue<string>()));
        Assert.Equal(l2, Last(moved, "FORWARDED")["actor"]!.GetValue<string>());

        // The integration events carry the kind, and the approval the returning seat and officer.
        var events = await Wait.UntilAsync(() => EventsAsync(reference), l => l.Count >= moved["timeline"]!.AsArray().Count, "the events");
        var ev = events.Single(x => x["type"]!.GetValue<string>() == "ReturnApproved");
        Assert.Equal((l1, "rural-development@" + Block, "NotPertaining"), (ev["officerId"]!.GetValue<string>(), ev["positionId"]!.GetValue<string>(), ev["returnKind"]!.GetValue<string>()));
        Assert.Equal("NotPertaining", events.Single(x => x["type"]!.GetValue<string>() == "ReturnRequested")["returnKind"]!.GetValue<string>());
        Assert.Null(events.Single(x => x["type"]!.GetValue<string>() == "Forwarded")["returnKind"]);
        Assert.Equal(seat, events.Single(x => x["type"]!.GetValue<string>() == "Forwarded")["positionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_approved_not_pertaining_return_to_a_category_is_rerouted_with_a_fresh_due_date()
    {
        var (reference, l1, l2, _) = await OpenAsync();
        await RequestAsync(reference, l1, "NOT_PERTAINING", "A village hand pump: the panchayat's");
        Host.Clock.Advance(TimeSpan.FromDays(3));
        var now = Host.Clock.GetUtcNow();
        var moved = (await DecideAsync(reference, l2, true, "Panchayati raj it is", category: "pr-handpump-repair")).Get("decideReturn");

        Assert.Equal(("panchayati-raj@" + Block, 1, now.AddDays(2)), (moved["position"]!["id"]!.GetValue<string>(), moved["level"]!.GetValue<int>(), moved["dueAt"]!.GetValue<DateTimeOffset>()));
        Assert.Equal(["RETURN_APPROVED", "RECATEGORISED", "RECOMPUTED"], Types(moved)[^3..]);
        Assert.Equal(l1, Last(moved, "RETURN_APPROVED")["officerId"]!.GetValue<string>());
        Assert.Equal(l2, Last(moved, "RECATEGORISED")["actor"]!.GetValue<string>());
        Assert.Equal(0, (await Host.GraphQLAsync("query($o: String!) { officer(id: $o) { workload { open } } }", new { o = l1 })).Get("officer.workload.open").GetValue<int>());
    }

    [Fact]
    public async Task An_approved_special_closure_is_a_disposal_with_a_call_back_the_workload_released_and_it_can_be_reopened()
    {
        var (reference, l1, l2, _) = await OpenAsync();
        const string workload = "query($o: String!) { officer(id: $o) { workload { open } } }";
        Assert.Equal(1, (await Host.GraphQLAsync(workload, new { o = l1 })).Get("officer.workload.open").GetValue<int>());
        await RequestAsync(reference, l1, "SUB_JUDICE", "Title suit 45/2026 pending in the civil court");
        Host.Clock.Advance(TimeSpan.FromHours(3));
        var now = Host.Clock.GetUtcNow();

        var closed = (await DecideAsync(reference, l2, true, "Checked the suit: sub judice")).Get("decideReturn");
        Assert.Equal(("SPECIALLY_CLOSED", now, "Specially closed (sub judice): Title suit 45/2026 pending in the civil court"), (closed["status"]!.GetValue<string>(), closed["closedAt"]!.GetValue<DateTimeOffset>(), closed["disposal"]!.GetValue<string>()));
        Assert.Equal(["RETURN_APPROVED", "SPECIALLY_CLOSED"], Types(closed)[^2..]);
        Assert.All(Types(closed)[^2..].Select(t => Last(closed, t)), e => Assert.Equal("SUB_JUDICE", e["returnKind"]!.GetValue<string>()));
        Assert.Equal(0, (await Host.GraphQLAsync(workload, new { o = l1 })).Get("officer.workload.open").GetValue<int>());
        Refused(await DecideAsync(reference, l2, true, "Checked the suit: sub judice"), "NO_PENDING_RETURN", "referenceNumber");

        // Counted as disposed everywhere: the lists' status filter, the public status, and a call-back for the complainant.
        var listed = await Host.GraphQLAsync("{ grievances(filter: { status: SPECIALLY_CLOSED }) { nodes { referenceNumber } } }");
        Assert.Contains(listed.Get("grievances.nodes").AsArray(), n => n!["referenceNumber"]!.GetValue<string>() == reference);
        var status = await Host.GraphQLAsync("query($r: String!) { grievanceStatus(referenceNumber: $r, mobileLastFour: \"2345\") { status } }", new { r = reference });
        Assert.Equal("SPECIALLY_CLOSED", status.Get("grievanceStatus.status").GetValue<string>());
        var callBack = await CallBackOfAsync(reference, count: 1);
        Assert.Equal("SpeciallyClosed", await Sql.ScalarAsync<string>($"select disposal_type from callbacks.call_back where id = '{callBack}'"));

        // Reopened one level up; the call-back for the special closure is cancelled.
        var reopened = (await Host.GraphQLAsync(
            "mutation($r: String!) { reopenGrievance(referenceNumber: $r, reason: \"The suit was withdrawn last week\") { status level officer { id } } }",
            new { r = reference })).Get("reopenGrievance");
        Assert.Equal(("OPEN", 2, l2), (reopened["status"]!.GetValue<string>(), reopened["level"]!.GetValue<int>(), reopened["officer"]!["id"]!.GetValue<string>()));
        await Wait.UntilAsync(() => CallBacksOfAsync(reference), l => l.Single().State == "cancelled", "the call-back cancelled");
    }

    [Fact]
    public async Task A_pending_request_lapses_when_the_due_date_escalates_it_and_a_late_decision_is_refused()
    {
        var (reference, l1, l2, before) = await OpenAsync();
        await RequestAsync(reference, l1, "REPEAT", "Same as the grievance registered last month");
        Host.Clock.SetUtcNow(before["dueAt"]!.GetValue<DateTimeOffset>().AddMinutes(1));

        var escalated = await Wait.UntilAsync(() => FetchAsync(reference), g => g["level"]!.GetValue<int>() == 2, "the escalation");
        Assert.Null(escalated["pendingReturn"]);
        Assert.EndsWith(GrievanceLifecycle.LapsedNote, Last(escalated, "ESCALATED")["note"]!.GetValue<string>(), StringComparison.Ordinal);
        var late = await DecideAsync(reference, l2, true, "A repeat indeed");
        Refused(late, "NO_PENDING_RETURN", "referenceNumber");
        Assert.Contains("lapsed", late.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // At L2 nobody may ask for a return any more.
        Refused(await RequestAsync(reference, l2, "REPEAT", "A repeat"), "RETURN_NOT_AT_LEVEL_ONE", "referenceNumber");
    }
}
