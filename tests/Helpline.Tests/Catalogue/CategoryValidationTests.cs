using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Helpline.Tests.Catalogue.CategoryAdministrationTests;

namespace Helpline.Tests.Catalogue;

/// <summary>
/// Each rule of category administration, through GraphQL: the error names the field, and nothing is recorded
/// (the history stays empty and the catalogue as it was).
/// </summary>
public sealed class CategoryValidationTests : HostedTest
{
    private const string Pmayg = "rd-pmayg-not-sanctioned";
    private static readonly int[] Sevens = [7, 7, 7, 7];
    private static readonly string[] OneBlankKeyword = ["ok", ""];

    private DateTimeOffset Now => Host.Clock.GetUtcNow();

    private static async Task Refused(Task<GraphQLResponse> call, string code, string field)
    {
        var response = await call;
        Assert.True(response.FirstErrorCode == code, $"expected {code} at {field}: {response.Body.ToJsonString()}");
        Assert.Equal(field, response.FirstErrorField);
    }

    private async Task NothingRecorded()
    {
        Assert.Empty(await History(Host, null));
        var pmayg = (await Host.GraphQLAsync($"{{ categories(search: \"PMAY-G\") {{ id departmentId resolutionLevel name }} }}")).Get("categories").AsArray()
            .Single(c => c!["id"]!.GetValue<string>() == Pmayg)!;
        Assert.Equal(("rural-development", "BLOCK"), (pmayg["departmentId"]!.GetValue<string>(), pmayg["resolutionLevel"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_adds_name_their_field_and_store_nothing()
    {
        await Refused(Add(Host, AddInput(department: "no-such-department")), "UNKNOWN_DEPARTMENT", "input.departmentId");
        await Refused(Add(Host, AddInput(department: "revenue", level: "BLOCK")), "INVALID_VALUE", "input.resolutionLevel");
        await Refused(Add(Host, AddInput(effectiveAt: Now.AddMinutes(-2))), "INVALID_VALUE", "input.effectiveAt"); // more than the minute's grace
        await Refused(Add(Host, AddInput(id: "Not Kebab")), "INVALID_VALUE", "input.id");
        await Refused(Add(Host, AddInput(name: "   ")), "REQUIRED", "input.name");
        await Refused(Add(Host, AddInput(id: Pmayg)), "INVALID_VALUE", "input.id"); // a shipped category's id
        var noHindi = new { id = "x-new", name = "X", nameHindi = " ", departmentId = "revenue", resolutionLevel = "TEHSIL", slaDays = Sevens };
        await Refused(Add(Host, noHindi), "REQUIRED", "input.nameHindi");
        foreach (var days in new[] { new[] { 7, 7, 7 }, new[] { 7, 7, 7, 7, 7 }, new[] { 0, 7, 7, 7 }, new[] { 7, 7, 7, 366 } })
        {
            await Refused(Add(Host, noHindi with { nameHindi = "एक्स", slaDays = days }), "INVALID_VALUE", "input.slaDays");
        }

        await Refused(Add(Host, new { id = "x-new", name = "X", nameHindi = "एक्स", departmentId = "revenue", resolutionLevel = "TEHSIL", slaDays = Sevens, keywords = OneBlankKeyword }),
            "REQUIRED", "input.keywords[1]");
        await NothingRecorded();
        Assert.DoesNotContain((await Host.GraphQLAsync("{ categories { id } }")).Get("categories").AsArray(), c => c!["id"]!.GetValue<string>() == "x-new");
    }

    [Fact]
    public async Task Bad_changes_name_their_field_and_store_nothing()
    {
        await Refused(Change(Host, "remap", new { categoryId = Pmayg, departmentId = "no-such-department" }), "UNKNOWN_DEPARTMENT", "input.departmentId");
        await Refused(Change(Host, "remap", new { categoryId = Pmayg, departmentId = "revenue", resolutionLevel = "BLOCK" }), "INVALID_VALUE", "input.resolutionLevel");
        await Refused(Change(Host, "remap", new { categoryId = Pmayg, resolutionLevel = "TEHSIL" }), "INVALID_VALUE", "input.resolutionLevel");
        await Refused(Change(Host, "remap", new { categoryId = Pmayg, departmentId = "rural-development" }), "INVALID_VALUE", "input.departmentId"); // changes nothing
        await Refused(Change(Host, "remap", new { categoryId = Pmayg }), "REQUIRED", "input.departmentId");
        await Refused(Change(Host, "remap", new { categoryId = "no-such-category", departmentId = "revenue" }), "UNKNOWN_CATEGORY", "input.categoryId");
        await Refused(Change(Host, "rename", new { categoryId = Pmayg, name = "", nameHindi = "आवास" }), "REQUIRED", "input.name");
        await Refused(Change(Host, "rename", new { categoryId = Pmayg, name = "Awas", nameHindi = "\t" }), "REQUIRED", "input.nameHindi");
        await Refused(Change(Host, "rename", new { categoryId = Pmayg, name = "Awas", nameHindi = "आवास", effectiveAt = Now.AddMinutes(-5).ToString("O") }), "INVALID_VALUE", "input.effectiveAt");
        await Refused(Change(Host, "retire", new { categoryId = Pmayg, replacedBy = "no-such-category" }), "UNKNOWN_CATEGORY", "input.replacedBy");
        await Refused(Change(Host, "retire", new { categoryId = Pmayg, replacedBy = Pmayg }), "UNKNOWN_CATEGORY", "input.replacedBy");
        await NothingRecorded();
    }

    [Fact]
    public async Task A_change_effective_before_one_already_recorded_is_refused_so_history_stays_linear()
    {
        (await Change(Host, "remap", new { categoryId = Pmayg, departmentId = "panchayati-raj", effectiveAt = Now.AddHours(2).ToString("O") })).Get("remapCategory");

        await Refused(Change(Host, "rename", new { categoryId = Pmayg, name = "Awas", nameHindi = "आवास", effectiveAt = Now.AddHours(1).ToString("O") }), "INVALID_VALUE", "input.effectiveAt");
        await Refused(Change(Host, "rename", new { categoryId = Pmayg, name = "Awas", nameHindi = "आवास" }), "INVALID_VALUE", "input.effectiveAt");

        // At or after it is fine, and the rename keeps the pending remap's department (it follows the last recorded state).
        var rename = (await Change(Host, "rename", new { categoryId = Pmayg, name = "Awas", nameHindi = "आवास", effectiveAt = Now.AddHours(2).ToString("O") })).Get("renameCategory");
        Assert.Equal("panchayati-raj", rename["before"]!["departmentId"]!.GetValue<string>());
        Assert.Equal("panchayati-raj", rename["after"]!["departmentId"]!.GetValue<string>());
        Assert.Equal(2, (await History(Host, Pmayg)).Count);
    }

    [Fact]
    public async Task The_same_add_again_returns_the_first_and_another_add_of_the_id_is_refused()
    {
        var first = (await Add(Host, AddInput())).Get("addCategory");
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = (await Add(Host, AddInput())).Get("addCategory");

        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Equal(first["recordedAt"]!.GetValue<DateTimeOffset>(), again["recordedAt"]!.GetValue<DateTimeOffset>());
        await Refused(Add(Host, AddInput(name: "Hand pump dry")), "INVALID_VALUE", "input.id");
        Assert.Single(await History(Host, null));
    }

    [Fact]
    public async Task A_retried_remap_records_nothing_new()
    {
        var input = new { categoryId = Pmayg, departmentId = "panchayati-raj", effectiveAt = Now.AddHours(1).ToString("O") };
        var first = (await Change(Host, "remap", input)).Get("remapCategory");
        var again = (await Change(Host, "remap", input)).Get("remapCategory");

        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Single(await History(Host, Pmayg));
    }

    [Fact]
    public async Task A_remap_that_would_leave_a_place_without_a_seat_is_refused_and_nothing_changes()
    {
        // The Officers module's check is the one the host uses (its rule is tested in CategoryCoverageTests). UP gives
        // every department a district, division and state seat, so no remap there can leave a place uncovered; a second
        // check that refuses panchayati raj stands in for such a place here.
        Assert.Contains(Host.Services.GetServices<ICategoryCoverage>(), c => c.GetType().Name == "CategoryCoverage");
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await HelplineTestHost.StartAsync(
            db.ConnectionString, configure: b => b.Services.AddSingleton<ICategoryCoverage>(new RefusingCoverage("panchayati-raj")));

        var remap = await Change(host, "remap", new { categoryId = Pmayg, departmentId = "panchayati-raj" });
        Assert.Equal("INVALID_VALUE", remap.FirstErrorCode);
        Assert.Equal("input.departmentId", remap.FirstErrorField);
        Assert.Contains("Nowhere (block:0)", remap.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var level = await Change(host, "remap", new { categoryId = Pmayg, resolutionLevel = "DISTRICT" });
        Assert.Null(level.FirstErrorCode);
        Assert.Single(await History(host, null));
    }

    private sealed class RefusingCoverage(string department) : ICategoryCoverage
    {
        public string? Uncovered(string categoryId, string fromDepartmentId, JurisdictionKind fromLevel, string toDepartmentId, JurisdictionKind toLevel) =>
            toDepartmentId == department ? "1 place(s), for example Nowhere (block:0)." : null;
    }
}
