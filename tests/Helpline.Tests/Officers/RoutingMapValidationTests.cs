using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Officers;

/// <summary>
/// Bad routing-map input through GraphQL: each refusal has its code and names its field, and nothing is stored (the map
/// and the history of the category stay empty).
/// </summary>
public sealed class RoutingMapValidationTests(RoutingMapWorld world) : IClassFixture<RoutingMapWorld>
{
    private const string Category = "rev-khatauni-correction";

    private static Task<(string? Code, string? Field)> Refusal(Task<GraphQLResponse> call) => RoutingMapTests.Refusal(call);

    private async Task AssertNothingStored()
    {
        Assert.Empty(await world.Map(Category));
        Assert.Empty((await world.Changes(Category)).Get("routeChanges").AsArray());
    }

    [Fact]
    public async Task Unknown_ids_are_refused_naming_the_field()
    {
        Assert.Equal((CatalogueErrorCodes.UnknownCategory, "input.categoryId"), await Refusal(world.SetRoute("no-such-category", "district:162", "revenue@tehsil:820")));
        Assert.Equal((JurisdictionErrorCodes.UnknownJurisdiction, "input.jurisdictionId"), await Refusal(world.SetRoute(Category, "tehsil:999999", "revenue@tehsil:820")));
        Assert.Equal((OfficerErrorCodes.UnknownPosition, "input.positionId"), await Refusal(world.SetRoute(Category, "district:162", "revenue@nowhere:1")));
        Assert.Equal((CatalogueErrorCodes.UnknownCategory, "input.categoryId"), await Refusal(world.ClearRoute("no-such-category", "district:162")));
        Assert.Equal((JurisdictionErrorCodes.UnknownJurisdiction, "input.jurisdictionId"), await Refusal(world.ClearRoute(Category, "nowhere:0")));
        Assert.Equal((CatalogueErrorCodes.UnknownCategory, "categoryId"), await Refusal(world.TryPreview("no-such-category", "district:162")));
        Assert.Equal((JurisdictionErrorCodes.UnknownJurisdiction, "jurisdictionId"), await Refusal(world.TryPreview(Category, "nowhere:0")));
        Assert.Equal((OfficerErrorCodes.UnknownPosition, "proposal.positionId"), await Refusal(world.TryPreview(Category, "tehsil:820", ("district:162", "revenue@nowhere:1"))));
        await AssertNothingStored();
    }

    [Fact]
    public async Task A_rule_for_a_retired_category_is_refused()
    {
        const string retired = "rev-land-demarcation";
        Assert.Null((await world.Host.GraphQLAsync($$"""mutation { retireCategory(input: { categoryId: "{{retired}}" }) { id } }""")).Errors);
        Assert.Equal((CatalogueErrorCodes.CategoryRetired, "input.categoryId"), await Refusal(world.SetRoute(retired, "district:162", "revenue@district:162")));
        Assert.Empty(await world.Map(retired));
    }

    [Fact]
    public async Task A_seat_of_another_department_is_refused()
    {
        Assert.Equal((ErrorCodes.Invalid, "input.positionId"), await Refusal(world.SetRoute(Category, "district:162", "rural-development@district:162")));
        Assert.Equal((ErrorCodes.Invalid, "proposal.positionId"), await Refusal(world.TryPreview(Category, "tehsil:820", ("district:162", "rural-development@district:162"))));
        await AssertNothingStored();
    }

    [Fact]
    public async Task A_seat_neither_at_above_nor_below_the_rules_jurisdiction_is_refused()
    {
        Assert.Equal((ErrorCodes.Invalid, "input.positionId"), await Refusal(world.SetRoute(Category, "district:162", "revenue@tehsil:766"))); // Agra's
        Assert.Equal((ErrorCodes.Invalid, "input.positionId"), await Refusal(world.SetRoute(Category, "tehsil:820", "revenue@tehsil:821"))); // a sibling
        await AssertNothingStored();

        // At, above and below are all accepted (in another category, so that this one stays without rules).
        foreach (var (place, seat) in new[] { ("tehsil:820", "revenue@tehsil:820"), ("tehsil:819", "revenue@district:162"), ("district:162", "revenue@tehsil:822") })
        {
            Assert.Equal(seat, (await world.SetRoute("rev-patta-allotment", place, seat)).Get("setRoute.positionId").GetValue<string>());
        }
    }

    [Fact]
    public async Task A_seat_nobody_acts_for_is_refused_as_a_registration_there_would_be()
    {
        await world.Vacate("revenue@tehsil:767");
        var r = await world.SetRoute(Category, "district:118", "revenue@tehsil:767");
        Assert.Equal((ErrorCodes.Invalid, "input.positionId"), (r.FirstErrorCode, r.FirstErrorField));
        Assert.Contains("Nobody is posted", r.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingStored();
    }

    [Fact]
    public async Task Clearing_a_rule_that_is_not_set_is_refused()
    {
        Assert.Equal((OfficerErrorCodes.NoRouteRule, "input.jurisdictionId"), await Refusal(world.ClearRoute(Category, "district:162")));
        await AssertNothingStored();
    }

    [Fact]
    public async Task A_reason_too_long_and_an_administrator_limited_to_a_district_are_refused()
    {
        Assert.Equal((ErrorCodes.TooLong, "input.reason"), await Refusal(world.SetRoute(Category, "district:162", "revenue@tehsil:820", new string('x', 501))));
        var limited = TestTokens.Mint(Role.Administrator, "admin-lucknow", jurisdictions: ["district:162"]);
        Assert.Equal(AccessErrorCodes.OutOfScope, (await Refusal(world.SetRoute(Category, "district:162", "revenue@tehsil:820", bearer: limited))).Code);
        await AssertNothingStored();
    }
}
