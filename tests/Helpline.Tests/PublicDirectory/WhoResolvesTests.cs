using System.Net;
using Helpline.Catalogue;
using Helpline.Officers;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.PublicDirectory;

/// <summary>
/// The public directory through the running service, without a token: which office resolves a category in a place,
/// who acts for it, the level above and the time each level has, in English and Hindi, and never a personal number.
/// </summary>
public sealed class WhoResolvesTests : HostedTest
{
    // Bakshi Ka Talab tehsil, Lucknow; mutation delays are the Tehsildar's, 15 days then 7, 7, 7.
    private const string Tehsil = "tehsil:820";
    private const string Category = "rev-mutation-delay";

    private const string Office = """
        positionId title titleHindi officePhone place { id } department { id name nameHindi } holder { name inCharge }
        """;

    private Task<GraphQLResponse> Ask(string category, string place) => Host.GraphQLAsync(
        $$"""
        query($c: String!, $j: String!) { whoResolves(categoryId: $c, jurisdictionId: $j) {
          category { id name } department { id nameHindi } place { id name }
          office { {{Office}} } levelAbove { {{Office}} }
          levels { level office { {{Office}} } timeAllowed { amount unit text textHindi } } } }
        """,
        new { c = category, j = place },
        HelplineTestHost.NoToken);

    [Fact]
    public async Task Anyone_without_signing_in_learns_the_office_its_holder_the_level_above_and_the_time_each_level_has()
    {
        var officers = Host.Services.GetRequiredService<IOfficerDirectory>();
        var response = await Ask(Category, Tehsil);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var answer = response.Get("whoResolves");
        Assert.Equal("revenue", answer["department"]!["id"]!.GetValue<string>());
        Assert.Equal("राजस्व विभाग", answer["department"]!["nameHindi"]!.GetValue<string>());
        Assert.Equal(Tehsil, answer["place"]!["id"]!.GetValue<string>());

        var office = answer["office"]!;
        Assert.Equal("revenue@" + Tehsil, office["positionId"]!.GetValue<string>());
        Assert.Equal("Tehsildar", office["title"]!.GetValue<string>());
        Assert.Equal("तहसीलदार", office["titleHindi"]!.GetValue<string>());
        Assert.Equal(officers.HolderOf("revenue@" + Tehsil)!.Name, office["holder"]!["name"]!.GetValue<string>());
        Assert.False(office["holder"]!["inCharge"]!.GetValue<bool>());

        // The chain escalation follows, with the category's allowance at each level.
        var levels = answer["levels"]!.AsArray();
        Assert.Equal([1, 2, 3, 4], levels.Select(l => l!["level"]!.GetValue<int>()));
        Assert.Equal([15, 7, 7, 7], levels.Select(l => l!["timeAllowed"]!["amount"]!.GetValue<int>()));
        Assert.All(levels, l => Assert.Equal("CALENDAR_DAYS", l!["timeAllowed"]!["unit"]!.GetValue<string>()));
        Assert.Equal("15 days", levels[0]!["timeAllowed"]!["text"]!.GetValue<string>());
        Assert.Equal("15 दिन", levels[0]!["timeAllowed"]!["textHindi"]!.GetValue<string>());
        var position = office["positionId"]!.GetValue<string>();
        foreach (var level in levels.Skip(1))
        {
            var up = officers.SupervisorOf(position)!;
            Assert.Equal(up.Position.Id, level!["office"]!["positionId"]!.GetValue<string>());
            Assert.Equal(up.Officer.Name, level["office"]!["holder"]!["name"]!.GetValue<string>());
            position = up.Position.Id;
        }

        Assert.Equal(levels[1]!["office"]!["positionId"]!.GetValue<string>(), answer["levelAbove"]!["positionId"]!.GetValue<string>());
        Assert.Equal("District Magistrate", answer["levelAbove"]!["title"]!.GetValue<string>());
        Assert.Equal("जिलाधिकारी", answer["levelAbove"]!["titleHindi"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_directory_follows_the_office_phone_a_leave_with_its_charge_officer_and_a_vacancy_as_they_are_made()
    {
        var officers = Host.Services.GetRequiredService<IOfficerDirectory>();
        const string seat = "revenue@" + Tehsil;
        var holder = officers.HolderOf(seat)!;
        var charge = officers.HolderOf("revenue@tehsil:821")!;

        await Admin("mutation($i: SetOfficePhoneInput!) { setOfficePhone(input: $i) { id } }", new { i = new { positionId = seat, officePhone = "0522-2234567" } });
        var office = (await Ask(Category, Tehsil)).Get("whoResolves.office");
        Assert.Equal("05222234567", office["officePhone"]!.GetValue<string>());

        // On leave from now: the charge officer acts for the office, and the public is told they hold its charge.
        var now = Host.Clock.GetUtcNow();
        await Admin(
            "mutation($i: RecordLeaveInput!) { recordLeave(input: $i) { id } }",
            new { i = new { officerId = holder.Id, from = now, to = now.AddDays(3), chargeOfficerId = charge.Id, note = "Earned leave" } });
        office = (await Ask(Category, Tehsil)).Get("whoResolves.office");
        Assert.Equal(charge.Name, office["holder"]!["name"]!.GetValue<string>());
        Assert.True(office["holder"]!["inCharge"]!.GetValue<bool>());

        // Back after the leave, then retired: the office is shown vacant (no holder), not hidden.
        Host.Clock.Advance(TimeSpan.FromDays(3));
        office = (await Ask(Category, Tehsil)).Get("whoResolves.office");
        Assert.Equal(holder.Name, office["holder"]!["name"]!.GetValue<string>());
        Assert.False(office["holder"]!["inCharge"]!.GetValue<bool>());
        await Admin("mutation($i: EndPostingInput!) { endPosting(input: $i) { id } }", new { i = new { officerId = holder.Id, reason = "RETIREMENT" } });
        var vacant = (await Ask(Category, Tehsil)).Get("whoResolves");
        Assert.Equal(seat, vacant["office"]!["positionId"]!.GetValue<string>());
        Assert.Null(vacant["office"]!["holder"]);
        Assert.Equal("05222234567", vacant["office"]!["officePhone"]!.GetValue<string>());
        Assert.Equal(4, vacant["levels"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_routing_rule_changes_the_office_the_public_is_told_about()
    {
        await Admin(
            "mutation($i: SetRouteInput!) { setRoute(input: $i) { positionId } }",
            new { i = new { categoryId = Category, jurisdictionId = "district:162", positionId = "revenue@district:162", reason = "Heard by the DM this year" } });
        var answer = (await Ask(Category, Tehsil)).Get("whoResolves");
        Assert.Equal("revenue@district:162", answer["office"]!["positionId"]!.GetValue<string>());
        Assert.Equal("जिलाधिकारी", answer["office"]!["titleHindi"]!.GetValue<string>());
    }

    private async Task Admin(string mutation, object variables)
    {
        var response = await Host.GraphQLAsync(mutation, variables);
        Assert.True(response.Errors is null, response.Body.ToJsonString());
    }

    [Fact]
    public async Task The_directory_never_shows_a_personal_number()
    {
        var officers = Host.Services.GetRequiredService<IOfficerDirectory>();
        var answer = await Ask(Category, Tehsil);
        var text = answer.Body.ToJsonString();
        foreach (var level in answer.Get("whoResolves.levels").AsArray())
        {
            var mobile = officers.HolderOf(level!["office"]!["positionId"]!.GetValue<string>())!.Mobile;
            Assert.DoesNotContain(mobile, text, StringComparison.Ordinal);
        }

        // There is no field to ask for one.
        var asked = await Host.GraphQLAsync(
            """{ whoResolves(categoryId: "rev-mutation-delay", jurisdictionId: "tehsil:820") { office { holder { name mobile } } } }""",
            bearer: HelplineTestHost.NoToken);
        Assert.Equal(HttpStatusCode.BadRequest, asked.Status);
        Assert.Contains("mobile", asked.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task For_a_place_every_department_with_a_seat_at_or_above_it_is_listed_once_with_its_nearest_office()
    {
        var response = await Host.GraphQLAsync(
            """query($j: String!) { responsibleOffices(jurisdictionId: $j) { department { id name } office { positionId title titleHindi place { id kind } holder { name } } } }""",
            new { j = Tehsil },
            HelplineTestHost.NoToken);

        var rows = response.Get("responsibleOffices").AsArray();
        var departments = rows.Select(r => r!["department"]!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(departments.Distinct().Count(), departments.Count);
        var names = rows.Select(r => r!["department"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);

        var revenue = rows.Single(r => r!["department"]!["id"]!.GetValue<string>() == "revenue")!;
        Assert.Equal("revenue@" + Tehsil, revenue["office"]!["positionId"]!.GetValue<string>());
        Assert.Equal("तहसीलदार", revenue["office"]!["titleHindi"]!.GetValue<string>());

        // A department without a tehsil seat answers from the district or above: never from below the place.
        var catalogue = Host.Services.GetRequiredService<ICatalogue>();
        Assert.Equal(catalogue.Departments.Count, rows.Count);
        Assert.All(rows, r => Assert.NotEqual("BLOCK", r!["office"]!["place"]!["kind"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("no-such-category", Tehsil, "UNKNOWN_CATEGORY", "categoryId")]
    [InlineData(Category, "tehsil:0", "UNKNOWN_JURISDICTION", "jurisdictionId")]
    [InlineData(Category, "", "UNKNOWN_JURISDICTION", "jurisdictionId")]
    public async Task An_unknown_category_or_place_gets_a_clear_error_naming_the_argument(string category, string place, string code, string field)
    {
        var response = await Ask(category, place);
        Assert.Equal(code, response.FirstErrorCode);
        Assert.Equal(field, response.FirstErrorField);
    }

    [Fact]
    public async Task A_retired_category_is_named_as_retired()
    {
        var retired = await Host.GraphQLAsync("""mutation { retireCategory(input: { categoryId: "rev-land-demarcation", reason: "Merged" }) { id } }""");
        Assert.Null(retired.Errors);
        var response = await Ask("rev-land-demarcation", Tehsil);
        Assert.Equal("CATEGORY_RETIRED", response.FirstErrorCode);
        Assert.Equal("categoryId", response.FirstErrorField);
    }

    [Fact]
    public async Task An_unknown_place_for_the_offices_list_gets_a_clear_error()
    {
        var response = await Host.GraphQLAsync("""{ responsibleOffices(jurisdictionId: "district:0") { office { title } } }""", bearer: HelplineTestHost.NoToken);
        Assert.Equal("UNKNOWN_JURISDICTION", response.FirstErrorCode);
        Assert.Equal("jurisdictionId", response.FirstErrorField);
    }

    [Fact]
    public void Every_shipped_designation_has_its_Hindi_form()
    {
        var titles = CatalogueFiles.ReadEmbedded().Departments.SelectMany(d => d.SeatTitles.Values).Distinct().ToList();
        var missing = titles.Where(t => Helpline.PublicDirectory.Designations.Shipped.Hindi(t) is null).ToList();
        Assert.Empty(missing);
        Assert.Equal(titles.Count, Helpline.PublicDirectory.Designations.Shipped.Count);
    }
}
