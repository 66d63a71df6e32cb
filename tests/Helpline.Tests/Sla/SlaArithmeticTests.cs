using Helpline.Sla;
using Helpline.Sla.Calendar;
using static Helpline.Tests.Sla.SlaTestWorld;

namespace Helpline.Tests.Sla;

/// <summary>
/// The pure arithmetic on the default calendar (Mon–Fri 10:00–17:00 IST, 7 working hours a day). Every expected value
/// is worked out by hand in the comment above it.
/// </summary>
public sealed class SlaArithmeticTests
{
    private static readonly SlaAllowance OneWorkingDay = new(SlaUnit.WorkingDays, 1);
    private static readonly SlaAllowance TwoWorkingDays = new(SlaUnit.WorkingDays, 2);

    [Fact]
    public void Calendar_days_are_whole_24_hour_days_and_ignore_weekends_and_holidays()
    {
        // Fri 23 Jan 11:00 + 3 × 24 h = Mon 26 Jan 11:00, even though Sat, Sun and Republic Day (Mon) intervene.
        var calendar = DefaultCalendar(RepublicDay);

        var due = SlaArithmetic.DueAt(Ist(2026, 1, 23, 11), new SlaAllowance(SlaUnit.CalendarDays, 3), calendar);

        Assert.Equal(Ist(2026, 1, 26, 11), due);
        Assert.Equal(TimeSpan.FromHours(5.5), due.Offset);
    }

    [Fact]
    public void One_working_day_from_15_00_on_a_working_day_is_due_at_15_00_on_the_next_working_day()
    {
        // Mon 2 Feb 15:00: 2 h left on Monday, 5 h on Tuesday 10:00–15:00 = 7 h = 1 working day.
        var due = SlaArithmetic.DueAt(Ist(2026, 2, 2, 15), OneWorkingDay, DefaultCalendar());

        Assert.Equal(Ist(2026, 2, 3, 15), due);
    }

    [Fact]
    public void Friday_16_30_with_two_working_days_and_a_Monday_holiday_is_due_Wednesday_16_30()
    {
        // Fri 6 Feb 16:30–17:00 = 0.5 h; Sat, Sun off; Mon 9 Feb holiday; Tue 7 h (7.5 h); Wed 10:00 + 6.5 h = 16:30.
        var due = SlaArithmetic.DueAt(Ist(2026, 2, 6, 16, 30), TwoWorkingDays, DefaultCalendar(LucknowLocalHoliday));

        Assert.Equal(Ist(2026, 2, 11, 16, 30), due);
    }

    [Fact]
    public void Registered_on_a_weekend_the_clock_starts_at_Monday_opening_and_one_working_day_ends_at_Monday_closing()
    {
        // Sat 7 Feb 11:00: nothing counts until Mon 9 Feb 10:00; 7 h later is Mon 17:00 (an end at closing is allowed).
        var calendar = DefaultCalendar();
        var start = Ist(2026, 2, 7, 11);

        Assert.Equal(Ist(2026, 2, 9, 10), SlaArithmetic.ClockStart(start, calendar));
        Assert.Equal(Ist(2026, 2, 9, 17), SlaArithmetic.DueAt(start, OneWorkingDay, calendar));
    }

    [Fact]
    public void Registered_after_hours_or_exactly_at_closing_the_clock_starts_at_the_next_opening()
    {
        // Mon 2 Feb 18:30 and Mon 2 Feb 17:00 both count from Tue 10:00; 1 working day is due Tue 17:00.
        var calendar = DefaultCalendar();

        Assert.Equal(Ist(2026, 2, 3, 10), SlaArithmetic.ClockStart(Ist(2026, 2, 2, 18, 30), calendar));
        Assert.Equal(Ist(2026, 2, 3, 17), SlaArithmetic.DueAt(Ist(2026, 2, 2, 18, 30), OneWorkingDay, calendar));
        Assert.Equal(Ist(2026, 2, 3, 10), SlaArithmetic.ClockStart(Ist(2026, 2, 2, 17), calendar));
        Assert.Equal(Ist(2026, 2, 3, 17), SlaArithmetic.DueAt(Ist(2026, 2, 2, 17), OneWorkingDay, calendar));
    }

    [Fact]
    public void Registered_before_opening_the_clock_starts_at_that_morning_opening()
    {
        // Mon 2 Feb 08:00 counts from 10:00: Mon 7 h + Tue 7 h = 2 working days, due Tue 17:00.
        var due = SlaArithmetic.DueAt(Ist(2026, 2, 2, 8), TwoWorkingDays, DefaultCalendar());

        Assert.Equal(Ist(2026, 2, 3, 17), due);
    }

    [Fact]
    public void Registered_on_a_holiday_the_clock_starts_on_the_next_working_day()
    {
        // Mon 26 Jan (Republic Day) 12:00 counts from Tue 27 Jan 10:00; 1 working day is due Tue 17:00.
        var due = SlaArithmetic.DueAt(Ist(2026, 1, 26, 12), OneWorkingDay, DefaultCalendar(RepublicDay));

        Assert.Equal(Ist(2026, 1, 27, 17), due);
    }

    [Fact]
    public void Working_hours_carry_over_the_night_to_the_next_opening()
    {
        // Mon 2 Feb 15:00 + 4 working hours: 15:00–17:00 (2 h), then Tue 10:00–12:00 (2 h) = Tue 12:00.
        var due = SlaArithmetic.DueAt(Ist(2026, 2, 2, 15), new SlaAllowance(SlaUnit.WorkingHours, 4), DefaultCalendar());

        Assert.Equal(Ist(2026, 2, 3, 12), due);
    }

    [Fact]
    public void Working_hours_that_end_exactly_at_closing_are_due_at_closing_not_the_next_opening()
    {
        // Mon 2 Feb 13:00 + 4 working hours = 17:00 the same day.
        var due = SlaArithmetic.DueAt(Ist(2026, 2, 2, 13), new SlaAllowance(SlaUnit.WorkingHours, 4), DefaultCalendar());

        Assert.Equal(Ist(2026, 2, 2, 17), due);
    }

    [Fact]
    public void Working_hours_skip_the_weekend()
    {
        // Fri 6 Feb 16:00 + 3 working hours: 1 h on Friday, then Mon 9 Feb 10:00 + 2 h = 12:00.
        var due = SlaArithmetic.DueAt(Ist(2026, 2, 6, 16), new SlaAllowance(SlaUnit.WorkingHours, 3), DefaultCalendar());

        Assert.Equal(Ist(2026, 2, 9, 12), due);
    }

    [Fact]
    public void Working_time_between_counts_only_office_hours_of_working_days()
    {
        var calendar = DefaultCalendar(RepublicDay);

        // Fri 6 Feb 16:00 → Mon 9 Feb 11:00: Fri 16–17 (1 h) + Mon 10–11 (1 h) = 2 h.
        Assert.Equal(TimeSpan.FromHours(2), SlaArithmetic.WorkingTimeBetween(Ist(2026, 2, 6, 16), Ist(2026, 2, 9, 11), calendar));

        // Fri 6 Feb 16:30 → Mon 9 Feb 10:30: 0.5 h + 0.5 h = 1 h.
        Assert.Equal(TimeSpan.FromHours(1), SlaArithmetic.WorkingTimeBetween(Ist(2026, 2, 6, 16, 30), Ist(2026, 2, 9, 10, 30), calendar));

        // Fri 23 Jan 16:00 → Tue 27 Jan 10:00, Mon 26 Jan being Republic Day: only Fri 16–17 = 1 h.
        Assert.Equal(TimeSpan.FromHours(1), SlaArithmetic.WorkingTimeBetween(Ist(2026, 1, 23, 16), Ist(2026, 1, 27, 10), calendar));

        // Sat 7 Feb → Sun 8 Feb, and any reversed interval: nothing.
        Assert.Equal(TimeSpan.Zero, SlaArithmetic.WorkingTimeBetween(Ist(2026, 2, 7, 9), Ist(2026, 2, 8, 20), calendar));
        Assert.Equal(TimeSpan.Zero, SlaArithmetic.WorkingTimeBetween(Ist(2026, 2, 9, 11), Ist(2026, 2, 6, 16), calendar));
    }

    [Fact]
    public void A_pause_from_Friday_16_00_to_Monday_11_00_moves_the_due_date_by_exactly_the_paused_working_time()
    {
        // Registered Thu 5 Feb 15:00 with 3 working days: due Tue 10 Feb 15:00 (Fri, Mon, Tue).
        // Paused Fri 16:00 → Mon 11:00 = 1 h (Fri) + 1 h (Mon) = 2 h of working time: due moves to Tue 17:00.
        // Cross-check: 13 h were left at the pause (Fri 1 + Mon 7 + Tue 5); Mon 11:00 + 13 h = Mon 6 h + Tue 7 h = Tue 17:00.
        var calendar = DefaultCalendar();
        var due = SlaArithmetic.DueAt(Ist(2026, 2, 5, 15), new SlaAllowance(SlaUnit.WorkingDays, 3), calendar);
        Assert.Equal(Ist(2026, 2, 10, 15), due);

        var paused = SlaArithmetic.WorkingTimeBetween(Ist(2026, 2, 6, 16), Ist(2026, 2, 9, 11), calendar);
        var extended = SlaArithmetic.Extend(SlaUnit.WorkingDays, due, Ist(2026, 2, 6, 16), Ist(2026, 2, 9, 11), calendar);

        Assert.Equal(TimeSpan.FromHours(2), paused);
        Assert.Equal(Ist(2026, 2, 10, 17), extended);
        Assert.Equal(paused, SlaArithmetic.WorkingTimeBetween(due, extended, calendar));
        var left = SlaArithmetic.WorkingTimeBetween(Ist(2026, 2, 6, 16), due, calendar);
        Assert.Equal(extended, SlaArithmetic.AddWorkingTime(Ist(2026, 2, 9, 11), left, calendar));
    }

    [Fact]
    public void A_pause_of_one_working_hour_moves_the_due_date_by_one_working_hour()
    {
        // Paused Fri 6 Feb 16:30 → Mon 9 Feb 10:30 = 0.5 h + 0.5 h = 1 h: due Tue 10 Feb 15:00 moves to 16:00.
        var extended = SlaArithmetic.Extend(SlaUnit.WorkingDays, Ist(2026, 2, 10, 15), Ist(2026, 2, 6, 16, 30), Ist(2026, 2, 9, 10, 30), DefaultCalendar());

        Assert.Equal(Ist(2026, 2, 10, 16), extended);
    }

    [Fact]
    public void A_pause_that_begins_after_the_due_date_changes_nothing_and_calendar_day_pauses_move_by_elapsed_time()
    {
        var calendar = DefaultCalendar();

        Assert.Equal(Ist(2026, 2, 10, 15), SlaArithmetic.Extend(SlaUnit.WorkingDays, Ist(2026, 2, 10, 15), Ist(2026, 2, 10, 15), Ist(2026, 2, 11, 12), calendar));

        // Calendar days: paused Fri 6 Feb 16:00 → Mon 9 Feb 11:00 = 67 h elapsed; due Tue 10 Feb 15:00 + 67 h = Fri 13 Feb 10:00.
        Assert.Equal(Ist(2026, 2, 13, 10), SlaArithmetic.Extend(SlaUnit.CalendarDays, Ist(2026, 2, 10, 15), Ist(2026, 2, 6, 16), Ist(2026, 2, 9, 11), calendar));
        Assert.Throws<ArgumentException>(() => SlaArithmetic.Extend(SlaUnit.WorkingDays, Ist(2026, 2, 10, 15), Ist(2026, 2, 9, 11), Ist(2026, 2, 6, 16), calendar));
    }

    [Fact]
    public void At_risk_at_75_percent_of_four_working_days_is_counted_in_working_time_and_lands_inside_working_hours()
    {
        // Thu 5 Feb 15:00 + 4 working days (28 h) = Wed 11 Feb 15:00 (Fri, Mon, Tue, Wed).
        // 75 % = 21 h: Thu 15–17 (2), Fri (9), Mon (16), Tue 10:00 + 5 h = Tue 10 Feb 15:00.
        // (75 % of the elapsed 144 h would have been Mon 9 Feb 03:00, in the middle of the night.)
        var calendar = DefaultCalendar();
        var start = Ist(2026, 2, 5, 15);
        var due = SlaArithmetic.DueAt(start, new SlaAllowance(SlaUnit.WorkingDays, 4), calendar);
        Assert.Equal(Ist(2026, 2, 11, 15), due);

        var atRisk = SlaArithmetic.AtRiskAt(SlaUnit.WorkingDays, start, due, 0.75m, calendar);

        Assert.Equal(Ist(2026, 2, 10, 15), atRisk);
        Assert.True(SlaArithmetic.IsWithinWorkingHours(atRisk, calendar));
    }

    [Fact]
    public void At_risk_for_calendar_days_is_the_share_of_elapsed_time()
    {
        // Mon 2 Feb 09:00 + 7 days = Mon 9 Feb 09:00; 75 % of 168 h = 126 h = 5 days 6 h → Sat 7 Feb 15:00.
        var calendar = DefaultCalendar();
        var start = Ist(2026, 2, 2, 9);
        var due = SlaArithmetic.DueAt(start, new SlaAllowance(SlaUnit.CalendarDays, 7), calendar);

        Assert.Equal(Ist(2026, 2, 7, 15), SlaArithmetic.AtRiskAt(SlaUnit.CalendarDays, start, due, 0.75m, calendar));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlaArithmetic.AtRiskAt(SlaUnit.CalendarDays, start, due, 0m, calendar));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlaArithmetic.AtRiskAt(SlaUnit.CalendarDays, start, due, 1.01m, calendar));
    }

    [Fact]
    public void At_risk_that_uses_up_whole_days_lands_at_closing_time_not_at_midnight()
    {
        // Mon 2 Feb 10:00 + 4 working days = Thu 5 Feb 17:00; 75 % = 21 h = Mon, Tue, Wed → Wed 4 Feb 17:00.
        var calendar = DefaultCalendar();
        var start = Ist(2026, 2, 2, 10);
        var due = SlaArithmetic.DueAt(start, new SlaAllowance(SlaUnit.WorkingDays, 4), calendar);
        Assert.Equal(Ist(2026, 2, 5, 17), due);

        Assert.Equal(Ist(2026, 2, 4, 17), SlaArithmetic.AtRiskAt(SlaUnit.WorkingDays, start, due, 0.75m, calendar));
    }

    [Fact]
    public void Instants_in_any_offset_give_the_same_result_returned_in_IST()
    {
        // 11:00 UTC is 16:30 IST: the Friday 16:30 case again.
        var start = new DateTimeOffset(2026, 2, 6, 11, 0, 0, TimeSpan.Zero);

        var due = SlaArithmetic.DueAt(start, TwoWorkingDays, DefaultCalendar(LucknowLocalHoliday));

        Assert.Equal(Ist(2026, 2, 11, 16, 30), due);
        Assert.Equal(new TimeSpan(5, 30, 0), due.Offset);
    }

    [Fact]
    public void Skipped_days_name_weekly_offs_and_holidays_with_their_scope()
    {
        var calendar = DefaultCalendar(LucknowLocalHoliday, new Holiday(new DateOnly(2026, 2, 8), "A Sunday holiday", State));

        var skipped = SlaArithmetic.SkippedDays(Ist(2026, 2, 6, 16, 30), Ist(2026, 2, 11, 16, 30), calendar);

        Assert.Equal(
            [
                new SkippedDay(new DateOnly(2026, 2, 7), SkippedDayReason.WeeklyOff, "Saturday", null),
                new SkippedDay(new DateOnly(2026, 2, 8), SkippedDayReason.Holiday, "A Sunday holiday", State),
                new SkippedDay(new DateOnly(2026, 2, 9), SkippedDayReason.Holiday, "Lucknow local holiday", Lucknow),
            ],
            skipped);
    }

    [Fact]
    public void Adding_zero_returns_the_start_and_a_negative_duration_is_refused()
    {
        var calendar = DefaultCalendar();

        Assert.Equal(Ist(2026, 2, 7, 11), SlaArithmetic.AddWorkingTime(Ist(2026, 2, 7, 11), TimeSpan.Zero, calendar));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlaArithmetic.AddWorkingTime(Ist(2026, 2, 7, 11), TimeSpan.FromHours(-1), calendar));
    }

    [Fact]
    public void A_calendar_whose_only_working_days_are_all_holidays_fails_loudly_instead_of_looping()
    {
        var sundaysOnly = WorkingCalendar.Default with { Id = "sundays", WorkingDays = [DayOfWeek.Sunday] };
        var start = new DateOnly(2026, 2, 1);
        var holidays = Enumerable.Range(0, SlaArithmetic.MaxScanDays / 7 + 2).Select(w => new Holiday(start.AddDays(7 * w), "Closed", State));
        var calendar = new SlaCalendar(sundaysOnly, holidays);

        Assert.Equal("INVALID_VALUE", Assert.Throws<Helpline.Platform.Errors.HelplineException>(() => SlaArithmetic.DueAt(Ist(2026, 2, 1, 9), OneWorkingDay, calendar)).Code);
    }

    /// <summary>
    /// Every start on a 15-minute grid over three weeks (a weekend and a holiday included), every allowance of
    /// 1..10 working hours and 1..3 working days: the due instant is inside working hours, exactly the allowance of
    /// working time after the start, and the earliest such instant (a minute earlier is short).
    /// </summary>
    [Fact]
    public void Working_time_deadlines_always_land_in_working_hours_and_use_exactly_the_allowance()
    {
        var calendar = DefaultCalendar(LucknowLocalHoliday);
        IEnumerable<SlaAllowance> allowances =
        [
            .. Enumerable.Range(1, 10).Select(h => new SlaAllowance(SlaUnit.WorkingHours, h)),
            .. Enumerable.Range(1, 3).Select(d => new SlaAllowance(SlaUnit.WorkingDays, d)),
        ];
        var checkedCount = 0;
        for (var start = Ist(2026, 2, 1, 0); start < Ist(2026, 2, 22, 0); start = start.AddMinutes(15))
        {
            foreach (var allowance in allowances)
            {
                var allowed = SlaArithmetic.AllowedTime(allowance, calendar);
                var due = SlaArithmetic.DueAt(start, allowance, calendar);

                Assert.True(SlaArithmetic.IsWithinWorkingHours(due, calendar), $"{start:O} + {allowance} = {due:O} is outside working hours");
                Assert.NotEqual(new DateOnly(2026, 2, 9), DateOnly.FromDateTime(due.DateTime));
                Assert.Equal(allowed, SlaArithmetic.WorkingTimeBetween(start, due, calendar));
                Assert.True(SlaArithmetic.WorkingTimeBetween(start, due.AddMinutes(-1), calendar) < allowed);
                checkedCount++;
            }
        }

        Assert.Equal(21 * 96 * 13, checkedCount);
    }

    /// <summary>Extending by the paused working time equals resuming with the working time left at the pause.</summary>
    [Fact]
    public void Extending_by_the_paused_time_equals_resuming_with_the_time_left()
    {
        var calendar = DefaultCalendar(LucknowLocalHoliday);
        var start = Ist(2026, 2, 2, 11);
        var due = SlaArithmetic.DueAt(start, new SlaAllowance(SlaUnit.WorkingDays, 7), calendar);
        for (var pausedAt = start; pausedAt < due; pausedAt = pausedAt.AddMinutes(95))
        {
            for (var hours = 0; hours <= 80; hours += 7)
            {
                var resumedAt = pausedAt.AddHours(hours);
                var extended = SlaArithmetic.Extend(SlaUnit.WorkingDays, due, pausedAt, resumedAt, calendar);
                var left = SlaArithmetic.WorkingTimeBetween(pausedAt, due, calendar);

                Assert.Equal(SlaArithmetic.AddWorkingTime(resumedAt, left, calendar), extended);
                Assert.Equal(SlaArithmetic.WorkingTimeBetween(pausedAt, resumedAt, calendar), SlaArithmetic.WorkingTimeBetween(due, extended, calendar));
            }
        }
    }
}
