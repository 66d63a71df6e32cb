using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>
/// The npm graphql-http server audits (tests/graphql-http-audit) against the real Helpline host on a loopback port:
/// every MUST and every SHOULD of the GraphQL-over-HTTP spec (issue 16).
/// </summary>
public sealed class HelplineGraphQLAuditTests : HostedTest
{
    [Fact]
    public async Task The_served_endpoint_passes_every_must_and_should_audit()
    {
        var folder = NodeTool.Folder(Path.Combine("tests", "graphql-http-audit"), "graphql-http");

        var (exitCode, output) = await NodeTool.RunAsync(folder, "audit.mjs", "--strict", new Uri(Host.Http.BaseAddress!, "/graphql").ToString());

        Assert.True(exitCode == 0, $"graphql-http audits failed against the Helpline host:\n{output}");
        Assert.Contains(" 0 MUST failures, 0 SHOULD/MAY warnings", output);
    }
}
