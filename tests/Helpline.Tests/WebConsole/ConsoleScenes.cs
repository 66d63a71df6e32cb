using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.WebConsole;

/// <summary>Scenes the inbox and call-back desk tests set through the API, and how the console shows what they read.</summary>
internal static class ConsoleScenes
{
    private static readonly TimeZoneInfo India = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    internal static readonly string Agent = TestTokens.Mint(Role.Agent, "agent-console-inbox");

    internal static readonly string Auditor = TestTokens.Mint(Role.Auditor, "auditor-console-inbox");

    internal static readonly string Administrator = TestTokens.Mint(Role.Administrator, "admin-console-inbox");

    /// <summary>A complaint registered by an agent in block:1330 with a mobile of its own; its reference number and L1 officer.</summary>
    internal static async Task<(string Reference, string Officer, string Mobile)> RegisterAsync(ConsoleService console, string description, string category = "rd-pmayg-not-sanctioned")
    {
        var mobile = "9" + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        var data = await DataAsync(console, """
            mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber officer { id } } }
            """, new
        {
            i = new
            {
                clientRequestId = "console-inbox-" + Guid.NewGuid().ToString("N"),
                kind = "COMPLAINT",
                channel = "PHONE",
                complainant = new { name = "Sita Devi", mobile },
                jurisdictionId = "block:1330",
                categoryId = category,
                description,
            },
        }, Agent);
        var registered = data["registerGrievance"]!;
        var reference = registered["referenceNumber"]!.GetValue<string>();
        var officer = registered["officer"]!["id"]!.GetValue<string>();

        // The inbox lists from the read model, which follows the grievance a moment later: wait until it lists it.
        await UntilAsync(TimeSpan.FromSeconds(60), async () =>
        {
            var listed = await DataAsync(console, "query($m: String!) { grievances(filter: { complainantMobile: $m }) { nodes { referenceNumber } } }", new { m = mobile }, Officer(officer));
            return listed["grievances"]!["nodes"]!.AsArray().Count == 1;
        });
        return (reference, officer, mobile);
    }

    /// <summary>An officer's token (the subject is the officer id).</summary>
    internal static string Officer(string officerId) => TestTokens.Mint(Role.Officer, officerId);

    /// <summary>The data of a GraphQL call; any error fails the test with the API's words.</summary>
    internal static async Task<JsonNode> DataAsync(ConsoleService console, string query, object? variables, string bearer)
    {
        var body = await console.GraphQLAsync(query, variables, bearer);
        Assert.True(body["errors"] is null, "GraphQL errors: " + body["errors"]?.ToJsonString());
        return body["data"]!;
    }

    /// <summary>One grievance as an auditor reads it.</summary>
    internal static async Task<JsonNode> GrievanceAsync(ConsoleService console, string reference, string fields) =>
        (await DataAsync(console, $"query($r: String!) {{ grievance(referenceNumber: $r) {{ {fields} }} }}", new { r = reference }, Auditor))["grievance"]!;

    /// <summary>As the console shows an instant: India's time, <c>06 Dec 2026, 14:05</c>.</summary>
    internal static string Ist(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, India).ToString("dd MMM yyyy, HH:mm", CultureInfo.GetCultureInfo("en-IN"));

    /// <summary>Now in India.</summary>
    internal static DateTimeOffset NowInIndia => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, India);

    /// <summary>A reference number in groups of four, as the console shows it.</summary>
    internal static string Grouped(string reference) => $"{reference[..4]} {reference[4..8]} {reference[8..]}";

    /// <summary>Asks until <paramref name="done"/> holds, failing after <paramref name="deadline"/>: for work a background job does.</summary>
    internal static async Task UntilAsync(TimeSpan deadline, Func<Task<bool>> done)
    {
        var until = DateTime.UtcNow + deadline;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until, $"not done within {deadline}");
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>In a combobox's open list, moves with the arrow keys to the option holding <paramref name="text"/> and picks it with Enter.</summary>
    internal static async Task ChooseByKeyboardAsync(Microsoft.Playwright.IPage page, string id, string text)
    {
        var target = page.Locator($"#{id}-list [role=option]").Filter(new() { HasText = text }).First;
        var combobox = page.Locator($"#{id}");
        await Microsoft.Playwright.Assertions.Expect(target).ToBeVisibleAsync();

        // One press at a time, each seen on the page before the next: on a loaded machine a later keystroke's search
        // can still replace the list and put the selection back on its first option, and counted presses then miss.
        // The selection wraps, so pressing on reaches the option whatever happened in between.
        for (var presses = 0; presses < 60 && await target.GetAttributeAsync("aria-selected") != "true"; presses++)
        {
            var before = await combobox.GetAttributeAsync("aria-activedescendant");
            await page.Keyboard.PressAsync("ArrowDown");
            await Microsoft.Playwright.Assertions.Expect(combobox).ToHaveAttributeAsync(
                "aria-activedescendant", new Regex(before is null ? "." : $"^(?!{Regex.Escape(before)}$)"));
        }

        await Microsoft.Playwright.Assertions.Expect(target).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("Enter");
        await Microsoft.Playwright.Assertions.Expect(page.Locator($"#{id}")).ToHaveAttributeAsync("aria-expanded", "false");
    }
}
