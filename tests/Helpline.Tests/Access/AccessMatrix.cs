using Helpline.Platform.Access;

namespace Helpline.Tests.Access;

/// <summary>
/// The README's table of who may do what (section "Who may do what"), read as the tests' expectation: one row per root
/// field (<c>`query grievance`</c>, <c>`mutation resolveGrievance`</c>), one column per role named as in tokens; a cell
/// with an en dash is refused, any other text is allowed.
/// </summary>
internal static class AccessMatrix
{
    private const string Refused = "–";

    /// <summary>A row: the root type (<c>query</c>, <c>mutation</c> or <c>subscription</c>), the field, and the roles allowed.</summary>
    public sealed record Row(string Kind, string Field, IReadOnlySet<Role> Allowed, int Line)
    {
        public string Operation => $"{Kind} {Field}";
    }

    public static string ReadmePath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Helpline.sln")) && File.Exists(Path.Combine(dir.FullName, "README.md")))
                {
                    return Path.Combine(dir.FullName, "README.md");
                }
            }

            throw new InvalidOperationException("README.md beside Helpline.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Every row of the table, in README order (duplicates kept, so that a test can refuse them).</summary>
    public static IReadOnlyList<Row> Read() => Parse(File.ReadAllLines(ReadmePath));

    public static IReadOnlyList<Row> Parse(IReadOnlyList<string> lines)
    {
        var header = -1;
        for (var i = 0; i < lines.Count && header < 0; i++)
        {
            if (Cells(lines[i]) is [ "operation", .. ] cells && cells.Length > 1 && cells.Skip(1).All(c => c == "public" || RoleNames.TryParse(c, out _)))
            {
                header = i;
            }
        }

        if (header < 0)
        {
            throw new InvalidOperationException("The README has no table whose header is '| operation | public | agent | ... |'.");
        }

        var roles = Cells(lines[header]).Skip(1).Select(c => c == "public" ? Role.Public : Parse(c)).ToArray();
        if (roles.Length != RoleNames.All.Count || roles.Distinct().Count() != roles.Length)
        {
            throw new InvalidOperationException($"The matrix header must name each of the {RoleNames.All.Count} roles once: {lines[header]}");
        }

        var rows = new List<Row>();
        for (var i = header + 2; i < lines.Count && lines[i].TrimStart().StartsWith('|'); i++)
        {
            var cells = Cells(lines[i]);
            var operation = cells[0].Trim('`').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (operation is not [("query" or "mutation" or "subscription") and var kind, var field] || cells.Length != roles.Length + 1)
            {
                throw new InvalidOperationException($"README line {i + 1}: a row must be '| `query field` |', '| `mutation field` |' or '| `subscription field` |' and one cell per role: {lines[i]}");
            }

            var allowed = new HashSet<Role>();
            for (var c = 0; c < roles.Length; c++)
            {
                if (cells[c + 1].Length == 0)
                {
                    throw new InvalidOperationException($"README line {i + 1}: the cell for {RoleNames.NameOf(roles[c])} is empty; write '–' or what is allowed.");
                }

                if (cells[c + 1] != Refused)
                {
                    allowed.Add(roles[c]);
                }
            }

            rows.Add(new Row(kind, field, allowed, i + 1));
        }

        return rows;
    }

    private static Role Parse(string name) =>
        RoleNames.TryParse(name, out var role) ? role : throw new InvalidOperationException($"Unknown role '{name}' in the matrix header.");

    private static string[] Cells(string line)
    {
        var trimmed = line.Trim();
        if (!trimmed.StartsWith('|') || !trimmed.EndsWith('|') || trimmed.Length < 2)
        {
            return [];
        }

        return [.. trimmed[1..^1].Split('|').Select(c => c.Trim())];
    }
}
