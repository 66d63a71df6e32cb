using Helpline.Platform.Csv;

namespace Helpline.Catalogue;

/// <summary>One record of a CSV file and the 1-based line it was read from (the header is line 1).</summary>
internal sealed record CsvRecord(int Row, IReadOnlyList<string> Fields);

/// <summary>
/// The shipped catalogue files as records (<see cref="CsvLines"/>): one record per line (no line breaks inside
/// fields); blank lines are skipped.
/// </summary>
internal static class Csv
{
    /// <summary>Reads every non-blank line of <paramref name="reader"/> as one record.</summary>
    /// <exception cref="InvalidDataException">A quoted field is malformed; the message names the file and row.</exception>
    public static IEnumerable<CsvRecord> Read(TextReader reader, string fileName) =>
        CsvLines.Read(reader, lineBreaksInQuotes: false).Select(line => line.Quoting switch
        {
            // Without line breaks in quotes, the field left open is the line's last.
            CsvQuoting.NotClosed => throw new InvalidDataException($"{fileName}, row {line.Line}: a quoted field is not closed (field {line.Fields.Count})."),
            CsvQuoting.TextAfterClosingQuote => throw new InvalidDataException($"{fileName}, row {line.Line}: unexpected text after the closing quote of a field."),
            _ => new CsvRecord(line.Line, line.Fields),
        });
}
