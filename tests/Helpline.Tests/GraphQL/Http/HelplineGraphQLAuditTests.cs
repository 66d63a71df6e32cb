using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>
/// The npm graphql-http server audits (tests/graphql-http-audit) against the real Helpline host on a loopback port:
/// every MUST and every SHOULD of the GraphQL-over-HTTP spec (issue 16).
/// </summary>
public sealed class HelplineGraphQLAuditTests : HostedTest
{
    [Fact]
    public async Task The_served_endpoint_passes_every_must_and_should_audit_and_still_gives_a_browser_graphiql()
    {
        var folder = NodeTool.Folder(Path.Combine("tests", "graphql-http-audit"), "graphql-http");

        var (exitCode, output) = await NodeTool.RunAsync(folder, "audit.mjs", "--strict", new Uri(Host.Http.BaseAddress!, "/graphql").ToString());

        Assert.True(exitCode == 0, $"graphql-http audits failed against the Helpline host:\n{output}");
        Assert.Contains(" 0 MUST failures, 0 SHOULD/MAY warnings", output);

        // One host start for both: the page shares the endpoint the audit just checked.
        using var browser = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        browser.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        using var page = await Host.Http.SendAsync(browser, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"graphiql\"", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
