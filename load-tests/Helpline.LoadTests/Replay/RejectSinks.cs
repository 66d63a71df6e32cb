using CsvHelper;

namespace Helpline.LoadTests.Replay;

/// <summary>Where rejected and failed rows go. Called from several threads.</summary>
public interface IRejectSink
{
    /// <summary>Records one row that is not in Helpline after the run, with why.</summary>
    void Write(RowReject reject);
}

/// <summary>Keeps rejects in memory (tests, the end-to-end test).</summary>
public sealed class RejectList : IRejectSink
{
    private readonly List<RowReject> _items = [];

    /// <summary>The rejects so far, in the order they were written.</summary>
    public IReadOnlyList<RowReject> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public void Write(RowReject reject)
    {
        lock (_items)
        {
            _items.Add(reject);
        }
    }
}

/// <summary>
/// The rejects file: CSV (RFC 4180, UTF-8) with columns row (1-based data row), line (1-based line of the file where
/// the row starts), source_id, reason, detail, raw (the row as it is in the file; for JSON the record re-written
/// compactly with its keys in order, repeated keys kept). Written as rows are rejected and flushed each time, so an
/// interrupted run leaves a complete file.
/// </summary>
public sealed class CsvRejectsFile : IRejectSink, IDisposable
{
    private static readonly string[] Header = ["row", "line", "source_id", "reason", "detail", "raw"];
    private readonly CsvWriter _writer;
    private readonly Lock _lock = new();

    public CsvRejectsFile(string path)
    {
        Path = path;
        _writer = CsvWriter.ToFile(path, CsvWriterOptions.Default with { NewLine = "\n" });
        _writer.WriteRecord(Header);
        _writer.Flush();
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    public void Write(RowReject reject)
    {
        lock (_lock)
        {
            _writer.WriteField(reject.Row.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _writer.WriteField(reject.Line.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _writer.WriteField(reject.SourceId ?? "");
            _writer.WriteField(reject.Reason);
            _writer.WriteField(reject.Detail);
            _writer.WriteField(reject.Raw);
            _writer.EndRecord();
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }
}
