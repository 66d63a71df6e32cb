using System.Reflection;

namespace Helpline.ArchitectureTests;

/// <summary>
/// The web console is a client of the service's GraphQL API, like any partner: it may not reach into a module, so
/// a page can never show or do what the API would refuse its user.
/// </summary>
public sealed class WebConsoleTests
{
    private static readonly Assembly Console = typeof(Helpline.WebConsole.WebConsoleExtensions).Assembly;

    // Platform is infrastructure; Access only for minting development tokens with the local key (AccessTokens).
    private static readonly HashSet<string> AllowedHelplineReferences = new(StringComparer.Ordinal)
    {
        "Helpline.Platform",
        "Helpline.Access",
    };

    [Fact]
    public void The_console_references_no_module_but_the_platform_and_token_minting()
    {
        var helpline = Console.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Helpline.", StringComparison.Ordinal)).ToList();

        Assert.All(helpline, name => Assert.Contains(name, AllowedHelplineReferences));
    }

    [Fact]
    public void Of_the_Access_module_the_console_uses_only_its_token_contract()
    {
        var access = HelplineModules.Access.OwnTypes()
            .Where(t => t.Namespace != "Helpline.Access.Tokens" || !t.IsPublic)
            .Select(t => t.FullName!)
            .ToArray();

        var result = NetArchTest.Rules.Types.InAssembly(Console).Should().NotHaveDependencyOnAny(access).GetResult();

        Assert.True(result.IsSuccessful, "The console uses Access types other than its public token contract: " + string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []));
    }
}
