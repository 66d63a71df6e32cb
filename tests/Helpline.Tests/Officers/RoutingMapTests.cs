using System.Text.Json.Nodes;
using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Npgsql;

namespace Helpline.Tests.Officers;

/// <summary>
/// The routing map through GraphQL on the real host: rules set by an administrator, the nearest rule winning over
/// rules further up and over the default, previews, registrations following them, lapsed rules and the history.
/// Lucknow (district:162) has the tehsils 819, 820, 821, 822 and 6094; Agra (district:118) 765 to 770.
/// </summary>
public sealed class RoutingMapTests(RoutingMapWorld world) : IClassFixture<RoutingMapWorld>
{
    private static string Text(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        return node?.GetValue<string>() ?? "(null)";
    }

    [Fact]
    public async Task Without_a_rule_a_registration_goes_to_the_default_seat()
    {
        var preview = await world.Preview("rd-mgnrega-job-card", "block:1330");

        var now = preview["now"]!;
        Assert.Equal("DEFAULT", Text(now, "source"));
        Assert.Equal("rural-development@block:1330", Text(now, "position.id"));
        Assert.Equal("Block Development Officer", Text(now, "position.title"));
        Assert.Equal("rural-development", Text(now, "department.id"));
        Assert.Equal(world.Host.Services.GetRequiredService<IOfficerDirectory>().HolderOf("rural-development@block:1330")!.Id, Text(now, "officer.id"));
        Assert.Null(now["rule"]);
        Assert.Null(now["refusalCode"]);
        Assert.Null(preview["proposed"]);
        Assert.Empty(await world.Map("rd-mgnrega-job-card"));
    }

    [Fact]
    public async Task The_nearest_rule_on_the_way_up_wins_over_rules_above_it_and_over_the_default()
    {
        const string category = "rev-mutation-delay";
        Assert.Equal("revenue@tehsil:820", Text((await world.Preview(category, "tehsil:820"))["now"], "position.id"));

        var district = (await world.SetRoute(category, "district:162", "revenue@tehsil:821", "Sadar tehsildar takes the district's mutations")).Get("setRoute");
        Assert.Equal(("revenue@tehsil:821", "admin-test", false), (Text(district, "positionId"), Text(district, "setBy"), district["lapsed"]!.GetValue<bool>()));
        var tehsil = (await world.SetRoute(category, "tehsil:820", "revenue@district:162")).Get("setRoute");
        Assert.Equal("revenue@district:162", Text(tehsil, "position.id"));

        async Task Expect(string place, string source, string seat, string? ruleAt)
        {
            var now = (await world.Preview(category, place))["now"]!;
            Assert.Equal((source, seat, ruleAt ?? "(null)"), (Text(now, "source"), Text(now, "position.id"), Text(now, "rule.jurisdictionId")));
            Assert.Equal(seat, Text(now, "officer.position.id"));
        }

        await Expect("tehsil:820", "RULE", "revenue@district:162", "tehsil:820"); // its own rule overrides the district's
        await Expect("tehsil:822", "RULE", "revenue@tehsil:821", "district:162"); // the district's rule covers the others
        await Expect("district:162", "RULE", "revenue@tehsil:821", "district:162");
        await Expect("block:1330", "RULE", "revenue@tehsil:821", "district:162"); // a block of Lucknow: up to the district's rule
        await Expect("tehsil:766", "DEFAULT", "revenue@tehsil:766", null); // Agra: no rule on its path
        Assert.Equal("revenue@tehsil:821", world.Host.Services.GetRequiredService<IRoutingService>().Route(category, "tehsil:822").Position.Id);

        // Another category of the same department is not touched.
        Assert.Equal("revenue@tehsil:822", Text((await world.Preview("rev-varasat-entry", "tehsil:822"))["now"], "position.id"));

        // Clearing the override lets the district's rule apply there again.
        Assert.Equal("revenue@district:162", Text((await world.ClearRoute(category, "tehsil:820", "override no longer needed")).Get("clearRoute"), "positionId"));
        await Expect("tehsil:820", "RULE", "revenue@tehsil:821", "district:162");
        var map = await world.Map(category);
        Assert.Equal("district:162", Text(Assert.Single(map), "jurisdictionId"));
        Assert.Single(await world.Map(null, "district:162"), r => Text(r, "categoryId") == category);
        Assert.DoesNotContain(await world.Map(null, "district:118"), r => Text(r, "categoryId") == category);
    }

    [Fact]
    public async Task A_registration_goes_where_the_preview_said_and_one_registered_earlier_keeps_its_seat()
    {
        const string category = "rev-varasat-entry";
        const string place = "tehsil:819";

        var preview = await world.Preview(category, place, ("district:162", "revenue@tehsil:822"));
        Assert.Equal(("DEFAULT", "revenue@tehsil:819"), (Text(preview["now"], "source"), Text(preview["now"], "position.id")));
        Assert.Equal(("PROPOSAL", "revenue@tehsil:822", "district:162"), (Text(preview["proposed"], "source"), Text(preview["proposed"], "position.id"), Text(preview["proposed"], "rule.jurisdictionId")));
        Assert.Empty(await world.Map(category)); // a preview stores nothing
        Assert.Empty((await world.Changes(category)).Get("routeChanges").AsArray());

        var first = (await world.Register(category, place, "routing-map-before")).Get("registerGrievance");
        Assert.Equal((Text(preview["now"], "position.id"), Text(preview["now"], "officer.id")), (Text(first, "position.id"), Text(first, "officer.id")));

        (await world.SetRoute(category, "district:162", "revenue@tehsil:822")).Get("setRoute");
        var after = (await world.Preview(category, place))["now"]!;
        Assert.Equal(("RULE", "revenue@tehsil:822", Text(preview["proposed"], "officer.id")), (Text(after, "source"), Text(after, "position.id"), Text(after, "officer.id")));

        var second = (await world.Register(category, place, "routing-map-after")).Get("registerGrievance");
        Assert.Equal((Text(after, "position.id"), Text(after, "officer.id")), (Text(second, "position.id"), Text(second, "officer.id")));

        var kept = (await world.Host.GraphQLAsync(
            "query($r: String!) { grievance(referenceNumber: $r) { position { id } officer { id } } }",
            new { r = Text(first, "referenceNumber") })).Get("grievance");
        Assert.Equal((Text(first, "position.id"), Text(first, "officer.id")), (Text(kept, "position.id"), Text(kept, "officer.id")));
    }

    [Fact]
    public async Task A_rule_whose_seat_nobody_acts_for_refuses_registrations_naming_the_seat()
    {
        const string category = "rev-income-certificate";
        (await world.SetRoute(category, "district:118", "revenue@tehsil:768")).Get("setRoute");
        await world.Vacate("revenue@tehsil:768");

        var now = (await world.Preview(category, "tehsil:766"))["now"]!;
        Assert.Null(now["source"]);
        Assert.Null(now["position"]);
        Assert.Equal(OfficerErrorCodes.NoRoute, Text(now, "refusalCode"));
        Assert.Contains("revenue@tehsil:768", Text(now, "refusalMessage"), StringComparison.Ordinal);
        Assert.Contains("nobody is posted and nobody holds its charge", Text(now, "refusalMessage"), StringComparison.Ordinal);

        var refused = await world.Register(category, "tehsil:766", "routing-map-vacant");
        Assert.Equal(OfficerErrorCodes.NoRoute, refused.FirstErrorCode);
        Assert.Contains("revenue@tehsil:768", refused.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(Assert.Single(await world.Map(category))!["lapsed"]!.GetValue<bool>()); // vacant is not lapsed
    }

    [Fact]
    public async Task A_rule_lapses_when_its_category_moves_to_another_department()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalogue = world.Host.Services.GetRequiredService<ICatalogueRegistry>();
        var roads = new Department("test-roads", "Test Roads", null, new Dictionary<JurisdictionKind, string> { [JurisdictionKind.District] = "Roads Engineer", [JurisdictionKind.Tehsil] = "Junior Engineer" });
        var works = new Department("test-works", "Test Works", null, new Dictionary<JurisdictionKind, string> { [JurisdictionKind.District] = "Works Engineer" });
        var pothole = new Category("test-pothole", "Pothole", roads.Id, JurisdictionKind.District, new SlaPolicy([7, 7, 7, 7]), "test");
        await catalogue.UpsertAsync([roads, works], [pothole], ct);
        await world.Host.Services.GetRequiredService<IRosterRegistry>().EnsureSeatsAsync(
            [
                new Position("test-roads@district:162", "Roads Engineer", roads.Id, "district:162", null),
                new Position("test-roads@tehsil:820", "Junior Engineer", roads.Id, "tehsil:820", "test-roads@district:162"),
                new Position("test-works@district:162", "Works Engineer", works.Id, "district:162", null),
            ],
            ct);

        Assert.Equal("test-roads@district:162", Text((await world.Preview(pothole.Id, "tehsil:822"))["now"], "position.id"));
        (await world.SetRoute(pothole.Id, "district:162", "test-roads@tehsil:820")).Get("setRoute");
        var ruled = (await world.Preview(pothole.Id, "tehsil:822"))["now"];
        Assert.Equal(("RULE", "test-roads@tehsil:820"), (Text(ruled, "source"), Text(ruled, "position.id")));

        await catalogue.UpsertAsync([], [pothole with { DepartmentId = works.Id }], ct);

        var rule = Assert.Single(await world.Map(pothole.Id));
        Assert.True(rule!["lapsed"]!.GetValue<bool>());
        Assert.Contains("test-works", Text(rule, "lapsedReason"), StringComparison.Ordinal);
        var now = (await world.Preview(pothole.Id, "tehsil:822"))["now"]!;
        Assert.Equal(("DEFAULT", "test-works@district:162"), (Text(now, "source"), Text(now, "position.id")));

        // A rule naming the old department's seat can no longer be set.
        Assert.Equal(("INVALID_VALUE", "input.positionId"), await Refusal(world.SetRoute(pothole.Id, "district:162", "test-roads@district:162")));
    }

    [Fact]
    public async Task Setting_the_same_rule_again_records_nothing_and_the_history_reads_back_newest_first()
    {
        const string category = "rev-land-demarcation";
        var set = (await world.SetRoute(category, "district:162", "revenue@tehsil:820", "first")).Get("setRoute");
        var setAt = Text(set, "setAt");
        world.Host.Clock.Advance(TimeSpan.FromHours(1));
        var again = (await world.SetRoute(category, "district:162", "revenue@tehsil:820", "again")).Get("setRoute");
        Assert.Equal((setAt, "revenue@tehsil:820"), (Text(again, "setAt"), Text(again, "positionId"))); // the stored rule, untouched
        Assert.Single((await world.Changes(category)).Get("routeChanges").AsArray());

        (await world.SetRoute(category, "district:162", "revenue@tehsil:821", "moved")).Get("setRoute");
        (await world.ClearRoute(category, "district:162", "back to the default")).Get("clearRoute");

        var changes = (await world.Changes(category)).Get("routeChanges").AsArray();
        Assert.Equal(
            [
                ("revenue@tehsil:821", "(null)", "back to the default"),
                ("revenue@tehsil:820", "revenue@tehsil:821", "moved"),
                ("(null)", "revenue@tehsil:820", "first"),
            ],
            changes.Select(c => (Text(c, "positionBefore"), Text(c, "positionAfter"), Text(c, "reason"))));
        Assert.All(changes, c => Assert.Equal(("admin-test", category, "district:162"), (Text(c, "actor"), Text(c, "categoryId"), Text(c, "jurisdictionId"))));
        Assert.True(changes.Select(c => c!["id"]!.GetValue<long>()).SequenceEqual(changes.Select(c => c!["id"]!.GetValue<long>()).OrderDescending()));
        Assert.Equal(DateTimeOffset.Parse(setAt, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(Text(changes[2], "at"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(world.Host.Clock.GetUtcNow(), DateTimeOffset.Parse(Text(changes[0], "at"), System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("back to the default", Text(Assert.Single((await world.Changes(category, first: 1)).Get("routeChanges").AsArray()), "reason"));
        Assert.Equal(("INVALID_VALUE", "first"), await Refusal(world.Changes(category, first: 0)));
        Assert.Empty(await world.Map(category));
        Assert.Equal(OfficerErrorCodes.NoRouteRule, (await world.ClearRoute(category, "district:162")).FirstErrorCode); // cleared already

        // Each change, and only a change, was announced to every silo; the history cannot be rewritten.
        await using var dataSource = NpgsqlDataSource.Create(world.Host.ConnectionString);
        await using (var announced = dataSource.CreateCommand(
            "select count(*) from events.event_log where stream = 'shared-data' and stream_key = 'routing' and payload::text like '%rev-land-demarcation%'"))
        {
            Assert.Equal(3L, await announced.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        await using var rewrite = dataSource.CreateCommand("update officers.route_change set reason = 'rewritten' where category_id = 'rev-land-demarcation'");
        await Assert.ThrowsAsync<PostgresException>(() => rewrite.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }

    internal static async Task<(string? Code, string? Field)> Refusal(Task<Infrastructure.GraphQLResponse> call)
    {
        var r = await call;
        Assert.Null(r.Data?.AsObject().FirstOrDefault().Value);
        return (r.FirstErrorCode, r.FirstErrorField);
    }
}
