using System.Text.Json.Nodes;
using Helpline.Catalogue;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Catalogue;

/// <summary>
/// Categories changed live through GraphQL with the real host and PostgreSQL: effective instants on the host's fake
/// clock (2026-11-02 04:30 UTC), what registrations before and after a change get, the recorded history, retirement.
/// </summary>
public sealed class CategoryAdministrationTests : HostedTest
{
    internal const string Block = "block:1330";
    internal const string ChangeFields = "id categoryId kind effectiveAt recordedAt who reason before { name nameHindi keywords departmentId resolutionLevel retired replacedBy } after { id name nameHindi keywords departmentId resolutionLevel slaDays source retired replacedBy }";
    private const string Pmayg = "rd-pmayg-not-sanctioned"; // rural development, at the block

    private int _requests;

    private DateTimeOffset Now => Host.Clock.GetUtcNow();

    internal static object AddInput(string id = "rd-handpump-broken", string department = "rural-development", string level = "BLOCK", DateTimeOffset? effectiveAt = null, string name = "Hand pump not repaired") => new
    {
        id,
        name,
        nameHindi = "हैंडपंप की मरम्मत नहीं हुई",
        departmentId = department,
        resolutionLevel = level,
        slaDays = new[] { 5, 6, 7, 8 },
        keywords = new[] { "handpump", "हैंडपंप" },
        effectiveAt = effectiveAt?.ToString("O"),
        reason = "Many calls about hand pumps",
    };

    internal static Task<GraphQLResponse> Add(HelplineTestHost host, object input) => host.GraphQLAsync(
        $"mutation($i: AddCategoryInput!) {{ addCategory(input: $i) {{ {ChangeFields} }} }}", new { i = input });

    internal static Task<GraphQLResponse> Change(HelplineTestHost host, string mutation, object input) => host.GraphQLAsync(
        $"mutation($i: {char.ToUpperInvariant(mutation[0])}{mutation[1..]}CategoryInput!) {{ {mutation}Category(input: $i) {{ {ChangeFields} }} }}", new { i = input });

    internal static async Task<JsonArray> History(HelplineTestHost host, string? categoryId) =>
        (await host.GraphQLAsync($"query($c: String) {{ categoryChanges(categoryId: $c, first: 50) {{ {ChangeFields} }} }}", new { c = categoryId }))
        .Get("categoryChanges").AsArray();

    private Task<GraphQLResponse> Register(string categoryId, string? clientRequestId = null) => Host.GraphQLAsync(
        "mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber department { id } position { id } officer { id } category { id name } } }",
        new
        {
            i = new
            {
                clientRequestId = clientRequestId ?? $"cat-{Interlocked.Increment(ref _requests)}",
                kind = "COMPLAINT",
                channel = "PHONE",
                complainant = new { name = "Ramesh Kumar", mobile = "9876543210" },
                jurisdictionId = Block,
                categoryId,
                description = "Hand pump in the village has not worked for three weeks.",
            },
        });

    private async Task<bool> Listed(string categoryId) =>
        (await Host.GraphQLAsync("{ categories { id } }")).Get("categories").AsArray().Any(c => c!["id"]!.GetValue<string>() == categoryId);

    [Fact]
    public async Task An_added_category_is_listed_searchable_routed_and_recorded()
    {
        var added = (await Add(Host, AddInput())).Get("addCategory");

        Assert.Equal("ADD", added["kind"]!.GetValue<string>());
        Assert.Equal(DefaultCallers.Administrator, added["who"]!.GetValue<string>());
        Assert.Equal(Now, added["effectiveAt"]!.GetValue<DateTimeOffset>());
        Assert.Null(added["before"]);
        Assert.Equal("admin", added["after"]!["source"]!.GetValue<string>());
        foreach (var search in new[] { "PUMP NOT REPAIRED", "हैंडपंप", "HANDP" })
        {
            var found = (await Host.GraphQLAsync("query($s: String) { categories(search: $s) { id nameHindi keywords } }", new { s = search })).Get("categories").AsArray();
            // The shipped village hand pump category (pr-handpump-repair) has the same Hindi word in its name.
            Assert.Equal(search == "हैंडपंप" ? 2 : 1, found.Count);
            var only = Assert.Single(found, c => c!["id"]!.GetValue<string>() == "rd-handpump-broken");
            Assert.Equal("rd-handpump-broken", only!["id"]!.GetValue<string>());
            Assert.Equal(["handpump", "हैंडपंप"], only["keywords"]!.AsArray().Select(k => k!.GetValue<string>()));
        }

        var g = (await Register("rd-handpump-broken")).Get("registerGrievance");
        Assert.Equal("rural-development@" + Block, g["position"]!["id"]!.GetValue<string>());
        var history = await History(Host, "rd-handpump-broken");
        Assert.Equal(added["id"]!.GetValue<string>(), Assert.Single(history)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_category_added_for_later_is_unknown_until_its_instant()
    {
        (await Add(Host, AddInput(effectiveAt: Now.AddHours(2)))).Get("addCategory");

        var early = await Register("rd-handpump-broken");
        Assert.Equal("UNKNOWN_CATEGORY", early.FirstErrorCode);
        Assert.Equal("input.categoryId", early.FirstErrorField);
        Assert.False(await Listed("rd-handpump-broken"));

        Host.Clock.Advance(TimeSpan.FromHours(2));

        Assert.True(await Listed("rd-handpump-broken"));
        Assert.Equal("rural-development@" + Block, (await Register("rd-handpump-broken")).Get("registerGrievance.position.id").GetValue<string>());
    }

    [Fact]
    public async Task A_remap_applies_to_registrations_from_its_instant_and_earlier_grievances_keep_their_routing()
    {
        var at = Now.AddHours(3);
        var remap = (await Change(Host, "remap", new { categoryId = Pmayg, departmentId = "panchayati-raj", effectiveAt = at.ToString("O"), reason = "Gram panchayats own it" }))
            .Get("remapCategory");
        Assert.Equal("rural-development", remap["before"]!["departmentId"]!.GetValue<string>());
        Assert.Equal("panchayati-raj", remap["after"]!["departmentId"]!.GetValue<string>());
        Assert.Equal("BLOCK", remap["after"]!["resolutionLevel"]!.GetValue<string>());

        var before = (await Register(Pmayg)).Get("registerGrievance");
        Assert.Equal("rural-development", before["department"]!["id"]!.GetValue<string>());
        Assert.Equal("rural-development@" + Block, before["position"]!["id"]!.GetValue<string>());

        Host.Clock.Advance(TimeSpan.FromHours(3));

        var after = (await Register(Pmayg)).Get("registerGrievance");
        Assert.Equal("panchayati-raj", after["department"]!["id"]!.GetValue<string>());
        Assert.Equal("panchayati-raj@" + Block, after["position"]!["id"]!.GetValue<string>());
        var kept = (await Host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { department { id } position { id } } }",
            new { r = before["referenceNumber"]!.GetValue<string>() })).Get("grievance");
        Assert.Equal("rural-development@" + Block, kept["position"]!["id"]!.GetValue<string>());
        Assert.Equal("rural-development", kept["department"]!["id"]!.GetValue<string>());

        // It can still be forwarded within the department it was routed to, the remap notwithstanding.
        var seat = (await Host.GraphQLAsync("{ position(id: \"rural-development@block:1330\") { supervisor { id } } }")).Get("position.supervisor.id").GetValue<string>();
        var forwarded = (await Host.GraphQLAsync(
            "mutation($r: String!, $o: String!, $p: String!) { forwardGrievance(referenceNumber: $r, officerId: $o, positionId: $p, reason: \"Needs the district's sanction\") { department { id } position { id } } }",
            new { r = before["referenceNumber"]!.GetValue<string>(), o = before["officer"]!["id"]!.GetValue<string>(), p = seat })).Get("forwardGrievance");
        Assert.Equal(seat, forwarded["position"]!["id"]!.GetValue<string>());
        Assert.Equal("rural-development", forwarded["department"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_change_sent_again_after_its_effective_instant_answers_the_change_recorded_and_instants_stay_within_2099()
    {
        var at = Now.AddMinutes(5);
        var first = (await Add(Host, AddInput(effectiveAt: at))).Get("addCategory");
        Host.Clock.Advance(TimeSpan.FromHours(1));
        var again = (await Add(Host, AddInput(effectiveAt: at))).Get("addCategory");
        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Single(await History(Host, "rd-handpump-broken"));

        var late = await Add(Host, AddInput(id: "rd-far-future", effectiveAt: new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("INVALID_VALUE", late.FirstErrorCode);
        Assert.Equal("input.effectiveAt", late.FirstErrorField);
        var past = await Add(Host, AddInput(id: "rd-back-dated", effectiveAt: Now.AddMinutes(-2)));
        Assert.Equal("input.effectiveAt", past.FirstErrorField);
        Assert.Empty(await History(Host, "rd-far-future"));
    }

    [Fact]
    public async Task A_remap_to_another_level_routes_to_that_level()
    {
        (await Change(Host, "remap", new { categoryId = Pmayg, resolutionLevel = "DISTRICT" })).Get("remapCategory");

        Assert.Equal("rural-development@district:162", (await Register(Pmayg)).Get("registerGrievance.position.id").GetValue<string>());
    }

    [Fact]
    public async Task A_rename_is_recorded_with_before_and_after_and_a_retry_records_nothing_new()
    {
        var input = new { categoryId = Pmayg, name = "House not sanctioned (PMAY-G)", nameHindi = "आवास स्वीकृत नहीं", keywords = new[] { "awas", "आवास" }, reason = "Shorter name" };
        var first = (await Change(Host, "rename", input)).Get("renameCategory");
        var again = (await Change(Host, "rename", input)).Get("renameCategory");

        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        var change = Assert.Single(await History(Host, Pmayg))!;
        Assert.Equal("RENAME", change["kind"]!.GetValue<string>());
        Assert.Equal("Shorter name", change["reason"]!.GetValue<string>());
        Assert.StartsWith("House not sanctioned under PMAY-G", change["before"]!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(CatalogueFiles.ReadEmbedded().Categories.Single(c => c.Id == Pmayg).NameHindi, change["before"]!["nameHindi"]!.GetValue<string>());
        Assert.Empty(change["before"]!["keywords"]!.AsArray());
        Assert.Equal("House not sanctioned (PMAY-G)", change["after"]!["name"]!.GetValue<string>());
        Assert.Equal("आवास स्वीकृत नहीं", change["after"]!["nameHindi"]!.GetValue<string>());
        Assert.Equal(Now, change["recordedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("House not sanctioned (PMAY-G)", (await Register(Pmayg)).Get("registerGrievance.category.name").GetValue<string>());
        Assert.Single((await Host.GraphQLAsync("{ categories(search: \"AWAS\") { id } }")).Get("categories").AsArray());
    }

    [Fact]
    public async Task A_retired_category_refuses_new_registrations_and_recategorisations_while_open_grievances_go_on()
    {
        var open = (await Register("rev-land-demarcation", "cat-before-retirement")).Get("registerGrievance");
        var other = (await Register(Pmayg)).Get("registerGrievance");
        var input = new { categoryId = "rev-land-demarcation", replacedBy = "rev-mutation-delay", reason = "Merged" };
        var retired = (await Change(Host, "retire", input)).Get("retireCategory");
        Assert.True(retired["after"]!["retired"]!.GetValue<bool>());
        Assert.Equal("rev-mutation-delay", retired["after"]!["replacedBy"]!.GetValue<string>());
        Assert.Equal(retired["id"]!.GetValue<string>(), (await Change(Host, "retire", input)).Get("retireCategory.id").GetValue<string>());
        Assert.Single(await History(Host, "rev-land-demarcation"));

        var refused = await Register("rev-land-demarcation");
        Assert.Equal("CATEGORY_RETIRED", refused.FirstErrorCode);
        Assert.Equal("input.categoryId", refused.FirstErrorField);
        Assert.False(await Listed("rev-land-demarcation"));

        // A retry of the registration made before the retirement answers the grievance it stored, like any retry.
        var retried = (await Register("rev-land-demarcation", "cat-before-retirement")).Get("registerGrievance");
        Assert.Equal(open["referenceNumber"]!.GetValue<string>(), retried["referenceNumber"]!.GetValue<string>());
        var officer = other["officer"]!["id"]!.GetValue<string>();
        var recategorise = await Host.GraphQLAsync(
            "mutation($r: String!, $o: String!) { recategoriseGrievance(referenceNumber: $r, actorId: $o, categoryId: \"rev-land-demarcation\", reason: \"x\") { status } }",
            new { r = other["referenceNumber"]!.GetValue<string>(), o = officer });
        Assert.Equal("CATEGORY_RETIRED", recategorise.FirstErrorCode);
        Assert.Equal("categoryId", recategorise.FirstErrorField);

        // The grievance already under it is still served: its officer resolves it.
        var holder = open["officer"]!["id"]!.GetValue<string>();
        var resolved = await Host.GraphQLAsync(
            "mutation($r: String!, $o: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: \"Land measured on 3 Nov\") { status category { id } } }",
            new { r = open["referenceNumber"]!.GetValue<string>(), o = holder });
        Assert.Equal("rev-land-demarcation", resolved.Get("resolveGrievance.category.id").GetValue<string>());

        var rename = await Change(Host, "rename", new { categoryId = "rev-land-demarcation", name = "x", nameHindi = "y" });
        Assert.Equal("CATEGORY_RETIRED", rename.FirstErrorCode);
    }

    [Fact]
    public async Task A_retirement_scheduled_for_later_lets_registrations_through_until_then()
    {
        (await Change(Host, "retire", new { categoryId = "rev-land-demarcation", effectiveAt = Now.AddMinutes(30).ToString("O") })).Get("retireCategory");

        Assert.Null((await Register("rev-land-demarcation")).FirstErrorCode);
        Host.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("CATEGORY_RETIRED", (await Register("rev-land-demarcation")).FirstErrorCode);
    }
}
