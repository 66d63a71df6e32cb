using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Helpline.Platform.Access;
using Microsoft.Playwright;

namespace Helpline.Tests.WebConsole;

/// <summary>
/// Every page of the console against axe-core's WCAG 2.1 A and AA rules (labels, names, contrast, landmarks, language),
/// in English and in Hindi, as each role sees it.
/// </summary>
[Collection(ConsoleBrowserTests.Name)]
public sealed class AccessibilityTests(ConsoleService console)
{
    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    public static TheoryData<string, string, string> Pages => new()
    {
        { "public", "/signin", "en-IN" },
        { "public", "/signin", "hi-IN" },
        { "public", "/", "en-IN" },
        { "public", "/public", "en-IN" },
        { "public", "/public", "hi-IN" },
        { "agent", "/desk", "en-IN" },
        { "agent", "/desk", "hi-IN" },
        { "officer", "/inbox", "en-IN" },
        { "supervisor", "/board", "en-IN" },
        { "supervisor", "/board", "hi-IN" },
        { "callback-agent", "/callbacks", "en-IN" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_meets_WCAG_2_1_AA_as_axe_checks_it(string role, string path, string culture)
    {
        var page = role == "public"
            ? await console.NewPageAsync(culture)
            : await console.SignInAsync(RoleOf(role), role + "-a11y", culture: culture);
        await page.GotoAsync(path);
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var result = await page.RunAxe(Wcag21AA);

        Assert.True(result.Violations.Length == 0, $"{path} ({culture}, {role}): " + string.Join("; ", result.Violations.Select(v =>
            $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    private static Role RoleOf(string name) => RoleNames.TryParse(name, out var role) ? role : throw new ArgumentException(name);
}
