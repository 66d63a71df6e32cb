using Helpline.WebConsole.Places;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Helpline.Tests.WebConsole;

/// <summary>
/// The public page without signing in: who resolves a category in a block (picked with the keyboard from the
/// comboboxes), and a grievance's status by its reference number and the last four digits of the mobile.
/// </summary>
[Collection(ConsoleBrowserTests.Name)]
public sealed class PublicPageTests(ConsoleService console)
{
    private readonly BoardScene _scene = new(console);

    [Fact]
    public async Task Anyone_finds_the_office_and_officer_who_resolve_a_category_in_a_block_with_the_keyboard()
    {
        var (district, blocks) = await _scene.DistrictAsync(8);
        var (category, block, districtName, holder) = await WhoAsync(district, blocks[0]);

        var page = await console.NewPageAsync();
        await page.GotoAsync("/public");
        await PickWithKeyboardAsync(page, "Kind of grievance", category, category);
        await PickWithKeyboardAsync(page, "Place (tehsil, block, town or district)", block, $"{block} · block, {districtName}");

        await Expect(page.GetByTestId("who-office")).ToContainTextAsync(holder);
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("L4");
        await ConsoleService.ScreenshotAsync(page, "public");
    }

    [Fact]
    public async Task The_status_shows_for_the_right_reference_and_last_four_and_the_APIs_message_for_a_wrong_pair()
    {
        var (_, blocks) = await _scene.DistrictAsync(8);
        var registered = await _scene.RegisterAsync(blocks[1], mobile: "9415067890");
        var spaced = string.Join(' ', registered.Reference.Chunk(4).Select(c => new string(c)));

        var page = await console.NewPageAsync();
        await page.GotoAsync("/public");
        await page.GetByLabel("Reference number").FillAsync(spaced);
        await page.GetByLabel("Last four digits of the mobile you called from").FillAsync("7890");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the status" }).ClickAsync();
        await Expect(page.GetByTestId("status")).ToContainTextAsync("Open: with the office");
        await Expect(page.GetByTestId("status")).ToContainTextAsync(registered.Reference);
        await ConsoleService.ScreenshotAsync(page, "public-status");

        var refusal = await console.GraphQLAsync(
            "query($r: String!) { grievanceStatus(referenceNumber: $r, mobileLastFour: \"1111\") { status } }", new { r = registered.Reference }, bearer: "");
        var message = refusal["errors"]![0]!["message"]!.GetValue<string>();
        await page.GetByLabel("Last four digits of the mobile you called from").FillAsync("1111");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the status" }).ClickAsync();
        await Expect(page.GetByTestId("status-error")).ToHaveTextAsync(message);
        await Expect(page.GetByTestId("status")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Reference number")).ToHaveValueAsync(spaced);
    }

    [Fact]
    public async Task The_public_page_speaks_Hindi()
    {
        var (district, blocks) = await _scene.DistrictAsync(8);
        var (category, block, _, holder) = await WhoAsync(district, blocks[0]);
        var page = await console.NewPageAsync("hi-IN");
        await page.GotoAsync("/public");

        await Expect(page.Locator("h1")).ToHaveTextAsync("कौन क्या निस्तारित करता है");
        await PickFirstAsync(page, "शिकायत का प्रकार", category);
        // The block itself: a tehsil of the same name may come first (the place index lists tehsils before blocks).
        await PickWithKeyboardAsync(page, "स्थान (तहसील, विकास खंड, नगर या जनपद)", block, $"{block} · विकास खंड");
        await Expect(page.GetByTestId("who-office")).ToContainTextAsync($"वर्तमान में कार्यरत: {holder}");
        await ConsoleService.ScreenshotAsync(page, "public-hindi");
    }

    [Fact]
    public async Task A_place_is_found_by_typing_its_Hindi_name()
    {
        var page = await console.NewPageAsync("hi-IN");
        await page.GotoAsync("/public");
        var label = "स्थान (तहसील, विकास खंड, नगर या जनपद)";
        await page.GetByRole(AriaRole.Combobox, new() { Name = label }).FillAsync("आगरा");
        await Expect(page.GetByRole(AriaRole.Listbox, new() { Name = label }).GetByRole(AriaRole.Option).First).ToHaveTextAsync("Agra · जनपद, Agra");
        await ConsoleService.ScreenshotAsync(page, "public-hindi-place");
    }

    // The category's English name, the block's and district's names as the place box writes them (readable case), and
    // the officer acting for the L1 office, as the API tells the public.
    private async Task<(string Category, string Block, string District, string Holder)> WhoAsync(string district, string block)
    {
        var data = BoardScene.Data(await console.GraphQLAsync(
            "query($c: String!, $j: String!, $d: String!) { whoResolves(categoryId: $c, jurisdictionId: $j) { category { name } place { name } office { holder { name } } } jurisdiction(id: $d) { name } }",
            new { c = BoardScene.Category, j = block, d = district },
            bearer: ""));
        var who = data["whoResolves"]!;
        return (
            who["category"]!["name"]!.GetValue<string>(),
            PlaceIndex.Readable(who["place"]!["name"]!.GetValue<string>()),
            PlaceIndex.Readable(data["jurisdiction"]!["name"]!.GetValue<string>()),
            who["office"]!["holder"]!["name"]!.GetValue<string>());
    }

    // Types into the combobox, waits for the list, and picks its first option with the keyboard.
    private static async Task PickFirstAsync(IPage page, string label, string typed)
    {
        var box = page.GetByRole(AriaRole.Combobox, new() { Name = label });
        await box.FillAsync(typed);
        await Expect(page.GetByRole(AriaRole.Listbox, new() { Name = label }).GetByRole(AriaRole.Option).First).ToBeVisibleAsync();
        await box.PressAsync("ArrowDown");
        await Expect(box).ToHaveAttributeAsync("aria-activedescendant", new System.Text.RegularExpressions.Regex("-option-0$"));
        await box.PressAsync("Enter");
        await Expect(box).ToHaveAttributeAsync("aria-expanded", "false");
    }

    // Types into the combobox, then moves down the list with the arrow keys to the option named and picks it with Enter.
    private static async Task PickWithKeyboardAsync(IPage page, string label, string typed, string optionStart)
    {
        var box = page.GetByRole(AriaRole.Combobox, new() { Name = label });
        await box.FillAsync(typed);
        var options = page.GetByRole(AriaRole.Listbox, new() { Name = label }).GetByRole(AriaRole.Option);
        await Expect(options.First).ToBeVisibleAsync();
        var texts = await options.AllInnerTextsAsync();
        var index = texts.ToList().FindIndex(t => t.StartsWith(optionStart, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no option {optionStart} among {string.Join(" | ", texts)}");
        for (var i = 0; i <= index; i++)
        {
            await box.PressAsync("ArrowDown");
        }

        await Expect(box).ToHaveAttributeAsync("aria-activedescendant", await options.Nth(index).GetAttributeAsync("id") ?? "");
        await box.PressAsync("Enter");
        await Expect(box).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(box).ToHaveValueAsync(typed);
    }
}
