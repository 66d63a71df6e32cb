using System.Collections.Frozen;
using Helpline.Platform.Csv;

namespace Helpline.PublicDirectory;

/// <summary>
/// Hindi forms of the seats' designations (Tehsildar: तहसीलदार), from <c>Data/designations-hi.csv</c>. A designation
/// the file does not know (a seat an administrator or an import added) has no Hindi form and is shown in English.
/// </summary>
internal sealed class Designations
{
    private readonly FrozenDictionary<string, string> _hindi;

    internal Designations(IEnumerable<KeyValuePair<string, string>> hindi) =>
        _hindi = hindi.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The designations shipped in the assembly.</summary>
    internal static Designations Shipped { get; } = Load();

    internal int Count => _hindi.Count;

    /// <summary>The Hindi form of <paramref name="title"/>, or null when none is known.</summary>
    internal string? Hindi(string title) => _hindi.GetValueOrDefault(title.Trim());

    private static Designations Load()
    {
        const string resource = "Helpline.PublicDirectory.Data.designations-hi.csv";
        using var stream = typeof(Designations).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The assembly has no resource '{resource}'.");
        using var reader = new StreamReader(stream);
        var rows = CsvLines.Read(reader, lineBreaksInQuotes: false).ToList();
        if (rows.Count == 0 || rows[0].Fields is not ["title", "title_hindi"])
        {
            throw new InvalidDataException($"{resource}: the header must be 'title,title_hindi'.");
        }

        return new Designations(rows.Skip(1).Select(r => r is { Quoting: CsvQuoting.Ok, Fields: [var en, var hi] } && en.Trim().Length > 0 && hi.Trim().Length > 0
            ? KeyValuePair.Create(en.Trim(), hi.Trim())
            : throw new InvalidDataException($"{resource}, line {r.Line}: expected a title and its Hindi form.")));
    }
}
