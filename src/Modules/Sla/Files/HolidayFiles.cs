using System.Globalization;
using System.Text;
using Helpline.Platform.Csv;
using Helpline.Platform.Errors;
using Helpline.Platform.Text;
using Ical.Net;

namespace Helpline.Sla.Files;

/// <summary>Holidays read from a file, and every bad row; when <see cref="Errors"/> is not empty nothing may be stored.</summary>
internal sealed record HolidayFileResult(IReadOnlyList<Holiday> Holidays, IReadOnlyList<HolidayImportError> Errors);

/// <summary>
/// Reads and validates holiday files (formats in <see cref="HolidayFileFormat"/>) and the file shipped in this
/// assembly (<c>Data/holidays-2026.csv</c>; provenance in <c>Data/SOURCES.md</c>).
/// </summary>
internal static class HolidayFiles
{
    /// <summary>The shipped holiday file: national fixed-date gazetted holidays of 2026, scoped to Uttar Pradesh.</summary>
    public const string ShippedFile = "holidays-2026.csv";

    /// <summary>Files longer than this (in characters) are refused whole.</summary>
    public const int MaxFileLength = 2_000_000;

    /// <summary>Longest holiday name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest span of one iCalendar event, in days.</summary>
    public const int MaxEventDays = 31;

    /// <summary>Custom iCalendar property naming an event's jurisdiction scope.</summary>
    public const string JurisdictionProperty = "X-HELPLINE-JURISDICTION";

    /// <summary>Reads and validates the shipped file.</summary>
    /// <exception cref="InvalidDataException">The file is missing or has a bad row; the message names the file, row and reason.</exception>
    public static IReadOnlyList<Holiday> ReadShipped()
    {
        var resource = "Helpline.Sla.Data." + ShippedFile;
        using var stream = typeof(HolidayFiles).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidDataException($"{ShippedFile}: not embedded in {typeof(HolidayFiles).Assembly.GetName().Name} (resource '{resource}').");
        var result = Read(stream, HolidayFileFormat.Csv, defaultJurisdictionId: null, jurisdictionExists: null);
        if (result.Errors.Count > 0)
        {
            throw new InvalidDataException($"{ShippedFile}: {string.Join("; ", result.Errors)}");
        }

        return result.Holidays;
    }

    /// <summary>
    /// Reads <paramref name="content"/> (UTF-8) in <paramref name="format"/>. Rows that name no jurisdiction get
    /// <paramref name="defaultJurisdictionId"/>. When <paramref name="jurisdictionExists"/> is given, a row whose
    /// jurisdiction it rejects is bad. A (jurisdiction, date) given twice is bad at its second row.
    /// </summary>
    public static HolidayFileResult Read(Stream content, HolidayFileFormat format, string? defaultJurisdictionId, Func<string, bool>? jurisdictionExists)
    {
        string text;
        using (var reader = new StreamReader(content, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true, leaveOpen: true))
        {
            var buffer = new char[MaxFileLength + 1];
            int read;
            try
            {
                read = reader.ReadBlock(buffer, 0, buffer.Length);
            }
            catch (DecoderFallbackException)
            {
                return Refused("the file is not valid UTF-8");
            }

            if (read > MaxFileLength)
            {
                return Refused($"the file is longer than {MaxFileLength} characters");
            }

            text = new string(buffer, 0, read);
        }

        var rows = format switch
        {
            HolidayFileFormat.Csv => ReadCsv(text),
            HolidayFileFormat.ICalendar => ReadICalendar(text),
            _ => [new RawRow(0, null, null, null, $"unknown format {(int)format}")],
        };
        return Validate(rows, defaultJurisdictionId, jurisdictionExists);
    }

    /// <summary>Validates holidays given directly (not from a file); the row is the 1-based position.</summary>
    public static HolidayFileResult Validate(IEnumerable<Holiday> holidays, Func<string, bool>? jurisdictionExists) =>
        Validate(holidays.Select((h, i) => new RawRow(i + 1, h?.Date, h?.Name, h?.JurisdictionId, h is null ? "no holiday given" : null)), null, jurisdictionExists);

    private static HolidayFileResult Refused(string reason) => new([], [new HolidayImportError(0, reason)]);

    private static HolidayFileResult Validate(IEnumerable<RawRow> rows, string? defaultJurisdictionId, Func<string, bool>? jurisdictionExists)
    {
        var holidays = new List<Holiday>();
        var errors = new List<HolidayImportError>();
        var seen = new Dictionary<(string JurisdictionId, DateOnly Date), int>();
        foreach (var row in rows)
        {
            if (row.Error is not null)
            {
                errors.Add(new HolidayImportError(row.Row, row.Error));
                continue;
            }

            var checkedName = UserText.Check(row.Name, MaxNameLength, singleLine: true);
            var name = checkedName.Text;
            var jurisdictionId = string.IsNullOrWhiteSpace(row.JurisdictionId) ? defaultJurisdictionId : row.JurisdictionId.Trim();
            string? problem = null;
            if (row.Date is not { } date)
            {
                problem = "no date";
            }
            else if (date.Year is < 2000 or > 2100)
            {
                problem = $"{date:yyyy-MM-dd} is outside the years 2000 to 2100";
            }
            else if (name.Length == 0)
            {
                problem = "the holiday has no name";
            }
            else if (checkedName.Code == ErrorCodes.TooLong)
            {
                problem = $"the name is longer than {MaxNameLength} characters";
            }
            else if (checkedName.Problem is { } nameProblem)
            {
                problem = $"the name {nameProblem}";
            }
            else if (string.IsNullOrWhiteSpace(jurisdictionId))
            {
                problem = "no jurisdiction: name one in the row or give one for the whole import";
            }
            else if (jurisdictionExists is not null && !jurisdictionExists(jurisdictionId))
            {
                problem = $"unknown jurisdiction '{jurisdictionId}'";
            }
            else if (seen.TryGetValue((jurisdictionId, date), out var earlier))
            {
                problem = $"{date:yyyy-MM-dd} for {jurisdictionId} is already given at row {earlier}";
            }

            if (problem is not null)
            {
                errors.Add(new HolidayImportError(row.Row, problem));
                continue;
            }

            seen[(jurisdictionId!, row.Date!.Value)] = row.Row;
            holidays.Add(new Holiday(row.Date.Value, name, jurisdictionId!));
        }

        return new HolidayFileResult(holidays, errors);
    }

    private static List<RawRow> ReadCsv(string text)
    {
        var rows = new List<RawRow>();
        var first = true;
        using var reader = new StringReader(text);
        foreach (var line in CsvLines.Read(reader, lineBreaksInQuotes: false))
        {
            var lineNumber = line.Line;
            var fields = line.Fields;
            var splitError = line.Quoting switch
            {
                CsvQuoting.NotClosed => "a quoted field is not closed",
                CsvQuoting.TextAfterClosingQuote => "text after a closing quote",
                _ => null,
            };
            if (splitError is not null)
            {
                rows.Add(new RawRow(lineNumber, null, null, null, splitError));
                first = false;
                continue;
            }

            if (first && fields[0].Trim().Equals("date", StringComparison.OrdinalIgnoreCase))
            {
                first = false;
                continue; // the header
            }

            first = false;
            if (fields.Count is < 2 or > 3)
            {
                rows.Add(new RawRow(lineNumber, null, null, null, $"expected 2 or 3 fields (date,name[,jurisdiction_id]), found {fields.Count}"));
                continue;
            }

            var dateText = fields[0].Trim();
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                rows.Add(new RawRow(lineNumber, null, null, null, $"'{dateText}' is not a date (yyyy-MM-dd)"));
                continue;
            }

            rows.Add(new RawRow(lineNumber, date, fields[1], fields.Count == 3 ? fields[2] : null, null));
        }

        return rows;
    }

    private static List<RawRow> ReadICalendar(string text)
    {
        // Ical.Net does not report line numbers, so find each event's BEGIN:VEVENT line ourselves (events keep file order).
        var eventLines = new List<int>();
        var lineNumber = 0;
        using (var reader = new StringReader(text))
        {
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (line.TrimEnd().Equals("BEGIN:VEVENT", StringComparison.OrdinalIgnoreCase))
                {
                    eventLines.Add(lineNumber);
                }
            }
        }

        CalendarCollection calendars;
        try
        {
            calendars = CalendarCollection.Load(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [new RawRow(0, null, null, null, $"not a valid iCalendar file: {e.Message}")];
        }

        if (calendars.Count == 0)
        {
            return [new RawRow(0, null, null, null, "not an iCalendar file: no VCALENDAR")];
        }

        var events = calendars.SelectMany(c => c.Events).ToList();
        if (events.Count == 0)
        {
            return [new RawRow(0, null, null, null, "the calendar has no events")];
        }

        var rows = new List<RawRow>();
        for (var i = 0; i < events.Count; i++)
        {
            var row = eventLines.Count == events.Count ? eventLines[i] : i + 1;
            var e = events[i];
            var name = e.Summary;
            var jurisdictionId = e.Properties.Get<string>(JurisdictionProperty);
            var start = e.DtStart;
            var end = e.DtEnd;
            string? problem = null;
            if (start is null)
            {
                problem = "DTSTART is missing or not a valid date";
            }
            else if (start.HasTime)
            {
                problem = "DTSTART has a time of day; a holiday is a whole day (DTSTART;VALUE=DATE:yyyymmdd)";
            }
            else if (e.RecurrenceRule is not null || e.RecurrenceDates.GetAllDates().Any() || e.RecurrenceDates.GetAllPeriods().Any())
            {
                problem = "recurring events (RRULE, RDATE) are not supported: give each date as its own event";
            }
            else if (string.Equals(e.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase))
            {
                problem = "the event is cancelled: remove it from the file";
            }
            else if (end is null && e.Duration is not null)
            {
                problem = "DURATION is not supported: give DTEND (the day after the last holiday)";
            }
            else if (end is not null && end.HasTime)
            {
                problem = "DTEND has a time of day; give the day after the last holiday (DTEND;VALUE=DATE:yyyymmdd)";
            }
            else if (end is not null && end.Date <= start.Date)
            {
                problem = "DTEND must be after DTSTART (DTEND is the day after the last holiday)";
            }
            else if (end is not null && end.Date.DayNumber - start.Date.DayNumber > MaxEventDays)
            {
                problem = $"the event spans more than {MaxEventDays} days";
            }

            if (problem is not null)
            {
                rows.Add(new RawRow(row, null, null, null, problem));
                continue;
            }

            var days = end is null ? 1 : end!.Date.DayNumber - start!.Date.DayNumber;
            for (var d = 0; d < days; d++)
            {
                rows.Add(new RawRow(row, start!.Date.AddDays(d), name, jurisdictionId, null));
            }
        }

        return rows;
    }

    /// <summary>One row as read, before validation; <see cref="Error"/> is set when it could not be read at all.</summary>
    private sealed record RawRow(int Row, DateOnly? Date, string? Name, string? JurisdictionId, string? Error);
}
