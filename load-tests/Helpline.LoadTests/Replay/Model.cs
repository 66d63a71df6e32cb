namespace Helpline.LoadTests.Replay;

/// <summary>One record as the server's <c>ImportGrievanceInput</c> takes it. Instants are UTC.</summary>
public sealed record ReplayRecord(
    string Source,
    string SourceName,
    string TimeZone,
    string SourceId,
    string Department,
    string Category,
    string? Area,
    string Description,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? ClosedAt,
    string? Closure);

/// <summary>The source's own verdict on a case, where it keeps one (Boston's OnTime_Status).</summary>
public enum SourceVerdict
{
    /// <summary>ONTIME.</summary>
    OnTime,

    /// <summary>OVERDUE.</summary>
    Overdue,
}

/// <summary>
/// A data row that became a record. <see cref="Row"/> is the 1-based data row (CSV: records after the header;
/// JSON: elements of the requests array); <see cref="Line"/> is the 1-based line of the file where it starts.
/// <see cref="Notes"/> name what was decided about the row without rejecting it (see <see cref="RowNotes"/>).
/// </summary>
public sealed record SourceRow(long Row, long Line, ReplayRecord Record, SourceVerdict? SourceVerdict, string Raw, IReadOnlyList<string> Notes);

/// <summary>A row that is not imported: where it is, its source id when known, why, and the row as it is in the file.</summary>
public sealed record RowReject(long Row, long Line, string? SourceId, string Reason, string Detail, string Raw);

/// <summary>What a source reader yields for each data row: a record or a reject, never both.</summary>
public sealed class ReadResult
{
    private ReadResult(SourceRow? accepted, RowReject? rejected)
    {
        Accepted = accepted;
        Rejected = rejected;
    }

    public SourceRow? Accepted { get; }

    public RowReject? Rejected { get; }

    public static ReadResult Accept(SourceRow row) => new(row, null);

    public static ReadResult Reject(RowReject reject) => new(null, reject);

    public override string ToString() => Accepted is { } a ? $"row {a.Row}: {a.Record.SourceId}" : $"row {Rejected!.Row}: {Rejected.Reason}";
}

/// <summary>Reasons a row is rejected before it is sent (the rejects file and <c>rejectedByReason</c> use these codes).</summary>
public static class RejectReasons
{
    /// <summary>A CSV line with no fields at all.</summary>
    public const string BlankRow = "blank_row";

    /// <summary>A CSV data row that repeats the header (files concatenated with their headers).</summary>
    public const string RepeatedHeader = "repeated_header";

    /// <summary>A CSV row whose quoting is broken (stray quote, text after a closing quote, unterminated quote).</summary>
    public const string MalformedQuoting = "malformed_quoting";

    /// <summary>A CSV row with more or fewer fields than the header.</summary>
    public const string WrongFieldCount = "wrong_field_count";

    /// <summary>A JSON element of the requests array that is not an object.</summary>
    public const string NotAnObject = "not_an_object";

    /// <summary>A JSON key repeated in one record with two different values.</summary>
    public const string ConflictingDuplicateKey = "conflicting_duplicate_key";

    /// <summary>No source id.</summary>
    public const string MissingId = "missing_id";

    /// <summary>A source id already seen earlier in the file (the first row with the id is the one that counts).</summary>
    public const string DuplicateId = "duplicate_id";

    /// <summary>No opening (registration) time.</summary>
    public const string MissingRegisteredAt = "missing_registered_at";

    /// <summary>An opening time that is not a date and time in an accepted format.</summary>
    public const string UnparsableRegisteredAt = "unparsable_registered_at";

    /// <summary>No status.</summary>
    public const string MissingStatus = "missing_status";

    /// <summary>A status the source does not use.</summary>
    public const string UnknownStatus = "unknown_status";

    /// <summary>A due date that is not a date and time.</summary>
    public const string UnparsableDueAt = "unparsable_due_at";

    /// <summary>A closing date of a closed case that is not a date and time.</summary>
    public const string UnparsableClosedAt = "unparsable_closed_at";

    /// <summary>A closed case without a closing date.</summary>
    public const string ClosedWithoutDate = "closed_without_date";

    /// <summary>A closed case whose closing instant is before its opening instant.</summary>
    public const string ClosedBeforeOpened = "closed_before_opened";

    /// <summary>No department or agency.</summary>
    public const string MissingDepartment = "missing_department";

    /// <summary>No case type.</summary>
    public const string MissingCategory = "missing_category";

    /// <summary>A source id over 100, department over 100 or category over 200 characters.</summary>
    public const string TooLong = "too_long";
}

/// <summary>What was decided about a row that is imported all the same (counted under <c>notes</c> in the report).</summary>
public static class RowNotes
{
    /// <summary>The status says open but a closing date is set: the status wins, the date is not sent.</summary>
    public const string OpenWithClosedDate = "open_with_closed_date";

    /// <summary>No title/descriptor/description: the category is sent as the description.</summary>
    public const string DescriptionFromCategory = "description_from_category";

    /// <summary>No agency in the record (Open311): the source's default department is sent.</summary>
    public const string DefaultDepartment = "default_department";

    /// <summary>The due date is before the opening time (kept as it is).</summary>
    public const string DueBeforeRegistered = "due_before_registered";

    /// <summary>A description or closure note over 4,000 characters was cut to 4,000.</summary>
    public const string Truncated = "truncated_text";

    /// <summary>A local time inside a spring-forward gap, shifted forward by the gap.</summary>
    public const string DstGapShifted = "dst_gap_shifted";

    /// <summary>An ambiguous local time (fall back), taken as the earlier instant (daylight time).</summary>
    public const string DstAmbiguousEarlier = "dst_ambiguous_earlier";

    /// <summary>A verdict column value that is neither ONTIME nor OVERDUE nor blank (treated as no verdict).</summary>
    public const string UnknownVerdict = "unknown_verdict";
}
