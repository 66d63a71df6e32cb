using System.Text.RegularExpressions;

namespace Helpline.ArchitectureTests;

/// <summary>
/// One database, one schema per module: a module's SQL (its migration scripts and the SQL text in its C# source)
/// never names another module's schema. The schemas platform, orleans and quartz are infrastructure
/// (Platform and the host own them) and are not checked.
/// </summary>
public sealed partial class SqlSchemaTests
{
    [Theory]
    [MemberData(nameof(HelplineModules.Names), MemberType = typeof(HelplineModules))]
    public void NamesNoOtherModulesSchema(string moduleName)
    {
        var module = HelplineModules.Named(moduleName);
        var others = HelplineModules.All.Where(m => m != module && m.Schema is not null).Select(m => m.Schema!).ToArray();
        var qualified = QualifiedNameIn(others);

        var offences = new List<string>();
        foreach (var file in SourceFiles(module))
        {
            var lines = File.ReadAllLines(file);
            var isSql = file.EndsWith(".sql", StringComparison.Ordinal);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = StripComment(lines[i], isSql);
                foreach (Match m in qualified.Matches(code))
                {
                    offences.Add($"{Path.GetRelativePath(RepositoryRoot.Path, file)}:{i + 1} names schema '{m.Groups[1].Value}': {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offences.Count == 0,
            $"Helpline.{module.Name} names other modules' schemas (read them through the owning module's contract):\n  {string.Join("\n  ", offences)}");
    }

    [Fact]
    public void TheScanSeesEveryModulesSources()
    {
        foreach (var module in HelplineModules.All)
        {
            Assert.True(SourceFiles(module).Any(f => f.EndsWith(".cs", StringComparison.Ordinal)), $"no C# source found under {module.SourceDirectory}");
        }

        Assert.Contains(SourceFiles(HelplineModules.Grievances), f => f.EndsWith(".sql", StringComparison.Ordinal));
    }

    [Fact]
    public void TheScanCatchesAQualifiedNameAndIgnoresComments()
    {
        var qualified = QualifiedNameIn(["grievances", "sla"]);
        Assert.Matches(qualified, "select g.id from grievances.grievance g");
        Assert.Matches(qualified, "join \"sla\".\"holiday\" h on true");
        Assert.DoesNotMatch(qualified, "using Helpline.Grievances.Contracts;");
        Assert.DoesNotMatch(qualified, "[Alias(\"helpline.sla-allowance\")]");
        Assert.Equal("select * from grievances.grievance", StripComment("select * from grievances.grievance -- read", isSql: true).TrimEnd());
        Assert.Equal(string.Empty, StripComment("/// reads <c>grievances.grievance</c>", isSql: false).Trim());
    }

    // A schema-qualified name, quoted or not: grievances.grievance, "sla"."holiday". Not a .NET name (Helpline.Sla) or an alias (helpline.sla-x).
    private static Regex QualifiedNameIn(IEnumerable<string> schemas) =>
        new($@"(?<![\w.""])""?({string.Join('|', schemas)})""?\.""?[a-z_]", RegexOptions.CultureInvariant);

    private static IEnumerable<string> SourceFiles(HelplineModule module) =>
        Directory.EnumerateFiles(module.SourceDirectory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal))
            .Where(f => !IsBuildOutput(Path.GetRelativePath(module.SourceDirectory, f)));

    private static bool IsBuildOutput(string relative) =>
        relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    // Comments may mention other schemas (to explain that they are not used); only code counts. A comment marker
    // inside a string literal is rare enough in this code base to be ignored.
    private static string StripComment(string line, bool isSql)
    {
        var marker = line.IndexOf(isSql ? "--" : "//", StringComparison.Ordinal);
        return marker < 0 ? line : line[..marker];
    }
}
