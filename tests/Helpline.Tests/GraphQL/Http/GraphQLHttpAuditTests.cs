using Helpline.GraphQL.Http;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>
/// The npm graphql-http server audits (tests/graphql-http-audit, strict: a failed SHOULD fails the run) against the
/// transport on a real port with a small test schema. The real host's run is <see cref="HelplineGraphQLAuditTests"/>.
/// </summary>
public sealed class GraphQLHttpAuditTests
{
    [Fact]
    public async Task Every_must_and_should_audit_passes_with_the_default_options()
    {
        var (exitCode, output) = await RunAuditAsync(configure: null);

        Assert.True(exitCode == 0, $"graphql-http audits failed:\n{output}");
        Assert.Contains(" 0 MUST failures, 0 SHOULD/MAY warnings", output);
    }

    [Fact]
    public async Task Strict_audit_fails_on_the_should_audits_when_wildcards_get_the_spec_type()
    {
        var (exitCode, output) = await RunAuditAsync(options => options.PreferApplicationJsonForWildcards = false);

        Assert.Equal(1, exitCode);
        Assert.Contains(" 0 MUST failures, 2 SHOULD/MAY warnings", output);
        Assert.Contains("WARN 47DE", output);
        Assert.Contains("WARN 80D8", output);
    }

    private static async Task<(int ExitCode, string Output)> RunAuditAsync(Action<GraphQLHttpOptions>? configure)
    {
        var folder = NodeTool.Folder(Path.Combine("tests", "graphql-http-audit"), "graphql-http");
        await using var host = await GraphQLTestHost.StartAsync(configure, kestrel: true);
        return await NodeTool.RunAsync(folder, "audit.mjs", "--strict", host.Url.ToString());
    }
}
