namespace Helpline.LoadTests.Replay.Sources;

/// <summary>What a source's status field says about a case.</summary>
public enum CaseState
{
    /// <summary>Blank.</summary>
    Missing,

    /// <summary>A value the source does not use.</summary>
    Unknown,

    /// <summary>Still open (for NYC: any status but Closed).</summary>
    Open,

    /// <summary>Closed.</summary>
    Closed,
}

/// <summary>The fields of one data row, taken from the source's columns or keys, before any rule is applied.</summary>
public sealed class RowFields
{
    public required long Row { get; init; }

    public required long Line { get; init; }

    public required string Raw { get; init; }

    public string? SourceId { get; init; }

    public string? OpenedAt { get; init; }

    public string? DueAt { get; init; }

    public string? ClosedAt { get; init; }

    public required CaseState State { get; init; }

    public string? StatusText { get; init; }

    public string? Department { get; init; }

    /// <summary>Whether a blank department takes the profile's default (Open311, whose records may name no agency).</summary>
    public bool DepartmentMayDefault { get; init; }

    public string? Category { get; init; }

    public string? Area { get; init; }

    public string? Description { get; init; }

    public string? Closure { get; init; }

    /// <summary>The source's own verdict column (Boston's OnTime_Status), or null when the source has none.</summary>
    public string? Verdict { get; init; }
}

/// <summary>
/// The rules every format shares, applied in this order; the first that fails names the reject reason:
/// missing_id, duplicate_id (an id seen on an earlier row, whatever became of that row), missing_registered_at,
/// unparsable_registered_at, missing_status, unknown_status, unparsable_due_at, then for closed cases
/// closed_without_date, unparsable_closed_at, closed_before_opened; then missing_department, missing_category,
/// too_long. A case whose status is open keeps no closing date even when the row has one (note
/// open_with_closed_date): the status is the source's current word on the case, a date left behind is not.
/// </summary>
public sealed class RecordRules
{
    /// <summary>Longest description and closure note the server takes; longer text is cut (note truncated_text).</summary>
    public const int MaxText = 4000;

    private readonly HashSet<string> _seenIds = new(StringComparer.Ordinal);
    private readonly SourceProfile _profile;
    private readonly TimeZoneInfo _zone;

    public RecordRules(SourceProfile profile)
    {
        _profile = profile;
        _zone = SourceTime.FindZone(profile.TimeZoneId);
    }

    public SourceProfile Profile => _profile;

    /// <summary>Applies the rules to one row; remembers its id for duplicate detection.</summary>
    public ReadResult Apply(RowFields f)
    {
        var id = Clean(f.SourceId);
        if (id is null)
        {
            return Reject(f, null, RejectReasons.MissingId, "no source id");
        }

        if (!_seenIds.Add(id))
        {
            return Reject(f, id, RejectReasons.DuplicateId, $"source id {id} appeared on an earlier row");
        }

        var notes = new List<string>();
        var openedText = Clean(f.OpenedAt);
        if (openedText is null)
        {
            return Reject(f, id, RejectReasons.MissingRegisteredAt, "no opening time");
        }

        if (!SourceTime.TryParse(openedText, _zone, out var opened))
        {
            return Reject(f, id, RejectReasons.UnparsableRegisteredAt, $"opening time '{openedText}' is not a date and time");
        }

        Note(notes, opened);
        switch (f.State)
        {
            case CaseState.Missing:
                return Reject(f, id, RejectReasons.MissingStatus, "no status");
            case CaseState.Unknown:
                return Reject(f, id, RejectReasons.UnknownStatus, $"status '{f.StatusText}' is not one the source uses");
        }

        DateTimeOffset? due = null;
        var dueText = Clean(f.DueAt);
        if (dueText is not null)
        {
            if (!SourceTime.TryParse(dueText, _zone, out var dueInstant))
            {
                return Reject(f, id, RejectReasons.UnparsableDueAt, $"due date '{dueText}' is not a date and time");
            }

            Note(notes, dueInstant);
            due = dueInstant.Utc;
            if (due < opened.Utc)
            {
                notes.Add(RowNotes.DueBeforeRegistered);
            }
        }

        DateTimeOffset? closed = null;
        var closedText = Clean(f.ClosedAt);
        if (f.State == CaseState.Closed)
        {
            if (closedText is null)
            {
                return Reject(f, id, RejectReasons.ClosedWithoutDate, $"status '{f.StatusText}' but no closing date");
            }

            if (!SourceTime.TryParse(closedText, _zone, out var closedInstant))
            {
                return Reject(f, id, RejectReasons.UnparsableClosedAt, $"closing date '{closedText}' is not a date and time");
            }

            if (closedInstant.Utc < opened.Utc)
            {
                return Reject(f, id, RejectReasons.ClosedBeforeOpened, $"closed {SourceTime.Format(closedInstant.Utc)} before opened {SourceTime.Format(opened.Utc)}");
            }

            Note(notes, closedInstant);
            closed = closedInstant.Utc;
        }
        else if (closedText is not null)
        {
            notes.Add(RowNotes.OpenWithClosedDate);
        }

        var department = Clean(f.Department);
        if (department is null)
        {
            if (!f.DepartmentMayDefault)
            {
                return Reject(f, id, RejectReasons.MissingDepartment, "no department or agency");
            }

            department = _profile.DefaultDepartment;
            notes.Add(RowNotes.DefaultDepartment);
        }

        var category = Clean(f.Category);
        if (category is null)
        {
            return Reject(f, id, RejectReasons.MissingCategory, "no case type");
        }

        if (id.Length > 100 || department.Length > 100 || category.Length > 200)
        {
            var what = id.Length > 100 ? $"source id ({id.Length} characters, at most 100)"
                : department.Length > 100 ? $"department ({department.Length} characters, at most 100)"
                : $"category ({category.Length} characters, at most 200)";
            return Reject(f, id, RejectReasons.TooLong, what);
        }

        var description = Clean(f.Description);
        if (description is null)
        {
            description = category;
            notes.Add(RowNotes.DescriptionFromCategory);
        }

        var closure = closed is null ? null : Clean(f.Closure);
        if (description.Length > MaxText || closure?.Length > MaxText)
        {
            notes.Add(RowNotes.Truncated);
            description = Cut(description);
            closure = closure is null ? null : Cut(closure);
        }

        SourceVerdict? verdict = null;
        var verdictText = Clean(f.Verdict);
        if (verdictText is not null)
        {
            verdict = verdictText.ToUpperInvariant() switch
            {
                "ONTIME" => SourceVerdict.OnTime,
                "OVERDUE" => SourceVerdict.Overdue,
                _ => null,
            };
            if (verdict is null)
            {
                notes.Add(RowNotes.UnknownVerdict);
            }
        }

        var record = new ReplayRecord(
            _profile.Code, _profile.Name, _profile.TimeZoneId, id, department, category, Clean(f.Area), description,
            opened.Utc, due, closed, closure);
        return ReadResult.Accept(new SourceRow(f.Row, f.Line, record, verdict, f.Raw, notes));
    }

    /// <summary>Trims; blank becomes null.</summary>
    public static string? Clean(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static string Cut(string text) => text.Length <= MaxText ? text : text[..MaxText];

    private static void Note(List<string> notes, SourceInstant instant)
    {
        switch (instant.Kind)
        {
            case LocalTimeKind.GapShifted:
                notes.Add(RowNotes.DstGapShifted);
                break;
            case LocalTimeKind.AmbiguousEarlier:
                notes.Add(RowNotes.DstAmbiguousEarlier);
                break;
        }
    }

    private static ReadResult Reject(RowFields f, string? id, string reason, string detail) =>
        ReadResult.Reject(new RowReject(f.Row, f.Line, id, reason, detail, f.Raw));
}
