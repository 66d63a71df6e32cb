using System.Diagnostics;
using Helpline.GraphQL.Http;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>
/// Runs the npm graphql-http server audits (tests/graphql-http-audit) against the transport on a real port.
/// Explicit: they need node and <c>npm install</c> in that folder, so the main suite never runs them.
/// </summary>
public sealed class GraphQLHttpAuditTests
{
    [Fact(Explicit = true)]
    public async Task Graphql_http_server_audits_pass()
    {
        var (exitCode, output) = await RunAuditAsync(configure: null);

        Assert.True(exitCode == 0, $"MUST audits failed:\n{output}");
        Assert.Contains(" 0 MUST failures", output);
    }

    [Fact(Explicit = true)]
    public async Task Graphql_http_server_audits_have_no_warnings_when_wildcards_prefer_application_json()
    {
        var (exitCode, output) = await RunAuditAsync(options => options.PreferApplicationJsonForWildcards = true);

        Assert.True(exitCode == 0, $"MUST audits failed:\n{output}");
        Assert.Contains(" 0 SHOULD/MAY warnings", output);
    }

    private static async Task<(int ExitCode, string Output)> RunAuditAsync(Action<GraphQLHttpOptions>? configure)
    {
        var auditFolder = Path.Combine(RepositoryRoot(), "tests", "graphql-http-audit");
        Assert.True(Directory.Exists(Path.Combine(auditFolder, "node_modules", "graphql-http")), $"run 'npm install' in {auditFolder} first");
        await using var host = await GraphQLTestHost.StartAsync(configure, kestrel: true);

        var start = new ProcessStartInfo("node", ["audit.mjs", host.Url.ToString()])
        {
            WorkingDirectory = auditFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await node.WaitForExitAsync(TestContext.Current.CancellationToken);

        var text = await output + await errors;
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        return (node.ExitCode, text);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Helpline.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("Helpline.sln not found above " + AppContext.BaseDirectory);
    }
}
