using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using Helpline.Host;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.GraphQLSchema;

/// <summary>
/// The served schema is a contract with partner portals: it must match the checked-in <c>schema.graphql</c> at the
/// repository root. A deliberate change is made by refreshing the file (see <see cref="RefreshVariable"/>) and
/// reviewing the diff with the change.
/// </summary>
public sealed class SchemaContractTests
{
    /// <summary>Set to 1 to rewrite <c>schema.graphql</c> from the served schema instead of comparing.</summary>
    public const string RefreshVariable = "HELPLINE_UPDATE_SCHEMA";

    [Fact]
    public async Task Served_schema_matches_the_checked_in_schema_graphql()
    {
        var served = await PrintServedSchemaAsync();
        var file = Path.Combine(RepositoryRoot(), "schema.graphql");

        if (Environment.GetEnvironmentVariable(RefreshVariable) == "1")
        {
            await File.WriteAllTextAsync(file, served, TestContext.Current.CancellationToken);
            return;
        }

        Assert.True(File.Exists(file), $"{file} is missing. Create it with: {RefreshVariable}=1 ./helpline test --filter-class \"*SchemaContractTests\"");
        var checkedIn = (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).ReplaceLineEndings("\n");
        if (checkedIn != served)
        {
            Assert.Fail(
                $"The served GraphQL schema differs from {file} (first difference at line {FirstDifferentLine(checkedIn, served)}).\n" +
                $"If the change is intended, refresh the file and commit it with the change:\n" +
                $"  {RefreshVariable}=1 ./helpline test --filter-class \"*SchemaContractTests\"\n" +
                "then review `git diff schema.graphql` (removed or renamed fields and arguments break partner portals).");
        }
    }

    /// <summary>Builds the real host (without starting it: no database is touched) and prints its schema as SDL.</summary>
    internal static async Task<string> PrintServedSchemaAsync()
    {
        var builder = HelplineHost.CreateBuilder(["--HELPLINE_DB=Host=127.0.0.1;Port=1;Database=unused", "--Logging:LogLevel:Default=Warning"]);
        await using var app = builder.Build();
        var schema = app.Services.GetRequiredService<ISchema>();
        return schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true, StringComparison = StringComparison.Ordinal }).ReplaceLineEndings("\n") + "\n";
    }

    private static int FirstDifferentLine(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length || i >= b.Length || a[i] != b[i])
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Helpline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Helpline.sln not found above " + AppContext.BaseDirectory);
    }
}
