using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Helpline.Tests.WebConsole;

[Collection(ConsoleBrowserTests.Name)]
public sealed class SignInTests(ConsoleService console)
{
    [Fact]
    public async Task An_agent_signs_in_with_a_token_and_lands_on_the_agent_desk_named_in_the_header()
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync("/signin");
        await ConsoleService.ScreenshotAsync(page, "signin");
        await page.GetByLabel("Token", new() { Exact = true }).FillAsync(TestTokens.Mint(Role.Agent, "agent-007"));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");

        await console.ArriveAsync(page, "/desk");
        Assert.Contains("agent-007", await page.GetByTestId("signed-in").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["Agent desk", "Who resolves what"], await page.Locator("header nav a").AllInnerTextsAsync());
    }

    [Fact]
    public async Task A_token_the_API_refuses_signs_nobody_in_and_says_why()
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync("/signin");
        var expired = TestTokens.Mint(Role.Officer, "officer-1", now: DateTimeOffset.UtcNow.AddHours(-10), lifetime: TimeSpan.FromHours(1));
        await page.GetByLabel("Token", new() { Exact = true }).FillAsync(expired);
        await page.Locator("#token-heading ~ form button[type=submit]").ClickAsync();

        var error = await page.GetByTestId("signin-error").InnerTextAsync();
        Assert.Contains("expired", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "helpline.console");
    }

    [Fact]
    public async Task A_page_that_needs_a_sign_in_sends_the_public_to_the_sign_in_page_and_back_after()
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync("/inbox");
        Assert.Contains("/signin?ReturnUrl=%2Finbox", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("Token", new() { Exact = true }).FillAsync(TestTokens.Mint(Role.Officer, "officer-1"));
        await page.Locator("#token-heading ~ form button[type=submit]").ClickAsync();
        await console.ArriveAsync(page, "/inbox");
    }

    [Fact]
    public async Task The_console_speaks_Hindi_when_asked_and_says_so_to_screen_readers()
    {
        var page = await console.NewPageAsync("hi-IN");
        await page.GotoAsync("/signin");
        await ConsoleService.ScreenshotAsync(page, "signin-hindi");

        Assert.Equal("hi", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("साइन इन करें", await page.Locator("h1").InnerTextAsync());
        var devanagariRenders = await page.EvaluateAsync<bool>("() => document.fonts.check('16px \"Noto Sans Devanagari\"', 'साइन')");
        Assert.True(devanagariRenders, "no Devanagari font: ./helpline test installs fonts-noto-core");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var page = await console.SignInAsync(Role.CallbackAgent, "cb-agent-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await console.ArriveAsync(page, "/signin");
        await page.GotoAsync("/callbacks");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }
}
