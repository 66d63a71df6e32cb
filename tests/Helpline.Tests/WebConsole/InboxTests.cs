using Helpline.Platform.Access;
using Microsoft.Playwright;
using static Helpline.Tests.WebConsole.ConsoleScenes;
using static Microsoft.Playwright.Assertions;

namespace Helpline.Tests.WebConsole;

[Collection(ConsoleBrowserTests.Name)]
public sealed class InboxTests(ConsoleService console)
{
    [Fact]
    public async Task An_officer_sees_what_they_hold_by_due_date_opens_it_with_its_timeline_and_SLA_explanation_and_resolves_it()
    {
        var (reference, officer, _) = await RegisterAsync(console, "House sanctioned under PMAY-G but first instalment not received for four months");
        var held = await GrievanceAsync(console, reference, "dueAt slaExplanation { summary }");
        var page = await console.SignInAsync(Role.Officer, officer);
        await console.ArriveAsync(page, "/inbox");

        var open = page.GetByRole(AriaRole.Button, new() { Name = Grouped(reference), Exact = true });
        var row = page.GetByTestId("inbox-row").Filter(new() { Has = open });
        await Expect(row).ToContainTextAsync(Ist(held["dueAt"]!.GetValue<DateTimeOffset>()));
        await Expect(row).ToContainTextAsync("On time");
        await ConsoleService.ScreenshotAsync(page, "inbox");

        await open.ClickAsync();
        var detail = page.GetByTestId("grievance-detail");
        await Expect(detail.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToBeFocusedAsync();
        await Expect(detail.GetByTestId("sla-explanation")).ToHaveTextAsync(held["slaExplanation"]!["summary"]!.GetValue<string>());
        await Expect(detail.GetByTestId("timeline")).ToContainTextAsync("Registered");
        await Expect(detail).ToContainTextAsync("first instalment not received");
        await ConsoleService.ScreenshotAsync(page, "inbox-detail");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await page.GetByLabel("Action taken report", new() { Exact = true }).FillAsync("Instalment released on 5 Dec; beneficiary informed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve grievance" }).ClickAsync();

        await Expect(page.GetByTestId("inbox-status")).ToContainTextAsync($"Resolved. (grievance {Grouped(reference)})");
        await Expect(detail.GetByTestId("timeline")).ToContainTextAsync("Instalment released on 5 Dec");
        await Expect(open).ToHaveCountAsync(0);
        var resolved = await GrievanceAsync(console, reference, "status disposal");
        Assert.Equal("RESOLVED", resolved["status"]!.GetValue<string>());
        Assert.Equal("Instalment released on 5 Dec; beneficiary informed", resolved["disposal"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_action_shows_the_APIs_message_and_keeps_the_text_then_pause_and_resume_move_the_clock()
    {
        var (reference, officer, _) = await RegisterAsync(console, "Job card made but no work given for three months");
        var page = await console.SignInAsync(Role.Officer, officer);
        await page.GetByRole(AriaRole.Button, new() { Name = Grouped(reference), Exact = true }).ClickAsync();
        var detail = page.GetByTestId("grievance-detail");

        var tooLong = new string('x', 4001);
        await detail.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        var report = page.GetByLabel("Action taken report", new() { Exact = true });
        await report.FillAsync(tooLong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve grievance" }).ClickAsync();
        await Expect(detail.GetByRole(AriaRole.Alert)).ToContainTextAsync("'actionTakenReport' has 4001 characters; the limit is 4000");
        await Expect(report).ToHaveValueAsync(tooLong);
        Assert.Equal("OPEN", (await GrievanceAsync(console, reference, "status"))["status"]!.GetValue<string>());

        await detail.GetByRole(AriaRole.Button, new() { Name = "Pause", Exact = true }).ClickAsync();
        await page.GetByLabel("Reason for the pause", new() { Exact = true }).FillAsync("Waiting for the complainant's bank passbook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause grievance" }).ClickAsync();
        await Expect(page.GetByTestId("inbox-status")).ToContainTextAsync("Paused: the clock is stopped.");
        await Expect(detail).ToContainTextAsync("On hold since");
        Assert.True((await GrievanceAsync(console, reference, "onHold"))["onHold"]!.GetValue<bool>());

        await detail.GetByRole(AriaRole.Button, new() { Name = "Resume", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume grievance" }).ClickAsync();
        await Expect(page.GetByTestId("inbox-status")).ToContainTextAsync("Resumed: the clock runs again.");
        await Expect(detail.GetByTestId("timeline")).ToContainTextAsync("Resumed");
        var resumed = await GrievanceAsync(console, reference, "onHold timeline { type }");
        Assert.False(resumed["onHold"]!.GetValue<bool>());
        Assert.Equal(["REGISTERED", "PAUSED", "RESUMED"], resumed["timeline"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).Where(t => t is "REGISTERED" or "PAUSED" or "RESUMED"));
    }

    [Fact]
    public async Task A_supervisors_inbox_lists_what_they_hold_themselves_not_their_teams_and_speaks_Hindi()
    {
        // Held by an L1 officer of the supervisor's team: the team's, not the supervisor's own.
        var (reference, _, _) = await RegisterAsync(console, "Second instalment of PMAY-G not received");
        var holder = (await DataAsync(console, "query($r: String!) { grievance(referenceNumber: $r) { position { supervisor { holder { id } } } } }",
            new { r = reference }, Agent))["grievance"]!["position"]!["supervisor"]!["holder"]!["id"]!.GetValue<string>();

        var page = await console.SignInAsync(Role.Supervisor, holder, culture: "hi-IN");
        await console.ArriveAsync(page, "/board");
        await page.GotoAsync("/inbox");
        await Expect(page.Locator("h1")).ToHaveTextAsync("इनबॉक्स");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "आपके पास लंबित, सबसे पहले नियत तिथि वाली ऊपर" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("inbox-count")).ToContainTextAsync("लंबित शिकायतें:");
        await ConsoleService.ScreenshotAsync(page, "inbox-hindi");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = Grouped(reference), Exact = true })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_officer_records_an_interim_reply_asks_to_return_it_and_forwards_it_up_the_chain()
    {
        var (reference, officer, _) = await RegisterAsync(console, "Name missing from the PMAY-G beneficiary list");
        var page = await console.SignInAsync(Role.Officer, officer);
        var open = page.GetByRole(AriaRole.Button, new() { Name = Grouped(reference), Exact = true });
        await open.ClickAsync();
        var detail = page.GetByTestId("grievance-detail");
        var status = page.GetByTestId("inbox-status");

        await detail.GetByRole(AriaRole.Button, new() { Name = "Interim reply", Exact = true }).ClickAsync();
        await page.GetByLabel("Reply to the complainant", new() { Exact = true }).FillAsync("Survey list checked; the gram sabha meets on 12 Dec");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record interim reply" }).ClickAsync();
        await Expect(status).ToContainTextAsync("Interim reply recorded.");
        await Expect(detail.GetByTestId("timeline")).ToContainTextAsync("Survey list checked");

        await detail.GetByRole(AriaRole.Button, new() { Name = "Request return", Exact = true }).ClickAsync();
        await page.GetByLabel("Kind of return").SelectOptionAsync("NOT_PERTAINING");
        await page.GetByLabel("Reason for the return", new() { Exact = true }).FillAsync("The list is drawn up by the gram panchayat");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the return request" }).ClickAsync();
        await Expect(status).ToContainTextAsync("Return requested: waiting for the officer above.");
        await Expect(detail).ToContainTextAsync("Return asked for (Not pertaining)");
        Assert.Equal("NOT_PERTAINING", (await GrievanceAsync(console, reference, "pendingReturn { kind }"))["pendingReturn"]!["kind"]!.GetValue<string>());

        var above = (await GrievanceAsync(console, reference, "position { supervisor { id } }"))["position"]!["supervisor"]!["id"]!.GetValue<string>();
        await detail.GetByRole(AriaRole.Button, new() { Name = "Forward", Exact = true }).ClickAsync();
        await page.GetByLabel("Seat up the chain").SelectOptionAsync(above);
        await page.GetByLabel("Reason for forwarding", new() { Exact = true }).FillAsync("Needs the district's sanction");
        await page.GetByRole(AriaRole.Button, new() { Name = "Forward grievance" }).ClickAsync();
        await Expect(status).ToContainTextAsync("Forwarded.");
        await Expect(open).ToHaveCountAsync(0);
        await Expect(detail).ToContainTextAsync("It is no longer in your charge");
        var forwarded = await GrievanceAsync(console, reference, "position { id } pendingReturn { kind }");
        Assert.Equal(above, forwarded["position"]!["id"]!.GetValue<string>());
        Assert.Null(forwarded["pendingReturn"]);
    }

    [Fact]
    public async Task A_grievance_past_its_at_risk_instant_is_tagged_at_risk_in_words()
    {
        // A category no other test uses: one calendar hour at L1, at risk almost at once.
        const string category = "rd-nrlm-shg";
        await DataAsync(console, "mutation { setSlaPolicy(categoryId: \"rd-nrlm-shg\", level: 1, unit: CALENDAR_HOURS, amount: 1, warningShare: 0.0001) { description } }", null, Administrator);
        try
        {
            var (reference, officer, _) = await RegisterAsync(console, "Revolving fund of the self-help group not released", category);
            var page = await console.SignInAsync(Role.Officer, officer);
            var open = page.GetByRole(AriaRole.Button, new() { Name = Grouped(reference), Exact = true });
            await Expect(page.GetByTestId("inbox-row").Filter(new() { Has = open })).ToContainTextAsync("At risk");
            await open.ClickAsync();
            await Expect(page.GetByTestId("grievance-detail")).ToContainTextAsync("At risk from");
            Assert.True((await GrievanceAsync(console, reference, "atRisk"))["atRisk"]!.GetValue<bool>());
        }
        finally
        {
            await DataAsync(console, "mutation { resetSlaPolicy(categoryId: \"rd-nrlm-shg\", level: 1) }", null, Administrator);
        }
    }
}
