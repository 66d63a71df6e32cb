using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Helpline.Tests.WebConsole;

[Collection(ConsoleBrowserTests.Name)]
public sealed partial class AgentDeskTests(ConsoleService console)
{
    private const string Category = "rd-pmayg-not-sanctioned";
    private const string CategoryName = "House not sanctioned under PMAY-G";
    private static readonly string[] HindiKeywords = ["आवास", "awas"];

    [Fact]
    public async Task An_agent_registers_a_complaint_with_the_keyboard_alone_and_reads_out_the_reference_in_groups_of_four()
    {
        var page = await OpenDeskAsync("agent-desk-1");
        await page.Keyboard.TypeAsync("94150 00101");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Sita Devi");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Kind")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("PMAY-G");
        await ConsoleScenes.ChooseByKeyboardAsync(page, "category", CategoryName);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Chinhat");
        await ConsoleScenes.ChooseByKeyboardAsync(page, "place", "Chinhat (block)");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("What the caller says")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("House sanctioned under PMAY-G but the first instalment has not come for four months");
        await page.Keyboard.PressAsync("Alt+KeyR");

        var reference = page.GetByTestId("reference");
        await Assertions.Expect(reference).ToHaveTextAsync(FourFourFour());
        await Assertions.Expect(page.Locator("#registered-heading")).ToBeFocusedAsync();
        await ConsoleService.ScreenshotAsync(page, "desk-registered");

        var grievance = await GrievanceAsync(await reference.InnerTextAsync());
        Assert.Equal(Category, (string?)grievance["category"]!["id"]);
        Assert.Equal("block:1330", (string?)grievance["jurisdiction"]!["id"]);
        Assert.Equal("9415000101", (string?)grievance["complainant"]!["mobile"]);
        Assert.Equal("Sita Devi", (string?)grievance["complainant"]!["name"]);
        Assert.Equal("COMPLAINT", (string?)grievance["kind"]);

        await page.Keyboard.PressAsync("Alt+KeyN");
        await Assertions.Expect(page.GetByLabel("Caller's mobile")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("Caller's mobile")).ToHaveValueAsync("");
    }

    [Fact]
    public async Task A_category_is_found_by_typing_Hindi_and_picked_by_keyboard_on_the_Hindi_desk()
    {
        var renamed = await console.GraphQLAsync(
            """
            mutation($i: RenameCategoryInput!) { renameCategory(input: $i) { categoryId } }
            """,
            new { i = new { categoryId = Category, name = "House not sanctioned under PMAY-G or Mukhyamantri Awas Yojana (Gramin)",
                nameHindi = "प्रधानमंत्री या मुख्यमंत्री आवास योजना (ग्रामीण) में आवास स्वीकृत नहीं", keywords = HindiKeywords } },
            TestTokens.Mint(Role.Administrator, "admin-desk"));
        Assert.Null(renamed["errors"]);

        var page = await OpenDeskAsync("agent-desk-2", "hi-IN");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("एजेंट डेस्क");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "श्रेणी" }).FocusAsync();
        await page.Keyboard.TypeAsync("आवास");
        await ConsoleScenes.ChooseByKeyboardAsync(page, "category", "आवास स्वीकृत नहीं");
        await Assertions.Expect(page.Locator("#category")).ToHaveValueAsync(new Regex("^प्रधानमंत्री या मुख्यमंत्री आवास योजना"));

        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("लखनऊ");
        await Assertions.Expect(page.Locator("#place-list [role=option]").First).ToContainTextAsync("Lucknow");
        await ConsoleService.ScreenshotAsync(page, "desk-hindi");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#place")).ToHaveValueAsync(new Regex("^Lucknow "));
    }

    [Fact]
    public async Task A_place_is_found_by_typing_its_Hindi_name()
    {
        var page = await OpenDeskAsync("agent-desk-3");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Place (district, tehsil, block or town)" }).FocusAsync();
        await page.Keyboard.TypeAsync("आगरा");
        var first = page.Locator("#place-list [role=option]").First;
        await Assertions.Expect(first).ToContainTextAsync("Agra (district)");
        await Assertions.Expect(first).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#place")).ToHaveValueAsync("Agra (district)");

        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("बख्शी का तालाब");
        var options = page.Locator("#place-list [role=option]");
        await Assertions.Expect(options.Nth(0)).ToContainTextAsync("Bakshi Ka Talab (tehsil)");
        await Assertions.Expect(options.Nth(1)).ToContainTextAsync("Bakshi-Ka-Talab (block)");
        await Assertions.Expect(options.Nth(1)).ToContainTextAsync("Lucknow district");
    }

    [Fact]
    public async Task Typing_a_mobile_with_earlier_grievances_shows_the_callers_history()
    {
        string[] earlier = [await RegisterAsync("9415000303", "desk-history-1"), await RegisterAsync("9415000303", "desk-history-2")];

        var page = await OpenDeskAsync("agent-desk-4");
        await page.Keyboard.TypeAsync("+91 94150 00303");
        var history = page.GetByTestId("caller-history");
        foreach (var reference in earlier)
        {
            await Assertions.Expect(history).ToContainTextAsync(Grouped(reference));
        }

        await Assertions.Expect(history).ToContainTextAsync("2 grievances from this mobile");
        await Assertions.Expect(history).ToContainTextAsync("Open");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Ram Prasad");
        await page.GetByLabel("Category").FocusAsync();
        await page.Keyboard.TypeAsync("PMAY-G");
        await ConsoleScenes.ChooseByKeyboardAsync(page, "category", CategoryName);
        await ConsoleService.ScreenshotAsync(page, "desk");
    }

    [Fact]
    public async Task An_information_request_answered_on_the_call_ends_disposed_on_the_call()
    {
        var page = await OpenDeskAsync("agent-desk-5");
        await page.GetByLabel("Caller's mobile").FillAsync("9415000505");
        await page.GetByLabel("Caller's name").FillAsync("Ram Prasad");
        await page.GetByLabel("Kind").SelectOptionAsync("INFORMATION");
        await PickAsync(page, "category", "PMAY-G", CategoryName);
        await PickAsync(page, "place", "Chinhat", "Chinhat (block)");
        await page.GetByLabel("What the caller says").FillAsync("Asks which documents the PMAY-G application needs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        var reference = page.GetByTestId("reference");
        await Assertions.Expect(reference).ToHaveTextAsync(FourFourFour());
        await page.GetByLabel("Answer given to the caller").FillAsync("Aadhaar, bank passbook and the job card; apply at the block office");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the answer" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("Answered on the call");

        var grievance = await GrievanceAsync(await reference.InnerTextAsync());
        Assert.Equal("DISPOSED_ON_CALL", (string?)grievance["status"]);
        Assert.Equal("INFORMATION", (string?)grievance["kind"]);
    }

    [Fact]
    public async Task The_APIs_refusal_is_shown_and_everything_typed_stays()
    {
        var page = await OpenDeskAsync("agent-desk-6");
        var tooLong = new string('x', 4001);
        await page.GetByLabel("Caller's mobile").FillAsync("9415000606");
        await page.GetByLabel("Caller's name").FillAsync("Geeta");
        await PickAsync(page, "category", "PMAY-G", CategoryName);
        await PickAsync(page, "place", "Chinhat", "Chinhat (block)");
        await page.GetByLabel("What the caller says").FillAsync(tooLong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        var error = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "description" });
        await Assertions.Expect(error).ToContainTextAsync("4000");
        await Assertions.Expect(page.GetByLabel("What the caller says")).ToHaveValueAsync(tooLong);
        await Assertions.Expect(page.GetByLabel("Caller's mobile")).ToHaveValueAsync("9415000606");
        await Assertions.Expect(page.Locator("#category")).ToHaveValueAsync(new Regex("^" + Regex.Escape(CategoryName)));
        await Assertions.Expect(page.Locator("#place")).ToHaveValueAsync("Chinhat (block)");

        // Corrected and sent again, it registers once.
        await page.GetByLabel("What the caller says").FillAsync("Instalment not received");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("reference")).ToHaveTextAsync(FourFourFour());
    }

    [Fact]
    public async Task Over_the_monthly_limit_the_agent_sees_why_and_registers_once_a_supervisor_allows_one_more()
    {
        const string mobile = "9415000707";
        string? supervisorId = null;
        for (var n = 1; n <= 10; n++)
        {
            var registered = await RegisterAsync(mobile, $"desk-limit-{n}");
            supervisorId ??= await SupervisorOfAsync(registered);
        }

        var page = await OpenDeskAsync("agent-desk-7");
        await page.GetByLabel("Caller's mobile").FillAsync(mobile);
        var month = page.GetByTestId("caller-month");
        await Assertions.Expect(month).ToContainTextAsync("10 of 10");
        await Assertions.Expect(month).ToContainTextAsync("Over the limit");
        await page.GetByLabel("Caller's name").FillAsync("Ram Prasad");
        await PickAsync(page, "category", "PMAY-G", CategoryName);
        await PickAsync(page, "place", "Chinhat", "Chinhat (block)");
        await page.GetByLabel("What the caller says").FillAsync("A new matter: the hand pump is broken");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        var error = page.GetByTestId("register-error");
        await Assertions.Expect(error).ToContainTextAsync("the limit is 10");
        await Assertions.Expect(error).ToContainTextAsync("A supervisor may allow one more complaint");
        await Assertions.Expect(month).ToContainTextAsync("Over the limit");
        await error.ScrollIntoViewIfNeededAsync();
        await ConsoleService.ScreenshotAsync(page, "desk-limit");

        var allowed = await console.GraphQLAsync(
            "mutation($i: AllowExtraComplaintInput!) { allowExtraComplaint(input: $i) { remaining } }",
            new { i = new { clientRequestId = "desk-allow-1", mobile, reason = "A separate matter from the earlier ten" } },
            TestTokens.Mint(Role.Supervisor, supervisorId!));
        Assert.Null(allowed["errors"]);

        // The same attempt sent again (the same clientRequestId) now registers.
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("reference")).ToHaveTextAsync(FourFourFour());
    }

    [Fact]
    public async Task A_call_about_an_open_grievance_is_linked_to_it_and_shows_on_its_timeline()
    {
        const string mobile = "9415000808";
        var earlier = await RegisterAsync(mobile, "desk-link-1");

        var page = await OpenDeskAsync("agent-desk-8");
        await page.GetByLabel("Caller's mobile").FillAsync(mobile);
        var duplicates = page.GetByRole(AriaRole.Region, new() { Name = "Possible duplicates" });
        await Assertions.Expect(duplicates).ToContainTextAsync(Grouped(earlier));
        await Assertions.Expect(duplicates).ToContainTextAsync("Same caller");
        await duplicates.GetByRole(AriaRole.Button, new() { Name = $"Link this call to {Grouped(earlier)}" }).ClickAsync();
        await page.GetByLabel("Note for its timeline").FillAsync("Called again: still no instalment");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Link the call to {Grouped(earlier)}" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("linked")).ToContainTextAsync($"Linked to {Grouped(earlier)}");
        await Assertions.Expect(page.GetByLabel("Caller's mobile")).ToHaveValueAsync("");
        await Assertions.Expect(page.GetByLabel("Caller's mobile")).ToBeFocusedAsync();

        var answer = await console.GraphQLAsync(
            "query($r: String!) { grievance(referenceNumber: $r) { timeline { type note } } }",
            new { r = earlier }, TestTokens.Mint(Role.Agent, "agent-desk-check"));
        var timeline = answer["data"]!["grievance"]!["timeline"]!.AsArray();
        Assert.Contains(timeline, e => (string?)e!["type"] == "CALL_LINKED" && ((string?)e["note"] ?? "").Contains("still no instalment", StringComparison.Ordinal));
    }

    /// <summary>
    /// Signs in as an agent and waits for the desk to be ready: once its check for a call saved before a lost
    /// connection has answered, it puts the focus on the caller's mobile. Typing before then races that move.
    /// </summary>
    private async Task<IPage> OpenDeskAsync(string agent, string culture = "en-IN")
    {
        var page = await console.SignInAsync(Role.Agent, agent, culture: culture);
        await Assertions.Expect(page.Locator("#mobile")).ToBeFocusedAsync();
        return page;
    }

    private static async Task PickAsync(IPage page, string id, string typed, string option)
    {
        await page.Locator($"#{id}").FillAsync(typed);
        await ConsoleScenes.ChooseByKeyboardAsync(page, id, option);
    }

    private async Task<string> RegisterAsync(string mobile, string requestId)
    {
        var answer = await console.GraphQLAsync(
            """
            mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber } }
            """,
            new { i = new { clientRequestId = requestId, kind = "COMPLAINT", channel = "PHONE", complainant = new { name = "Ram Prasad", mobile },
                jurisdictionId = "block:1330", categoryId = Category, description = "Earlier call about the PMAY-G house" } },
            TestTokens.Mint(Role.Agent, "agent-desk-seed"));
        return (string?)answer["data"]?["registerGrievance"]?["referenceNumber"] ?? throw new InvalidOperationException(answer.ToJsonString());
    }

    private async Task<string> SupervisorOfAsync(string reference)
    {
        var answer = await console.GraphQLAsync(
            "query($r: String!) { grievance(referenceNumber: $r) { position { supervisor { holder { id } } } } }",
            new { r = reference }, TestTokens.Mint(Role.Agent, "agent-desk-check"));
        return (string?)answer["data"]?["grievance"]?["position"]?["supervisor"]?["holder"]?["id"] ?? throw new InvalidOperationException(answer.ToJsonString());
    }

    private async Task<JsonNode> GrievanceAsync(string reference)
    {
        var answer = await console.GraphQLAsync(
            "query($r: String!) { grievance(referenceNumber: $r) { status kind category { id } jurisdiction { id } complainant { name mobile } } }",
            new { r = reference }, TestTokens.Mint(Role.Agent, "agent-desk-check"));
        return answer["data"]?["grievance"] ?? throw new InvalidOperationException(answer.ToJsonString());
    }

    private static string Grouped(string reference) => $"{reference[..4]} {reference[4..8]} {reference[8..]}";

    [GeneratedRegex(@"^\d{4} \d{4} \d{4}$")]
    private static partial Regex FourFourFour();

    [Fact]
    public async Task A_call_whose_page_lost_its_connection_comes_back_on_reload_and_registers_once()
    {
        var mobile = "95" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var page = await OpenDeskAsync("agent-desk-draft");
        await page.GetByLabel("Caller's mobile").FillAsync(mobile);
        await page.GetByLabel("Caller's name").FillAsync("Kamla Devi");
        await page.Locator("#category").FocusAsync();
        await page.Keyboard.TypeAsync("PMAY-G");
        await ConsoleScenes.ChooseByKeyboardAsync(page, "category", CategoryName);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Chinhat");
        await ConsoleScenes.ChooseByKeyboardAsync(page, "place", "Chinhat (block)");
        await page.GetByLabel("What the caller says").FillAsync("Second instalment of the PMAY-G house not received");
        await page.GetByLabel("Caller's mobile").FocusAsync();

        // The desk says what it kept once the browser has it; a reload before that would lose the last field.
        await Assertions.Expect(page.GetByTestId("draft-kept")).ToHaveTextAsync(
            "Kept in this tab if the page reloads: Caller's mobile, Caller's name, Category, Place, What the caller says.");

        // As after a lost connection: Blazor reloads the page, and the circuit with everything it held is gone.
        await page.ReloadAsync();

        await Assertions.Expect(page.GetByTestId("restored")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Caller's mobile")).ToHaveValueAsync(mobile);
        await Assertions.Expect(page.GetByLabel("What the caller says")).ToHaveValueAsync("Second instalment of the PMAY-G house not received");
        await Assertions.Expect(page.Locator("#place")).ToHaveValueAsync(new Regex("^Chinhat "));
        await page.Keyboard.PressAsync("Alt+KeyR");
        var reference = (await page.GetByTestId("reference").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);

        // Registered, the call is forgotten: a reload starts an empty desk.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel("Caller's mobile")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("Caller's mobile")).ToHaveValueAsync("");
        await Assertions.Expect(page.GetByTestId("restored")).ToHaveCountAsync(0);
        var history = await console.GraphQLAsync("query($m: String!) { callerHistory(mobile: $m) { totalCount nodes { referenceNumber } } }",
            new { m = mobile }, TestTokens.Mint(Role.Agent, "agent-desk-draft"));
        Assert.Equal(1, (int?)history["data"]!["callerHistory"]!["totalCount"]);
        Assert.Equal(reference, (string?)history["data"]!["callerHistory"]!["nodes"]![0]!["referenceNumber"]);
    }
}
