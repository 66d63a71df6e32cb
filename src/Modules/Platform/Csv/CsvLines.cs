using CsvHelper;

namespace Helpline.Platform.Csv;

/// <summary>What is wrong with a record's quoting.</summary>
public enum CsvQuoting
{
    /// <summary>Nothing (a stray quote inside an unquoted field is kept as text, as RFC 4180 readers commonly do).</summary>
    Ok,

    /// <summary>A quoted field is not closed: before the end of the line, or before the end of the file.</summary>
    NotClosed,

    /// <summary>Text follows the closing quote of a field, as in <c>"ab"c</c>; the field reads as <c>abc</c>.</summary>
    TextAfterClosingQuote,
}

/// <summary>One non-blank record of a CSV file.</summary>
/// <param name="Line">The 1-based line it starts on (the first line of the file is 1).</param>
/// <param name="Fields">Its fields, unquoted.</param>
/// <param name="Quoting">Whether its quoting is broken; the fields are then CsvHelper's best reading.</param>
public sealed record CsvLine(int Line, IReadOnlyList<string> Fields, CsvQuoting Quoting);

/// <summary>
/// The one CSV reader of the modules' files (reference data, holiday imports), on CsvHelper: comma-separated
/// fields, optionally double-quoted with <c>""</c> for a quote inside. Lines that hold only white space are skipped;
/// a malformed record is returned with its <see cref="CsvLine.Quoting"/> so that each caller words its own error
/// (naming its file and row).
/// </summary>
public static class CsvLines
{
    /// <summary>Reads every non-blank record of <paramref name="reader"/>; the header, if any, is the first.</summary>
    /// <param name="reader">The text; left open.</param>
    /// <param name="lineBreaksInQuotes">
    /// Whether a quoted field may span lines. When false every line is a record, and a quote left open at the end of
    /// a line is <see cref="CsvQuoting.NotClosed"/>.
    /// </param>
    public static IEnumerable<CsvLine> Read(TextReader reader, bool lineBreaksInQuotes)
    {
        // Keyed by the line the record starts on; the callback runs while the record is read, before Read returns it.
        var problems = new Dictionary<long, CsvQuoting>();
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = false,
            AllowLineBreaksInQuotes = lineBreaksInQuotes,
            SkipEmptyLines = false,
            TrackLineNumbers = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = m =>
            {
                var quoting = m.Reason switch
                {
                    CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.LineBreakInQuotes => CsvQuoting.NotClosed,
                    CsvMalformedReason.TextAfterClosingQuote => CsvQuoting.TextAfterClosingQuote,
                    _ => CsvQuoting.Ok,
                };
                if (quoting != CsvQuoting.Ok)
                {
                    problems.TryAdd(m.LineNumber, quoting);
                }
            },
        };

        using var csv = CsvReader.Create(reader, options, leaveOpen: true);
        while (csv.Read())
        {
            if (IsBlank(csv.RawRecord))
            {
                continue;
            }

            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i) ?? string.Empty;
            }

            var line = csv.LineNumber;
            yield return new CsvLine(checked((int)line), fields, problems.GetValueOrDefault(line, CsvQuoting.Ok));
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> raw)
    {
        foreach (var b in raw)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
