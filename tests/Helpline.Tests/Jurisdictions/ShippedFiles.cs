namespace Helpline.Tests.Jurisdictions;

/// <summary>
/// The jurisdiction files as shipped in src/Modules/Jurisdictions/Data, read with plain line splitting, independently
/// of the loader's CSV reader. The files contain no quoted fields (checked), so splitting on commas is exact.
/// </summary>
internal static class ShippedFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string DataDirectory => Path.Combine(RepositoryRoot, "src", "Modules", "Jurisdictions", "Data");

    /// <summary>Data rows (header dropped, blank lines ignored), each split on commas.</summary>
    public static IReadOnlyList<string[]> Rows(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(DataDirectory, file))
            .Where(l => l.Trim().Length > 0)
            .ToList();
        Assert.DoesNotContain(lines, l => l.Contains('"', StringComparison.Ordinal));
        return [.. lines.Skip(1).Select(l => l.Split(',').Select(f => f.Trim()).ToArray())];
    }

    private static string FindRoot()
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
