using Helpline.Platform.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Helpline.Tests.WebConsole;

/// <summary>
/// The supervisor board in the browser: the team's workload kept live by the API's subscription, a rebalancing
/// proposal applied with one click, and another district's supervisor or officer never shown this team's grievances.
/// </summary>
[Collection(ConsoleBrowserTests.Name)]
public sealed class SupervisorBoardTests(ConsoleService console)
{
    private readonly BoardScene _scene = new(console);

    [Fact]
    public async Task The_supervisor_sees_the_team_live_and_applies_a_rebalancing_with_one_click()
    {
        // Four complaints reach one block officer; an assistant joins the seat as a pool and holds nothing yet.
        var (_, blocks) = await _scene.DistrictAsync(3);
        var first = await _scene.RegisterAsync(blocks[0]);
        for (var i = 0; i < 3; i++)
        {
            await _scene.RegisterAsync(blocks[0]);
        }

        var assistant = await _scene.AddPoolMemberAsync(first.Seat, "Assistant BDO Board");
        var busyOpen = await _scene.OpenAsync(first.Officer);
        Assert.True(busyOpen >= 4, $"the block officer holds {busyOpen}");

        var page = await console.SignInAsync(Role.Supervisor, first.Supervisor);
        await page.GotoAsync("/board");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Team workload" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("open-" + first.Officer)).ToHaveTextAsync(busyOpen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("open-" + assistant)).ToHaveTextAsync("0");
        await Expect(page.GetByTestId("live-status")).ToContainTextAsync("Live: the board updates by itself");
        await ConsoleService.ScreenshotAsync(page, "board");

        // A new complaint through the API goes to the least loaded member: the board shows it without a reload.
        var teamOpen = int.Parse(await page.GetByTestId("team-open").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var fifth = await _scene.RegisterAsync(blocks[0]);
        Assert.Equal(assistant, fifth.Officer);
        await Expect(page.GetByTestId("open-" + assistant)).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("team-open")).ToHaveTextAsync((teamOpen + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The proposal of now (the busy officer to the assistant), applied with one click.
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose again" }).ClickAsync();
        var apply = page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Apply th(is move|ese \\d+ moves)$") });
        await Expect(apply).ToBeVisibleAsync();
        var moved = (await page.Locator(".rebalance tbody tr td.reference").AllInnerTextsAsync()).ToList();
        Assert.NotEmpty(moved);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Rebalancing" }).ScrollIntoViewIfNeededAsync();
        await ConsoleService.ScreenshotAsync(page, "board-rebalance");
        await page.GetByLabel("Note for the timeline (optional)").FillAsync("Board test");
        await apply.ClickAsync();

        await Expect(page.GetByTestId("rebalance-result")).ToHaveTextAsync($"{moved.Count} moved, 0 refused.");
        foreach (var reference in moved)
        {
            Assert.Equal(assistant, await _scene.HolderOfAsync(reference));
        }

        await Expect(page.GetByTestId("open-" + assistant)).ToHaveTextAsync((1 + moved.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Another_districts_supervisor_sees_their_own_team_and_an_officer_only_the_APIs_refusal()
    {
        var (_, blocks) = await _scene.DistrictAsync(5);
        var here = await _scene.RegisterAsync(blocks[0]);
        var (elsewhere, otherBlocks) = await _scene.DistrictAsync(6);
        var otherSupervisor = await _scene.HolderOfSeatAsync("rural-development@" + elsewhere);
        var otherOfficer = await _scene.HolderOfSeatAsync("rural-development@" + otherBlocks[0]);

        var page = await console.SignInAsync(Role.Supervisor, otherSupervisor);
        await page.GotoAsync("/board");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Team workload" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("open-" + otherOfficer)).ToBeVisibleAsync();
        var shown = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain(here.Reference, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(here.Officer, shown, StringComparison.Ordinal);

        // An officer (not a supervisor) of that district: the API refuses the team's board, and the page says so.
        var officer = await console.SignInAsync(Role.Officer, otherOfficer);
        await officer.GotoAsync("/board");
        await Expect(officer.GetByTestId("board-error")).ToBeVisibleAsync();
        Assert.DoesNotContain(here.Reference, await officer.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Expect(officer.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_supervisor_grades_a_disposal_and_sees_the_APIs_message_when_the_remark_is_missing()
    {
        var (_, blocks) = await _scene.DistrictAsync(10);
        var resolved = await _scene.RegisterAsync(blocks[0]);
        BoardScene.Data(await console.GraphQLAsync(
            "mutation($r: String!) { resolveGrievance(referenceNumber: $r, actionTakenReport: \"Instalment released; beneficiary informed\") { status } }",
            new { r = resolved.Reference },
            bearer: Infrastructure.TestTokens.Mint(Role.Officer, resolved.Officer)));

        var page = await console.SignInAsync(Role.Supervisor, resolved.Supervisor);
        await page.GotoAsync("/board");
        var row = page.Locator("li", new() { HasText = resolved.Reference });
        await row.GetByRole(AriaRole.Button, new() { Name = "Grade B" }).ClickAsync();
        await Expect(row.GetByRole(AriaRole.Alert)).ToContainTextAsync("remark");

        await row.GetByLabel("Remark on " + resolved.Reference).FillAsync("Report is complete; beneficiary confirmed on the phone");
        await row.GetByRole(AriaRole.Button, new() { Name = "Grade B" }).ClickAsync();
        await Expect(page.GetByText($"{resolved.Reference} graded B.")).ToBeVisibleAsync();
        var grades = BoardScene.Data(await console.GraphQLAsync(
            "query($r: String!) { disposalGrades(referenceNumber: $r) { grade remark gradedBy } }", new { r = resolved.Reference }, bearer: BoardScene.Admin))["disposalGrades"]!.AsArray();
        Assert.Equal(("B", resolved.Supervisor), (grades[0]!["grade"]!.GetValue<string>(), grades[0]!["gradedBy"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Allowing_one_more_complaint_shows_the_APIs_answer_and_keeps_what_was_typed()
    {
        var (district, _) = await _scene.DistrictAsync(5);
        var supervisor = await _scene.HolderOfSeatAsync("rural-development@" + district);
        var page = await console.SignInAsync(Role.Supervisor, supervisor);
        await page.GotoAsync("/board");

        await page.GetByLabel("Caller's mobile").FillAsync("9415099999");
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync("Flood damage: a second, separate complaint");
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow one more" }).ClickAsync();

        // Until the desk's API has the field the answer is its validation error; once it has, the month's figures.
        await Expect(page.GetByTestId("extra-error").Or(page.GetByTestId("extra-done"))).ToBeVisibleAsync();
        if (await page.GetByTestId("extra-error").IsVisibleAsync())
        {
            await Expect(page.GetByLabel("Caller's mobile")).ToHaveValueAsync("9415099999");
        }
    }
}
