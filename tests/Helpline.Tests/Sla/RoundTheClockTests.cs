using Helpline.Sla;
using Helpline.Sla.Calendar;
using Helpline.Sla.Storage;
using static Helpline.Tests.Sla.SlaTestWorld;

namespace Helpline.Tests.Sla;

/// <summary>
/// Rule 8: a calendar that closes at 24:00 and the calendar-hour unit for emergencies. Every expected instant is
/// worked out by hand in the comment above it (IST, UTC+05:30).
/// </summary>
public sealed class RoundTheClockTests
{
    private static readonly WorkingCalendar AllWeekAllDay = new(
        "round-the-clock",
        "Control room: every day, 00:00 to 24:00",
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday],
        new TimeOnly(0, 0),
        WorkingCalendar.ParseClosing("24:00")!.Value);

    private static readonly WorkingCalendar LateShift = new(
        "late-shift", "Mon–Fri 14:00 to 24:00",
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
        new TimeOnly(14, 0),
        WorkingCalendar.Midnight);

    [Fact]
    public void A_closing_of_24_00_is_the_midnight_that_ends_the_day_and_a_whole_day_calendar_counts_every_hour()
    {
        Assert.Null(AllWeekAllDay.Problem());
        Assert.Equal(TimeSpan.FromHours(24), AllWeekAllDay.WorkingDayLength);
        Assert.Equal("Mon–Sun 00:00–24:00 IST", AllWeekAllDay.Describe());
        Assert.Equal("24:00", AllWeekAllDay.ClosingText);
        Assert.Null(WorkingCalendar.ParseClosing("24:30"));
        Assert.Equal(new TimeOnly(17, 0), WorkingCalendar.ParseClosing("17:00"));
        Assert.NotNull((WorkingCalendar.Default with { Closing = new TimeOnly(9, 0) }).Problem()); // 10:00 to 09:00 is still refused

        // No holidays: Sat 7 Feb 2026 22:00 + 5 working hours = 22:00–24:00 (2 h) + Sun 00:00–03:00 (3 h) = Sun 8 Feb 03:00.
        var calendar = new SlaCalendar(AllWeekAllDay, Array.Empty<Holiday>());
        Assert.Equal(Ist(2026, 2, 8, 3), SlaArithmetic.DueAt(Ist(2026, 2, 7, 22), new SlaAllowance(SlaUnit.WorkingHours, 5), calendar));

        // 2 working days = 48 h: Sat 7 Feb 22:00 + 48 h = Mon 9 Feb 22:00.
        Assert.Equal(Ist(2026, 2, 9, 22), SlaArithmetic.DueAt(Ist(2026, 2, 7, 22), new SlaAllowance(SlaUnit.WorkingDays, 2), calendar));
    }

    [Fact]
    public void A_late_shift_calendar_ends_each_day_at_midnight_and_a_due_instant_may_be_that_midnight()
    {
        var calendar = new SlaCalendar(LateShift, Array.Empty<Holiday>());

        // Mon 2 Feb 2026 20:00 + 4 working hours: 20:00–24:00 is exactly 4 h, so due at Monday's closing, 24:00 =
        // Tue 3 Feb 00:00 IST (not Tuesday's 14:00 opening).
        Assert.Equal(Ist(2026, 2, 3, 0), SlaArithmetic.DueAt(Ist(2026, 2, 2, 20), new SlaAllowance(SlaUnit.WorkingHours, 4), calendar));
        Assert.True(SlaArithmetic.IsWithinWorkingHours(Ist(2026, 2, 3, 0), calendar)); // Monday's closing instant

        // Mon 20:00 + 5 h: 4 h on Monday, then 1 h from Tuesday's 14:00 opening = Tue 15:00.
        Assert.Equal(Ist(2026, 2, 3, 15), SlaArithmetic.DueAt(Ist(2026, 2, 2, 20), new SlaAllowance(SlaUnit.WorkingHours, 5), calendar));

        // A pause from Mon 23:00 to Tue 14:30 holds 1 h of Monday and 0.5 h of Tuesday = 1.5 h of working time.
        Assert.Equal(TimeSpan.FromHours(1.5), SlaArithmetic.WorkingTimeBetween(Ist(2026, 2, 2, 23), Ist(2026, 2, 3, 14, 30), calendar));
    }

    [Fact]
    public void Calendar_hours_count_round_the_clock_through_weekends_holidays_and_nights()
    {
        var emergency = new SlaAllowance(SlaUnit.CalendarHours, 6);

        // Republic Day, Mon 26 Jan 2026, on the default office calendar: a report at Sun 25 Jan 21:00 is due
        // 21:00 + 6 h = Mon 26 Jan 03:00, holiday and night notwithstanding (working hours would wait until Tue 10:00).
        var calendar = DefaultCalendar(RepublicDay);
        Assert.Equal(Ist(2026, 1, 26, 3), SlaArithmetic.DueAt(Ist(2026, 1, 25, 21), emergency, calendar));

        // At risk after 75 % of 6 h = 4 h 30 min: Mon 01:30. A pause of 2 h (any 2 h) moves the due instant by 2 h.
        Assert.Equal(Ist(2026, 1, 26, 1, 30), SlaArithmetic.AtRiskAt(SlaUnit.CalendarHours, Ist(2026, 1, 25, 21), Ist(2026, 1, 26, 3), 0.75m, calendar));
        Assert.Equal(Ist(2026, 1, 26, 5), SlaArithmetic.Extend(SlaUnit.CalendarHours, Ist(2026, 1, 26, 3), Ist(2026, 1, 25, 22), Ist(2026, 1, 26, 0), calendar));
    }

    [Fact]
    public void The_engine_explains_a_calendar_hour_policy_as_round_the_clock()
    {
        var engine = Engine(overrides: [new PolicyOverride(Pension, 1, new SlaAllowance(SlaUnit.CalendarHours, 4), 0.75m)]);

        // Fri 6 Feb 2026 18:00 IST + 4 h = Fri 22:00 IST, after office hours.
        var c = engine.Compute(Pension, 1, LucknowBlock, Ist(2026, 2, 6, 18));
        Assert.Equal(Ist(2026, 2, 6, 22), c.DueAt);
        Assert.Contains("4 calendar hours", c.Explanation.Summary, StringComparison.Ordinal);
        Assert.Contains("calendar hours count round the clock", c.Explanation.Summary, StringComparison.Ordinal);
        Assert.Contains("disposed of by then is on time; it breaches only after that instant", c.Explanation.Summary, StringComparison.Ordinal);
    }
}
