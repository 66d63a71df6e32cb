using System.Text.RegularExpressions;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.GraphQLSchema;

/// <summary>
/// Partner portals build on the last release's schema: <c>@graphql-inspector/cli</c> (tests/schema-contract) compares
/// the newest SDL in schema/releases/ with the served schema and any breaking change fails the run. A field is
/// deprecated first and removed only after a release that deprecates it (README: "Tests").
/// </summary>
public sealed partial class SchemaBreakingChangeTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("helpline-schema-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>The newest release's SDL: the file names are release dates (yyyy-MM-dd.graphql), so the last by name.</summary>
    private static string LastRelease()
    {
        var releases = Directory.GetFiles(Path.Combine(NodeTool.RepositoryRoot, "schema", "releases"), "*.graphql");
        Assert.NotEmpty(releases);
        return releases.Order(StringComparer.Ordinal).Last();
    }

    [Fact]
    public async Task The_served_schema_breaks_nothing_of_the_last_release()
    {
        var served = Path.Combine(_scratch, "served.graphql");
        await File.WriteAllTextAsync(served, await SchemaContractTests.PrintServedSchemaAsync(), TestContext.Current.CancellationToken);

        var (exitCode, report) = await DiffAsync(LastRelease(), served);

        Assert.True(exitCode == 0, $"The served schema breaks partner portals built on {Path.GetFileName(LastRelease())} " +
            $"(deprecate with @deprecated(reason: ...) instead of removing or renaming; README \"Tests\"):\n{report}");
    }

    [Fact]
    public async Task A_removed_field_is_reported_as_breaking()
    {
        var release = await File.ReadAllTextAsync(LastRelease(), TestContext.Current.CancellationToken);
        var field = FirstObjectField().Match(release);
        Assert.True(field.Success, "no object type with a field in the release SDL");
        var changed = Path.Combine(_scratch, "removed.graphql");
        await File.WriteAllTextAsync(changed, release.Remove(field.Groups["field"].Index, field.Groups["field"].Length), TestContext.Current.CancellationToken);

        var (exitCode, report) = await DiffAsync(LastRelease(), changed);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Field {field.Groups["name"].Value} was removed from object type {field.Groups["type"].Value}", report);
        Assert.Contains("Detected 1 breaking change", report);
    }

    [Fact]
    public async Task A_deprecated_field_is_not_breaking()
    {
        var release = await File.ReadAllTextAsync(LastRelease(), TestContext.Current.CancellationToken);
        var field = FirstObjectField().Match(release);
        Assert.True(field.Success, "no object type with a field in the release SDL");
        var line = field.Groups["field"];
        var changed = Path.Combine(_scratch, "deprecated.graphql");
        await File.WriteAllTextAsync(changed,
            release.Insert(line.Index + line.Length - 1, " @deprecated(reason: \"Use something else.\")"), TestContext.Current.CancellationToken);

        var (exitCode, report) = await DiffAsync(LastRelease(), changed);

        Assert.True(exitCode == 0, report);
        Assert.Contains($"{field.Groups["type"].Value}.{field.Groups["name"].Value} is deprecated", report);
    }

    private static Task<(int ExitCode, string Report)> DiffAsync(string before, string after) =>
        NodeTool.RunAsync(
            NodeTool.Folder(Path.Combine("tests", "schema-contract"), Path.Combine("@graphql-inspector", "cli")),
            Path.Combine("node_modules", "@graphql-inspector", "cli", "cjs", "index.js"), "diff", before, after);

    // The first field, with no description or arguments, of an object type with more fields: one line to drop or mark.
    [GeneratedRegex(@"^type (?<type>\w+)(?: implements [\w& ]+)? \{\n(?<field>  (?<name>\w+): [\w\[\]!]+\n)(?=  \w)", RegexOptions.Multiline)]
    private static partial Regex FirstObjectField();
}
