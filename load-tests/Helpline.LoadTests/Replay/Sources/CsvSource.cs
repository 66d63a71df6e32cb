using System.Text;
using CsvHelper;

namespace Helpline.LoadTests.Replay.Sources;

/// <summary>A column a CSV format reads: its name in the exports and other names it goes by; whether the file must have it.</summary>
public sealed record CsvColumn(string Name, bool Required, params string[] Aliases)
{
    /// <summary>Header names are matched trimmed, without case, ignoring spaces, underscores and hyphens.</summary>
    public static string Key(string header)
    {
        var builder = new StringBuilder(header.Length);
        foreach (var c in header.Trim().TrimStart('\uFEFF'))
        {
            if (c is not (' ' or '_' or '-'))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}

/// <summary>
/// The CSV machinery shared by the CSV formats (CsvHelper underneath, streaming). The header is matched loosely
/// (see <see cref="CsvColumn.Key"/>); a column that appears twice is read from its first occurrence; a missing
/// optional column reads as blank; a missing required column stops the run. Each data row is then checked, in this
/// order: blank_row, repeated_header (a copy of the header among the data), malformed_quoting, wrong_field_count;
/// then the format maps it and <see cref="RecordRules"/> applies.
/// </summary>
public abstract class CsvSource : IReplaySource
{
    private readonly Stream _stream;
    private readonly List<string> _headerNotes = [];
    private readonly RecordRules _rules;

    protected CsvSource(Stream stream, SourceProfile profile)
    {
        _stream = stream;
        _rules = new RecordRules(profile);
    }

    public SourceProfile Profile => _rules.Profile;

    public IReadOnlyList<string> HeaderNotes => _headerNotes;

    public long? DuplicateKeys => null;

    public IReadOnlyDictionary<string, long>? DuplicateKeysByName => null;

    public virtual bool HasVerdicts => false;

    /// <summary>The columns the format reads.</summary>
    protected abstract IReadOnlyList<CsvColumn> Columns { get; }

    /// <summary>Maps one well-formed row; <paramref name="get"/> returns a column's value by <see cref="CsvColumn.Name"/> (null when the file lacks it).</summary>
    protected abstract RowFields Map(long row, long line, string raw, Func<string, string?> get);

    public IEnumerable<ReadResult> ReadRows()
    {
        var malformedLines = new HashSet<long>();
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            SkipEmptyLines = false,
            TrackLineNumbers = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = m =>
            {
                if (m.Reason != CsvMalformedReason.FieldCountMismatch)
                {
                    malformedLines.Add(m.LineNumber);
                }
            },
        };

        using var csv = CsvReader.Create(_stream, options, leaveOpen: true);
        var headers = ReadHeader(csv);
        var index = ResolveColumns(headers);
        var headerKeys = headers.Select(CsvColumn.Key).ToArray();
        var idColumn = Columns[0].Name;
        long row = 0;
        while (Next(csv))
        {
            row++;
            var line = csv.LineNumber;
            var raw = Encoding.UTF8.GetString(csv.RawRecord);
            var count = csv.FieldCount;
            string? Get(string name) => index.TryGetValue(name, out var i) && i < count ? csv.GetString(i) : null;

            if (count == 0 || (count == 1 && csv.IsEmpty(0)))
            {
                yield return Reject(row, line, null, RejectReasons.BlankRow, "empty line", raw);
                continue;
            }

            if (count == headerKeys.Length && Enumerable.Range(0, count).All(i => CsvColumn.Key(csv.GetString(i) ?? "") == headerKeys[i]))
            {
                yield return Reject(row, line, null, RejectReasons.RepeatedHeader, "a copy of the header row", raw);
                continue;
            }

            if (malformedLines.Contains(line))
            {
                yield return Reject(row, line, RecordRules.Clean(Get(idColumn)), RejectReasons.MalformedQuoting, "broken quoting", raw);
                continue;
            }

            if (count != headerKeys.Length)
            {
                yield return Reject(row, line, RecordRules.Clean(Get(idColumn)), RejectReasons.WrongFieldCount, $"{count} fields, the header has {headerKeys.Length}", raw);
                continue;
            }

            yield return _rules.Apply(Map(row, line, raw, Get));
        }
    }

    private static bool Next(CsvReader csv)
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException ex)
        {
            throw new ReplayInputException($"the CSV cannot be read any further: {ex.Message}", ex.LineNumber, ex);
        }
    }

    private static string[] ReadHeader(CsvReader csv)
    {
        try
        {
            csv.ReadHeader();
            var headers = csv.Headers.ToArray();
            if (headers.Length == 0 || headers.All(string.IsNullOrWhiteSpace))
            {
                throw new ReplayInputException("the file has no header row", 1);
            }

            return headers;
        }
        catch (CsvFormatException ex)
        {
            throw new ReplayInputException($"the header row cannot be read: {ex.Message}", 1, ex);
        }
    }

    private Dictionary<string, int> ResolveColumns(string[] headers)
    {
        var firstByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Length; i++)
        {
            var key = CsvColumn.Key(headers[i]);
            if (key.Length == 0)
            {
                _headerNotes.Add($"column {i + 1} has no name; it is not read");
            }
            else if (!firstByKey.TryAdd(key, i))
            {
                _headerNotes.Add($"column {i + 1} '{headers[i]}' repeats column {firstByKey[key] + 1}; the first is read");
            }
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var column in Columns)
        {
            var found = new[] { column.Name }.Concat(column.Aliases).Select(CsvColumn.Key)
                .Select(k => firstByKey.TryGetValue(k, out var i) ? i : -1).FirstOrDefault(i => i >= 0, -1);
            if (found >= 0)
            {
                index[column.Name] = found;
                if (headers[found] != column.Name)
                {
                    _headerNotes.Add($"column '{headers[found]}' read as {column.Name}");
                }
            }
            else if (column.Required)
            {
                missing.Add(column.Name);
            }
            else
            {
                _headerNotes.Add($"no column {column.Name}: read as blank");
            }
        }

        if (missing.Count > 0)
        {
            throw new ReplayInputException($"the header lacks required column(s) {string.Join(", ", missing)}", 1);
        }

        return index;
    }

    private static ReadResult Reject(long row, long line, string? id, string reason, string detail, string raw) =>
        ReadResult.Reject(new RowReject(row, line, id, reason, detail, raw));
}
