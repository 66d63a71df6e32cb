using System.Text.Json.Nodes;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Grievances.Desk;

/// <summary>Possible duplicates of the call on the line, and linking the call to one, over GraphQL against real PostgreSQL.</summary>
public sealed class DuplicatesAndLinkTests : DeskTestBase
{
    private const string Duplicates =
        "query($m: String, $c: String, $j: String) { possibleDuplicates(mobile: $m, categoryId: $c, jurisdictionId: $j) { reason grievance { referenceNumber status } } }";

    private const string Link = "mutation($i: LinkCallInput!) { linkCall(input: $i) { referenceNumber status timeline { type actor note } } }";

    private static string Reference(JsonNode g) => g["referenceNumber"]!.GetValue<string>();

    private async Task<List<(string Reason, string Reference)>> DuplicatesAsync(string bearer, string? mobile = Mobile, string? category = Category, string? place = Block) =>
        [.. (await Host.GraphQLAsync(Duplicates, new { m = mobile, c = category, j = place }, bearer)).Get("possibleDuplicates").AsArray()
            .Select(d => (d!["reason"]!.GetValue<string>(), d["grievance"]!["referenceNumber"]!.GetValue<string>()))];

    private async Task<JsonNode> ResolveAsync(JsonNode g) =>
        (await Host.GraphQLAsync(
            "mutation($r: String!, $o: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: \"House sanctioned.\") { status } }",
            new { r = Reference(g), o = g["officer"]!["id"]!.GetValue<string>() })).Get("resolveGrievance");

    [Fact]
    public async Task The_callers_own_then_the_same_place_and_category_open_ones_are_shown_each_newest_first_within_scope()
    {
        var own = await RegisteredAsync();                              // the caller's, here: both reasons hold
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var neighbour = await RegisteredAsync(mobile: "9415000001");    // same place and category, another caller
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var elsewhere = await RegisteredAsync(place: AgraBlock);        // the caller's, in Agra
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var closed = await RegisteredAsync(mobile: "9415000002");       // same place and category, then resolved
        Assert.Equal("RESOLVED", (await ResolveAsync(closed))["status"]!.GetValue<string>());
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        await RegisteredAsync(mobile: "9415000003", place: AgraBlock);  // neither

        Assert.Equal(
            [("SAME_CALLER", Reference(elsewhere)), ("SAME_CALLER", Reference(own)), ("SAME_PLACE_AND_CATEGORY", Reference(neighbour))],
            await DuplicatesAsync(Agent));
        Assert.Equal([("SAME_CALLER", Reference(elsewhere)), ("SAME_CALLER", Reference(own))], await DuplicatesAsync(Agent, category: null, place: null));
        Assert.Equal([("SAME_PLACE_AND_CATEGORY", Reference(neighbour)), ("SAME_PLACE_AND_CATEGORY", Reference(own))], await DuplicatesAsync(Agent, mobile: null));
        Assert.Equal([("SAME_PLACE_AND_CATEGORY", Reference(neighbour)), ("SAME_PLACE_AND_CATEGORY", Reference(own))], await DuplicatesAsync(Agent, mobile: " "));

        // An agent's scope limits the hints like every other list.
        var lucknow = TestTokens.Mint(Role.Agent, "agent-lucknow", jurisdictions: ["district:162"]);
        Assert.Equal([("SAME_CALLER", Reference(own)), ("SAME_PLACE_AND_CATEGORY", Reference(neighbour))], await DuplicatesAsync(lucknow));
        var agra = TestTokens.Mint(Role.Agent, "agent-agra", jurisdictions: ["district:118"]);
        Assert.Equal([("SAME_CALLER", Reference(elsewhere))], await DuplicatesAsync(agra));

        // Only agents ask; unknown ids are named.
        Assert.Equal("FORBIDDEN", (await Host.GraphQLAsync(Duplicates, new { m = Mobile }, TestTokens.Mint(Role.Auditor, "auditor-desk"))).FirstErrorCode);
        // The list is capped, not paged: too many is refused without pointing to an 'after' it does not have.
        var tooMany = await Host.GraphQLAsync("{ possibleDuplicates(mobile: \"9415012345\", first: 51) { reason } }", null, Agent);
        Assert.Equal(("PAGE_TOO_LARGE", "possibleDuplicates.first"), (tooMany.FirstErrorCode, tooMany.FirstErrorField));
        Assert.EndsWith("the largest page of possibleDuplicates is 50. Ask for at most 50.", tooMany.Body["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var unknown = await Host.GraphQLAsync(Duplicates, new { c = "no-such-category", j = Block }, Agent);
        Assert.Equal(("UNKNOWN_CATEGORY", "categoryId"), (unknown.FirstErrorCode, unknown.FirstErrorField));
    }

    // Asked with too little to match on, the answer is an error naming what is missing, never an empty list that
    // reads as "no duplicates"; a mobile alone is enough. A blank value (a form's empty box) is no value.
    [Theory]
    [InlineData(Category, null, "jurisdictionId", null)]
    [InlineData(null, Block, "categoryId", null)]
    [InlineData(null, null, "mobile", null)]
    [InlineData(Category, null, "jurisdictionId", "")]
    [InlineData(null, null, "mobile", "  ")]
    [InlineData("", "", "mobile", "")]
    [InlineData(" ", Block, "categoryId", null)]
    public async Task Possible_duplicates_asked_with_too_little_name_the_missing_field(string? category, string? place, string missing, string? mobile)
    {
        var answer = await Host.GraphQLAsync(Duplicates, new { m = mobile, c = category, j = place }, Agent);
        Assert.Equal(("INVALID_VALUE", missing), (answer.FirstErrorCode, answer.FirstErrorField));
        Assert.Empty(await DuplicatesAsync(Agent, mobile: "9415099999", category: category, place: place));
    }

    [Fact]
    public async Task Linking_a_call_puts_one_event_on_the_timeline_and_is_refused_for_a_closed_grievance_and_a_non_agent()
    {
        var g = await RegisteredAsync();
        var input = new { clientRequestId = "link-1", referenceNumber = Reference(g), mobile = "+91 98765 43210", note = "Same house; the caller is her son." };

        var linked = (await Host.GraphQLAsync(Link, new { i = input }, Agent)).Get("linkCall");
        var last = linked["timeline"]!.AsArray()[^1]!;
        Assert.Equal(("CALL_LINKED", "agent-desk"), (last["type"]!.GetValue<string>(), last["actor"]!.GetValue<string>()));
        Assert.Equal("Call from 98XXXXXX10 linked to this grievance. Same house; the caller is her son.", last["note"]!.GetValue<string>());

        // The same request again links nothing more.
        var again = (await Host.GraphQLAsync(Link, new { i = input }, Agent)).Get("linkCall");
        Assert.Single(again["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "CALL_LINKED");

        // On the grievance's timeline as anyone reads it, and in the event log like every timeline event.
        var read = (await Host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { timeline { type } } }", new { r = Reference(g) })).Get("grievance.timeline");
        Assert.Single(read.AsArray(), e => e!["type"]!.GetValue<string>() == "CALL_LINKED");
        await Wait.UntilAsync(
            () => ScalarAsync("select count(*) from events.event_log where stream = 'grievance' and stream_key = $1 and type = 'CallLinked'", Reference(g)),
            n => n == 1,
            "the CALL_LINKED event in the event log");

        var officer = DefaultCallers.TokenOf(Role.Officer, g["officer"]!["id"]!.GetValue<string>());
        Assert.Equal("FORBIDDEN", (await Host.GraphQLAsync(Link, new { i = input with { clientRequestId = "link-2" } }, officer)).FirstErrorCode);

        await ResolveAsync(g);
        var refused = await Host.GraphQLAsync(Link, new { i = input with { clientRequestId = "link-3" } }, Agent);
        Assert.Equal(("INVALID_STATE_TRANSITION", "input.referenceNumber"), (refused.FirstErrorCode, refused.FirstErrorField));
        Assert.Contains("is RESOLVED", refused.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // A retry of the first link, after the grievance was resolved, still answers as the first did.
        Assert.Equal("RESOLVED", (await Host.GraphQLAsync(Link, new { i = input }, Agent)).Get("linkCall.status").GetValue<string>());
    }
}
