using System.Text;
using Helpline.Jurisdictions.Loading;
using Helpline.Sla;
using Helpline.Sla.Files;
using Helpline.Sla.Storage;
using static Helpline.Tests.Sla.SlaTestWorld;

namespace Helpline.Tests.Sla;

/// <summary>Reading holiday files: the shipped CSV, good and bad CSV, good and bad iCalendar.</summary>
public sealed class HolidayFileTests
{
    private static HolidayFileResult Read(string text, HolidayFileFormat format, string? defaultJurisdiction = null) =>
        HolidayFiles.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), format, defaultJurisdiction, id => Tree.Find(id) is not null);

    [Fact]
    public void The_shipped_file_holds_the_four_national_fixed_date_holidays_of_2026_for_Uttar_Pradesh()
    {
        var holidays = HolidayFiles.ReadShipped();

        Assert.Equal(
            [
                new Holiday(new DateOnly(2026, 1, 26), "Republic Day", "state:9"),
                new Holiday(new DateOnly(2026, 8, 15), "Independence Day", "state:9"),
                new Holiday(new DateOnly(2026, 10, 2), "Mahatma Gandhi's Birthday (Gandhi Jayanti)", "state:9"),
                new Holiday(new DateOnly(2026, 12, 25), "Christmas Day", "state:9"),
            ],
            holidays);

        // Worked out: 26 Jan 2026 is a Monday, 15 Aug a Saturday, 2 Oct and 25 Dec Fridays.
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Saturday, DayOfWeek.Friday, DayOfWeek.Friday], holidays.Select(h => h.Date.DayOfWeek));
        Assert.Equal(UpReferenceData.StateId, SlaLoader.StateRootId);
    }

    [Fact]
    public void A_good_csv_is_read_with_its_header_quotes_blank_lines_and_default_scope()
    {
        const string csv = """
            date,name,jurisdiction_id
            2026-02-09,Lucknow local holiday,district:162

            2026-03-04,"Holi, the festival of colours"
            2026-03-05,"A ""quoted"" name",district:163
            """;

        var result = Read(csv, HolidayFileFormat.Csv, defaultJurisdiction: State);

        Assert.Empty(result.Errors);
        Assert.Equal(
            [
                new Holiday(new DateOnly(2026, 2, 9), "Lucknow local holiday", Lucknow),
                new Holiday(new DateOnly(2026, 3, 4), "Holi, the festival of colours", State),
                new Holiday(new DateOnly(2026, 3, 5), "A \"quoted\" name", Unnao),
            ],
            result.Holidays);
    }

    [Fact]
    public void A_csv_without_a_header_is_read_from_its_first_line()
    {
        var result = Read("2026-02-09,Local holiday,district:162\n", HolidayFileFormat.Csv);

        Assert.Empty(result.Errors);
        Assert.Equal([new Holiday(new DateOnly(2026, 2, 9), "Local holiday", Lucknow)], result.Holidays);
    }

    [Fact]
    public void Every_bad_csv_row_is_reported_with_its_line_number_and_reason()
    {
        const string csv = """
            date,name,jurisdiction_id
            2026-02-30,Not a day,district:162
            2026-02-09,   ,district:162
            2026-02-10,Too many,district:162,extra
            2026-02-11,Nowhere,district:999
            2026-02-12,Fine,district:162
            2026-02-12,Again,district:162
            2026-02-13,"Unclosed,district:162
            2026-02-14,No scope
            1999-12-31,Too early,district:162
            13/02/2026,Indian order,district:162
            """;

        var result = Read(csv, HolidayFileFormat.Csv);

        Assert.Equal(
            [
                new HolidayImportError(2, "'2026-02-30' is not a date (yyyy-MM-dd)"),
                new HolidayImportError(3, "the holiday has no name"),
                new HolidayImportError(4, "expected 2 or 3 fields (date,name[,jurisdiction_id]), found 4"),
                new HolidayImportError(5, "unknown jurisdiction 'district:999'"),
                new HolidayImportError(7, "2026-02-12 for district:162 is already given at row 6"),
                new HolidayImportError(8, "a quoted field is not closed"),
                new HolidayImportError(9, "no jurisdiction: name one in the row or give one for the whole import"),
                new HolidayImportError(10, "1999-12-31 is outside the years 2000 to 2100"),
                new HolidayImportError(11, "'13/02/2026' is not a date (yyyy-MM-dd)"),
            ],
            result.Errors);
        Assert.Equal("row 2: '2026-02-30' is not a date (yyyy-MM-dd)", result.Errors[0].ToString());
    }

    [Fact]
    public void A_good_icalendar_file_is_read_with_date_events_multi_day_spans_and_scopes()
    {
        const string ics = "BEGIN:VCALENDAR\r\n" +
            "VERSION:2.0\r\n" +
            "PRODID:-//Helpline tests//EN\r\n" +
            "BEGIN:VEVENT\r\n" + // line 4
            "UID:republic-day-2026\r\n" +
            "DTSTAMP:20251201T000000Z\r\n" +
            "DTSTART;VALUE=DATE:20260126\r\n" +
            "SUMMARY:Republic Day\r\n" +
            "END:VEVENT\r\n" +
            "BEGIN:VEVENT\r\n" + // line 10
            "UID:local-2026\r\n" +
            "DTSTAMP:20251201T000000Z\r\n" +
            "DTSTART;VALUE=DATE:20260209\r\n" +
            "DTEND;VALUE=DATE:20260211\r\n" +
            "SUMMARY:Lucknow local\r\n" +
            "  holiday\r\n" +
            "X-HELPLINE-JURISDICTION:district:162\r\n" +
            "END:VEVENT\r\n" +
            "END:VCALENDAR\r\n";

        var result = Read(ics, HolidayFileFormat.ICalendar, defaultJurisdiction: State);

        Assert.Empty(result.Errors);
        Assert.Equal(
            [
                new Holiday(new DateOnly(2026, 1, 26), "Republic Day", State),
                new Holiday(new DateOnly(2026, 2, 9), "Lucknow local holiday", Lucknow),
                new Holiday(new DateOnly(2026, 2, 10), "Lucknow local holiday", Lucknow),
            ],
            result.Holidays);
    }

    [Fact]
    public void Every_bad_icalendar_event_is_reported_at_its_BEGIN_VEVENT_line()
    {
        const string ics = "BEGIN:VCALENDAR\r\n" +
            "VERSION:2.0\r\n" +
            "BEGIN:VEVENT\r\n" + // 3: a time of day
            "UID:a\r\nDTSTART:20260126T100000Z\r\nSUMMARY:Timed\r\n" +
            "END:VEVENT\r\n" +
            "BEGIN:VEVENT\r\n" + // 8: recurring
            "UID:b\r\nDTSTART;VALUE=DATE:20260815\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Every year\r\n" +
            "END:VEVENT\r\n" +
            "BEGIN:VEVENT\r\n" + // 14: no name
            "UID:c\r\nDTSTART;VALUE=DATE:20261002\r\n" +
            "END:VEVENT\r\n" +
            "BEGIN:VEVENT\r\n" + // 18: ends before it starts
            "UID:d\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261224\r\nSUMMARY:Backwards\r\n" +
            "END:VEVENT\r\n" +
            "BEGIN:VEVENT\r\n" + // 24: not a date
            "UID:e\r\nDTSTART;VALUE=DATE:2026XX01\r\nSUMMARY:Garbled\r\n" +
            "END:VEVENT\r\n" +
            "BEGIN:VEVENT\r\n" + // 29: unknown scope
            "UID:f\r\nDTSTART;VALUE=DATE:20261101\r\nSUMMARY:Somewhere\r\nX-HELPLINE-JURISDICTION:district:999\r\n" +
            "END:VEVENT\r\n" +
            "BEGIN:VEVENT\r\n" + // 35: cancelled
            "UID:g\r\nDTSTART;VALUE=DATE:20261102\r\nSUMMARY:Called off\r\nSTATUS:CANCELLED\r\n" +
            "END:VEVENT\r\n" +
            "END:VCALENDAR\r\n";

        var result = Read(ics, HolidayFileFormat.ICalendar, defaultJurisdiction: State);

        Assert.Equal(
            [
                new HolidayImportError(3, "DTSTART has a time of day; a holiday is a whole day (DTSTART;VALUE=DATE:yyyymmdd)"),
                new HolidayImportError(8, "recurring events (RRULE, RDATE) are not supported: give each date as its own event"),
                new HolidayImportError(14, "the holiday has no name"),
                new HolidayImportError(18, "DTEND must be after DTSTART (DTEND is the day after the last holiday)"),
                new HolidayImportError(24, "DTSTART is missing or not a valid date"),
                new HolidayImportError(29, "unknown jurisdiction 'district:999'"),
                new HolidayImportError(35, "the event is cancelled: remove it from the file"),
            ],
            result.Errors);
        Assert.Empty(result.Holidays);
    }

    [Fact]
    public void A_file_that_is_not_icalendar_is_reported_as_a_whole()
    {
        var notIcs = Read("date,name\n2026-01-26,Republic Day\n", HolidayFileFormat.ICalendar, State);
        var empty = Read(string.Empty, HolidayFileFormat.ICalendar, State);
        var noEvents = Read("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", HolidayFileFormat.ICalendar, State);

        Assert.Equal(0, Assert.Single(notIcs.Errors).Row);
        Assert.StartsWith("not a valid iCalendar file", notIcs.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Equal(new HolidayImportError(0, "not an iCalendar file: no VCALENDAR"), Assert.Single(empty.Errors));
        Assert.Equal(new HolidayImportError(0, "the calendar has no events"), Assert.Single(noEvents.Errors));
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_refused_whole()
    {
        var latin1 = new MemoryStream([.. "2026-01-26,Caf"u8.ToArray(), 0xE9, (byte)'\n']);

        var result = HolidayFiles.Read(latin1, HolidayFileFormat.Csv, State, null);

        Assert.Equal(new HolidayImportError(0, "the file is not valid UTF-8"), Assert.Single(result.Errors));
    }
}
