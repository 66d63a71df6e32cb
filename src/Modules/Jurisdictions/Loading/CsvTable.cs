using System.Text;
using Helpline.Platform.Csv;

namespace Helpline.Jurisdictions.Loading;

/// <summary>One data row of a CSV file and the physical line it starts on (the header is line 1).</summary>
internal sealed record CsvRow(int Line, string[] Fields);

/// <summary>
/// The shipped LGD files as a table (read by <see cref="CsvLines"/>), tolerant of what they actually contain: a
/// byte-order mark, CRLF or LF line ends, quoted fields (which may span lines), blank lines, header names with stray spaces or different case, and repeated
/// header names (the blocks file has <c>Block Name </c> and an empty <c>Block Name</c>).
/// </summary>
internal sealed class CsvTable
{
    private readonly string[] _headers;

    private CsvTable(string fileName, string[] headers, List<CsvRow> rows)
    {
        FileName = fileName;
        _headers = headers;
        Rows = rows;
    }

    internal string FileName { get; }

    internal IReadOnlyList<CsvRow> Rows { get; }

    /// <summary>Reads the whole file; the first non-blank record is the header.</summary>
    /// <exception cref="InvalidDataException">The file is empty or has an unterminated quoted field.</exception>
    internal static CsvTable Parse(string fileName, TextReader reader)
    {
        var records = ReadRecords(fileName, reader);
        if (records.Count == 0)
        {
            throw new InvalidDataException($"{fileName}: the file is empty.");
        }

        var headers = records[0].Fields.Select(NormaliseHeader).ToArray();
        return new CsvTable(fileName, headers, records.GetRange(1, records.Count - 1));
    }

    /// <summary>All columns whose header is one of <paramref name="names"/> (compared after normalising).</summary>
    /// <exception cref="InvalidDataException">No column has any of the names.</exception>
    internal Column Require(params string[] names)
    {
        var wanted = names.Select(NormaliseHeader).ToHashSet(StringComparer.Ordinal);
        var indexes = Enumerable.Range(0, _headers.Length).Where(i => wanted.Contains(_headers[i])).ToArray();
        if (indexes.Length == 0)
        {
            throw new InvalidDataException(
                $"{FileName}: no column named {string.Join(" or ", names.Select(n => $"'{n}'"))}; the header is: {string.Join(", ", _headers)}.");
        }

        return new Column(names[0], indexes);
    }

    /// <summary>Header text trimmed, inner white space collapsed to one space, lower-cased.</summary>
    internal static string NormaliseHeader(string header) => CollapseSpaces(header.Trim('\uFEFF', ' ', '\t')).ToLowerInvariant();

    /// <summary>Trims and collapses runs of white space to one space.</summary>
    internal static string CollapseSpaces(string value)
    {
        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && sb.Length > 0)
            {
                sb.Append(' ');
            }

            space = false;
            sb.Append(c);
        }

        return sb.ToString();
    }

    private static List<CsvRow> ReadRecords(string fileName, TextReader reader)
    {
        var records = new List<CsvRow>();
        foreach (var line in CsvLines.Read(reader, lineBreaksInQuotes: true))
        {
            // Text after a closing quote is kept ("ab"c reads as abc); only a quote left open to the end of the file is fatal.
            if (line.Quoting == CsvQuoting.NotClosed)
            {
                throw new InvalidDataException($"{fileName}, line {line.Line}: a quoted field is not closed.");
            }

            records.Add(new CsvRow(line.Line, [.. line.Fields]));
        }

        return records;
    }
}

/// <summary>A logical column: the indexes of every header carrying its name. The first non-blank value wins.</summary>
internal sealed record Column(string Name, int[] Indexes)
{
    /// <summary>The trimmed, space-collapsed value, or an empty string when every matching field is blank or missing.</summary>
    internal string In(CsvRow row)
    {
        foreach (var index in Indexes)
        {
            if (index < row.Fields.Length)
            {
                var value = CsvTable.CollapseSpaces(row.Fields[index]);
                if (value.Length > 0)
                {
                    return value;
                }
            }
        }

        return string.Empty;
    }
}
