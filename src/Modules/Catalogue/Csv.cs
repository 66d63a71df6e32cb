using System.Text;

namespace Helpline.Catalogue;

/// <summary>One record of a CSV file and the 1-based line it was read from (the header is line 1).</summary>
internal sealed record CsvRecord(int Row, IReadOnlyList<string> Fields);

/// <summary>
/// A small RFC 4180 reader for the shipped catalogue files: comma-separated fields, optionally double-quoted with
/// <c>""</c> for a quote inside; one record per line (no line breaks inside fields); blank lines are skipped.
/// </summary>
internal static class Csv
{
    /// <summary>Reads every non-blank line of <paramref name="reader"/> as one record.</summary>
    /// <exception cref="InvalidDataException">A quoted field is malformed; the message names the file and row.</exception>
    public static IEnumerable<CsvRecord> Read(TextReader reader, string fileName)
    {
        var row = 0;
        while (reader.ReadLine() is { } line)
        {
            row++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return new CsvRecord(row, Split(line, fileName, row));
        }
    }

    private static List<string> Split(string line, string fileName, int row)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new InvalidDataException($"{fileName}, row {row}: a quoted field is not closed (field {fields.Count + 1}).");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i]);
                    i++;
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw new InvalidDataException($"{fileName}, row {row}: unexpected text after the closing quote of field {fields.Count + 1}.");
                }
            }
            else
            {
                var end = line.IndexOf(',', i);
                if (end < 0)
                {
                    end = line.Length;
                }

                field.Append(line, i, end - i);
                i = end;
            }

            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return fields;
            }

            i++; // the comma
        }
    }
}
