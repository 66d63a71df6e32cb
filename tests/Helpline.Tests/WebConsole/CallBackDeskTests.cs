using System.Globalization;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Playwright;
using static Helpline.Tests.WebConsole.ConsoleScenes;
using static Microsoft.Playwright.Assertions;

namespace Helpline.Tests.WebConsole;

[Collection(ConsoleBrowserTests.Name)]
public sealed class CallBackDeskTests(ConsoleService console)
{
    private const string CallBackAgent = "cb-agent-console";

    [Fact]
    public async Task A_call_back_agent_takes_the_next_call_sees_the_action_taken_report_and_a_dissatisfied_complainant_sends_it_one_level_up()
    {
        var campaign = await ResolvedAndGatheredAsync();
        await SetCallingHoursAsync(campaign, "00:00", "23:59");

        var page = await console.SignInAsync(Role.CallbackAgent, CallBackAgent);
        await console.ArriveAsync(page, "/callbacks");
        await page.GetByLabel("Open campaign").SelectOptionAsync(campaign);
        await ConsoleService.ScreenshotAsync(page, "callbacks");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next call" }).ClickAsync();

        // The oldest due call of the campaign comes first, which may be another test's disposal: check the one handed out.
        var call = page.GetByTestId("call");
        var shown = (await call.Locator("h2 .reference").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        var before = await GrievanceAsync(console, shown, "level disposal");
        await Expect(call.GetByTestId("call-disposal")).ToHaveTextAsync(before["disposal"]!.GetValue<string>());
        var complainant = (await DataAsync(console, "query($r: String!) { grievance(referenceNumber: $r) { complainant { name mobile } } }", new { r = shown }, Agent))["grievance"]!["complainant"]!;
        await Expect(call.GetByRole(AriaRole.Link, new() { Name = complainant["mobile"]!.GetValue<string>() })).ToBeVisibleAsync();
        await Expect(call).ToContainTextAsync(complainant["name"]!.GetValue<string>());
        await ConsoleService.ScreenshotAsync(page, "callbacks-call");

        await page.GetByLabel("Rating (optional)").SelectOptionAsync("2");
        await page.GetByLabel("Why not satisfied (required for Dissatisfied)").FillAsync("Instalment still not credited");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dissatisfied" }).ClickAsync();

        var level = before["level"]!.GetValue<int>() + 1;
        await Expect(page.GetByTestId("callback-status")).ToContainTextAsync($"the grievance is reopened at L{level}");
        await Expect(call).ToHaveCountAsync(0);
        var after = await GrievanceAsync(console, shown, "status level officer { id } timeline { type note }");
        Assert.Equal("OPEN", after["status"]!.GetValue<string>());
        Assert.Equal(level, after["level"]!.GetValue<int>());
        Assert.Contains(after["timeline"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "REOPENED" && e["note"]!.GetValue<string>().Contains("Instalment still not credited", StringComparison.Ordinal));

        // The officer one level up, a supervisor, now holds it: it is in their own inbox.
        var upperId = after["officer"]!["id"]!.GetValue<string>();
        await UntilAsync(TimeSpan.FromSeconds(60), async () =>
            (await DataAsync(console, "query($o: String!) { grievances(filter: { officerId: $o, status: OPEN }, first: 100) { nodes { referenceNumber } } }",
                new { o = upperId }, TestTokens.Mint(Role.Supervisor, upperId)))["grievances"]!["nodes"]!.AsArray().Any(n => n!["referenceNumber"]!.GetValue<string>() == shown));
        var upper = await console.SignInAsync(Role.Supervisor, upperId);
        await upper.GotoAsync("/inbox");
        await Expect(upper.GetByRole(AriaRole.Button, new() { Name = Grouped(shown), Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Outside_calling_hours_the_desk_offers_no_call_and_says_when_calling_resumes()
    {
        var campaign = await ResolvedAndGatheredAsync();
        // A one-hour window that excludes now, within one IST day.
        var (from, until) = NowInIndia.Hour < 12 ? ("13:00", "14:00") : ("02:00", "03:00");
        await SetCallingHoursAsync(campaign, from, until);
        try
        {
            var page = await console.SignInAsync(Role.CallbackAgent, CallBackAgent + "-late");
            await page.GetByLabel("Open campaign").SelectOptionAsync(campaign);
            await page.GetByRole(AriaRole.Button, new() { Name = "Next call" }).ClickAsync();

            var resumes = (await DataAsync(console, "mutation($c: String!) { nextCallBack(campaignId: $c) { reason callingResumesAt } }", new { c = campaign },
                TestTokens.Mint(Role.CallbackAgent, CallBackAgent + "-late")))["nextCallBack"]!;
            Assert.Equal("OUTSIDE_CALLING_HOURS", resumes["reason"]!.GetValue<string>());
            await Expect(page.GetByTestId("no-call")).ToHaveTextAsync(
                $"Outside calling hours: no call now. Calling resumes at {Ist(resumes["callingResumesAt"]!.GetValue<DateTimeOffset>())} IST.");
            Assert.StartsWith(from, Ist(resumes["callingResumesAt"]!.GetValue<DateTimeOffset>())[^5..], StringComparison.Ordinal);
            await Expect(page.GetByTestId("call")).ToHaveCountAsync(0);
        }
        finally
        {
            await SetCallingHoursAsync(campaign, "00:00", "23:59");
        }
    }

    // A complaint resolved by its officer; the campaign job (every minute) gathers its call-back into today's (IST)
    // campaign of Lucknow district. Returns that campaign once it has something to call.
    private async Task<string> ResolvedAndGatheredAsync()
    {
        var (reference, officer, _) = await RegisterAsync(console, "House sanctioned under PMAY-G but first instalment not received for four months");
        await DataAsync(console, "mutation($r: String!) { resolveGrievance(referenceNumber: $r, actionTakenReport: \"Instalment released on 5 Dec; beneficiary informed\") { status } }",
            new { r = reference }, Officer(officer));
        var campaign = NowInIndia.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/district/district:162";
        var agent = TestTokens.Mint(Role.CallbackAgent, CallBackAgent);
        await UntilAsync(TimeSpan.FromMinutes(3), async () =>
        {
            var open = (await DataAsync(console, "{ callBackCampaigns(open: true) { id pending } }", null, agent))["callBackCampaigns"]!.AsArray();
            return open.Any(c => c!["id"]!.GetValue<string>() == campaign && c["pending"]!.GetValue<long>() > 0);
        });
        return campaign;
    }

    private async Task SetCallingHoursAsync(string campaign, string from, string until) =>
        await DataAsync(console, "mutation($c: String!, $f: String!, $u: String!) { setCampaignCallingHours(campaignId: $c, from: $f, until: $u) { id } }",
            new { c = campaign, f = from, u = until }, Administrator);
}
