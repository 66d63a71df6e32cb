namespace Helpline.LoadTests.Replay.Sources;

/// <summary>
/// A source file read row by row (streaming: nothing but the current row and the ids seen so far is kept).
/// Each data row yields one <see cref="ReadResult"/>. A problem that makes the rest of the file unreadable (a missing
/// required column, broken JSON) throws <see cref="ReplayInputException"/>.
/// </summary>
public interface IReplaySource
{
    /// <summary>Who the records come from.</summary>
    SourceProfile Profile { get; }

    /// <summary>Header oddities found and how they were handled (duplicate or missing optional columns, ...).</summary>
    IReadOnlyList<string> HeaderNotes { get; }

    /// <summary>
    /// Repeated keys inside records (Open311): how many occurrences beyond the first, in all records read so far;
    /// null for formats where keys cannot repeat.
    /// </summary>
    long? DuplicateKeys { get; }

    /// <summary>The same, per key name; null where <see cref="DuplicateKeys"/> is.</summary>
    IReadOnlyDictionary<string, long>? DuplicateKeysByName { get; }

    /// <summary>Whether the source keeps its own on-time verdict (Boston's OnTime_Status), so agreement is counted.</summary>
    bool HasVerdicts { get; }

    /// <summary>Reads the rows. Enumerate once.</summary>
    IEnumerable<ReadResult> ReadRows();
}

/// <summary>Opens the reader for a format.</summary>
public static class ReplaySources
{
    /// <summary>A reader of <paramref name="format"/> over <paramref name="stream"/> (left open), with the format's usual profile unless one is given.</summary>
    public static IReplaySource Open(ReplayFormat format, Stream stream, SourceProfile? profile = null)
    {
        profile ??= SourceProfile.For(format);
        return format switch
        {
            ReplayFormat.Boston311 => new Boston311Source(stream, profile),
            ReplayFormat.Nyc311 => new Nyc311Source(stream, profile),
            ReplayFormat.Open311 => new Open311Source(stream, profile),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }
}
