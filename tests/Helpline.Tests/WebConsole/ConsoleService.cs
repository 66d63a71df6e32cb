using Helpline.Platform.Access;
using Helpline.Tests.Durability;
using Helpline.Tests.Infrastructure;
using Helpline.Tests.Jurisdictions;
using Microsoft.Playwright;

namespace Helpline.Tests.WebConsole;

/// <summary>
/// The built service (a real process on a fresh database) and Debian's headless Chromium driven by Playwright: the
/// console as its users see it. Shared by the browser tests of one collection.
/// </summary>
public sealed class ConsoleService : IAsyncLifetime
{
    /// <summary>The viewport of the call centre's desktops, and of every screenshot.</summary>
    public static readonly ViewportSize Desktop = new() { Width = 1366, Height = 768 };

    private IPlaywright? _playwright;

    public TestDatabase Db { get; private set; } = null!;

    public ServiceProcess Service { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => Service.Http.BaseAddress!;

    /// <summary>Where the test run writes the pages' screenshots: <c>TestResults/console</c> in the repository.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(ShippedFiles.RepositoryRoot, "TestResults", "console");

    /// <summary>Debian's chromium, or <c>HELPLINE_CHROMIUM</c>.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("HELPLINE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"No Chromium at {ChromiumPath}: ./helpline test installs Debian's chromium (apt-get install -y chromium fonts-noto-core), or set HELPLINE_CHROMIUM.");
        }

        Directory.CreateDirectory(ScreenshotDirectory);

        // Expectations retry until they hold: generous for a slow, loaded CI machine, and never a fixed wait.
        Assertions.SetDefaultExpectTimeout(30_000);
        Db = await TestDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        Service = await ServiceProcess.StartAsync(ServiceProcess.LocateHostDll(), Db.ConnectionString, ServiceProcess.FreePort(), ServiceProcess.FreePort(), ServiceProcess.FreePort(), ct);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        if (Db is not null)
        {
            await Db.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context (its own cookies) at the console's desktop size, in <paramref name="culture"/>.</summary>
    public async Task<IPage> NewPageAsync(string culture = "en-IN")
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = Desktop, BaseURL = BaseAddress.ToString(), Locale = culture });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        if (culture != "en-IN")
        {
            await page.GotoAsync($"/culture?name={culture}&returnUrl=/");
        }

        return page;
    }

    /// <summary>Signs in through the sign-in page with a token of <paramref name="role"/> for <paramref name="subject"/>, as a user would paste it.</summary>
    public async Task<IPage> SignInAsync(Role role, string subject, IReadOnlyList<string>? jurisdictions = null, string culture = "en-IN")
    {
        var page = await NewPageAsync(culture);
        await page.GotoAsync("/signin");
        await page.GetByLabel(culture == "hi-IN" ? "टोकन" : "Token", new() { Exact = true }).FillAsync(TestTokens.Mint(role, subject, jurisdictions: jurisdictions));
        await page.Locator("#token-heading ~ form button[type=submit]").ClickAsync();
        await ArriveAsync(page, "!location.pathname.startsWith('/signin')", "a page other than /signin");
        return page;
    }

    /// <summary>
    /// Waits until <paramref name="page"/> has loaded a URL ending in <paramref name="path"/>. When it does not, the
    /// failure says where the page is, what it shows and what the service logged, rather than only that time ran out.
    /// </summary>
    public Task ArriveAsync(IPage page, string path) =>
        ArriveAsync(page, $"location.pathname.endsWith({System.Text.Json.JsonSerializer.Serialize(path)})", path);

    // Playwright's waits for a URL end in its wait for the load event, also when asked to wait only for the commit
    // and the page is already there. About 1 wait in 10 on a loaded machine timed out so, although the page was at
    // the URL with document.readyState "complete" and no resource pending (Debian's Chromium is not the build
    // Playwright pins, and its lifecycle events can be missed). So the page itself is asked, again after each
    // navigation, where it is and whether it has loaded.
    private async Task ArriveAsync(IPage page, string arrived, string what)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => ({arrived}) && document.readyState === 'complete'", null, new() { PollingInterval = 100 });
        }
        catch (TimeoutException ex)
        {
            var shows = await page.Locator("main, body").First.InnerTextAsync(new() { Timeout = 5_000 }).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "(unreadable)", TaskScheduler.Default);
            await ScreenshotAsync(page, "timed-out-" + Guid.NewGuid().ToString("N")[..8]);
            throw new TimeoutException(
                $"The page did not reach {what}: it is at {page.Url}, showing \"{Shorten(shows, 600)}\". The service's last lines:\n{Shorten(Service.RecentOutput, 3_000, fromEnd: true)}", ex);
        }
    }

    private static string Shorten(string text, int max, bool fromEnd = false) =>
        text.Length <= max ? text : fromEnd ? "…" + text[^max..] : text[..max] + "…";

    /// <summary>Writes a screenshot of what <paramref name="page"/> shows now to <see cref="ScreenshotDirectory"/>.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png") });

    /// <summary>A GraphQL call straight to the API (to set the scene or to check what a page did).</summary>
    public Task<System.Text.Json.Nodes.JsonObject> GraphQLAsync(string query, object? variables = null, string? bearer = null) =>
        Service.GraphQLAsync(query, variables, bearer);
}

/// <summary>The browser tests share one service and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleBrowserTests : ICollectionFixture<ConsoleService>
{
    public const string Name = "web console";
}
