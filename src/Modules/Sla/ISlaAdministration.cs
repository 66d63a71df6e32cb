namespace Helpline.Sla;

/// <summary>
/// Changes SLA policies, calendars and holidays. Each call validates everything first, then writes to the database in
/// one transaction (all or nothing), then refreshes this process's <see cref="ISlaEngine"/> snapshot from the database,
/// so the change is in effect here when the task completes. Other processes pick it up at their next refresh
/// (at start-up, or when they make a change themselves).
/// </summary>
public interface ISlaAdministration
{
    /// <summary>
    /// Overrides the allowance of <paramref name="categoryId"/> at <paramref name="level"/> (1..4), replacing any earlier
    /// override, and then, when the stored override changed, tells every <see cref="ISlaPolicyChangeListener"/> (after the
    /// commit; a listener's failure fails the call, the change stays stored). Calling it again with the same values
    /// writes nothing and tells no one.
    /// </summary>
    /// <param name="categoryId">A category of the catalogue.</param>
    /// <param name="level">1 (L1) to 4 (L4).</param>
    /// <param name="allowance">Unit and amount.</param>
    /// <param name="warningShare">Share of the allowance after which the grievance is at risk, in (0, 1]; 0.75 by default.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored then.</param>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_CATEGORY</c> or <c>INVALID_VALUE</c> (level, allowance or share), naming the field.</exception>
    Task SetPolicyAsync(string categoryId, int level, SlaAllowance allowance, decimal warningShare = 0.75m, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the override of <paramref name="categoryId"/> at <paramref name="level"/>, so the catalogue default applies
    /// again, and then tells every <see cref="ISlaPolicyChangeListener"/> when one was removed.
    /// </summary>
    /// <returns>True when an override was removed.</returns>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_CATEGORY</c>, or <c>INVALID_VALUE</c> for the level.</exception>
    Task<bool> ResetPolicyAsync(string categoryId, int level, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds holidays, or renames the ones already stored for the same jurisdiction and date. Every holiday is validated
    /// first (known jurisdiction, non-blank name of at most 200 characters, year 2000..2100, no (jurisdiction, date) twice);
    /// if any is bad nothing is stored.
    /// </summary>
    /// <exception cref="HolidayImportException">Bad holidays; <see cref="HolidayImportException.Errors"/> gives each one's 1-based position and the reason.</exception>
    Task<HolidayChanges> AddHolidaysAsync(IEnumerable<Holiday> holidays, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports a holiday file (see <see cref="HolidayFileFormat"/> for the formats). Rows that name no jurisdiction get
    /// <paramref name="jurisdictionId"/>; a row with none and no <paramref name="jurisdictionId"/> is bad. Every row is
    /// validated first; if any is bad, nothing is stored and every bad row is reported.
    /// </summary>
    /// <param name="content">The file, UTF-8 (a byte-order mark is allowed).</param>
    /// <param name="format">CSV or iCalendar.</param>
    /// <param name="jurisdictionId">Scope of rows that name none, or null.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is stored then.</param>
    /// <exception cref="HolidayImportException">Bad rows, each with its row number and reason.</exception>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_JURISDICTION</c>: <paramref name="jurisdictionId"/> is unknown.</exception>
    Task<HolidayChanges> ImportHolidaysAsync(Stream content, HolidayFileFormat format, string? jurisdictionId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the holiday of <paramref name="jurisdictionId"/> on <paramref name="date"/>. A holiday of the shipped file
    /// comes back at the next start-up (the loader inserts what is missing); change the file to drop one for good.
    /// </summary>
    /// <returns>True when a holiday was removed.</returns>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_JURISDICTION</c>.</exception>
    Task<bool> RemoveHolidayAsync(string jurisdictionId, DateOnly date, CancellationToken cancellationToken = default);

    /// <summary>Creates a calendar, or changes the one with the same id (including <see cref="WorkingCalendar.DefaultId"/>).</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">
    /// <c>REQUIRED</c>, <c>TOO_LONG</c> or <c>INVALID_VALUE</c>, naming the field as <c>calendar.id</c>, <c>calendar.name</c>,
    /// <c>calendar.workingDays</c> or <c>calendar.closing</c> (see also <see cref="WorkingCalendar.Problem"/>).
    /// </exception>
    Task SaveCalendarAsync(WorkingCalendar calendar, CancellationToken cancellationToken = default);

    /// <summary>Makes <paramref name="calendarId"/> the calendar of <paramref name="jurisdictionId"/> and of every jurisdiction below it that has no nearer assignment.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_JURISDICTION</c>, or <c>INVALID_VALUE</c> for an unknown calendar.</exception>
    Task AssignCalendarAsync(string jurisdictionId, string calendarId, CancellationToken cancellationToken = default);
}

/// <summary>Holiday file formats.</summary>
public enum HolidayFileFormat
{
    /// <summary>
    /// CSV, UTF-8, comma-separated, fields optionally double-quoted (<c>""</c> for a quote), one record per line:
    /// <c>date,name[,jurisdiction_id]</c> with the date as <c>yyyy-MM-dd</c>. An optional header line whose first field
    /// is <c>date</c>. Blank lines are skipped. The row number is the line number (the header is line 1).
    /// </summary>
    Csv = 0,

    /// <summary>
    /// iCalendar (RFC 5545), read with Ical.Net: each VEVENT is a holiday named by its SUMMARY, on the DATE of its
    /// DTSTART (VALUE=DATE; a date-time is refused), and on every following day up to its DTEND exclusive when present
    /// (at most 31 days). The scope is the event's <c>X-HELPLINE-JURISDICTION</c> property when present. Recurring
    /// (RRULE, RDATE) and cancelled events are refused. The row number is the line of the event's <c>BEGIN:VEVENT</c>.
    /// </summary>
    ICalendar = 1,
}

/// <summary>What a holiday write changed.</summary>
/// <param name="Added">Holidays inserted.</param>
/// <param name="Renamed">Holidays already stored for that jurisdiction and date whose name changed.</param>
/// <param name="Unchanged">Holidays already stored exactly so.</param>
public sealed record HolidayChanges(int Added, int Renamed, int Unchanged);

/// <summary>One bad row of a holiday import.</summary>
/// <param name="Row">The row number (see <see cref="HolidayFileFormat"/>), the 1-based position for <see cref="ISlaAdministration.AddHolidaysAsync"/>, or 0 for the file as a whole.</param>
/// <param name="Reason">What is wrong, in English.</param>
public sealed record HolidayImportError(int Row, string Reason)
{
    /// <summary>For example "row 3: '2026-02-30' is not a date (yyyy-MM-dd)".</summary>
    public override string ToString() => Row == 0 ? Reason : $"row {Row}: {Reason}";
}

/// <summary>A holiday import was refused; nothing was stored. <see cref="Errors"/> lists every bad row.</summary>
public sealed class HolidayImportException : Exception
{
    /// <summary>Creates the exception for the given bad rows.</summary>
    public HolidayImportException(IReadOnlyList<HolidayImportError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates an exception with a message and no rows.</summary>
    public HolidayImportException()
        : this([])
    {
    }

    /// <summary>Creates an exception with one whole-file error.</summary>
    public HolidayImportException(string message)
        : this([new HolidayImportError(0, message)])
    {
    }

    /// <summary>Creates an exception with one whole-file error and its cause.</summary>
    public HolidayImportException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new HolidayImportError(0, message)];
    }

    /// <summary>Each bad row with its number and reason, in row order.</summary>
    public IReadOnlyList<HolidayImportError> Errors { get; }

    private static string Describe(IReadOnlyList<HolidayImportError> errors)
    {
        const int shown = 20;
        var lines = errors.Take(shown).Select(e => e.ToString());
        var more = errors.Count > shown ? $"; and {errors.Count - shown} more" : string.Empty;
        return $"Holiday import refused, nothing stored ({errors.Count} bad row(s)): {string.Join("; ", lines)}{more}";
    }
}
