using Helpline.Platform.Errors;

namespace Helpline.Sla.Calendar;

/// <summary>
/// The SLA arithmetic: pure, deterministic functions of instants, allowances and a <see cref="SlaCalendar"/>. Every
/// result carries the IST offset. Cost is O(days spanned).
/// </summary>
/// <remarks>
/// Definitions (all wall-clock times IST):
/// <list type="bullet">
/// <item>Working time is the union of [opening, closing) over working days (a weekly working day that is not a holiday).</item>
/// <item>Working hours allowance of N: due is the earliest instant t with N hours of working time in [start, t]. Time
/// outside working hours does not count, so a start outside hours effectively begins at the next opening. The earliest
/// instant of a positive amount is always inside a working day's [opening, closing]: it can be exactly closing time, in
/// which case it is that day's closing and not the next opening.</item>
/// <item>Working days allowance of N: the same with N × (closing − opening).</item>
/// <item>Calendar days allowance of N: start + N × 24 h, with no regard for holidays or hours; calendar hours: start + N h.</item>
/// <item>A closing time of 00:00 means 24:00, the midnight that ends the day.</item>
/// </list>
/// </remarks>
internal static class SlaArithmetic
{
    /// <summary>How far any scan looks ahead before giving up: 20 years. A valid calendar always finds working time well before.</summary>
    public const int MaxScanDays = 366 * 20;

    /// <summary>The due instant of <paramref name="allowance"/> counted from <paramref name="start"/>.</summary>
    public static DateTimeOffset DueAt(DateTimeOffset start, SlaAllowance allowance, SlaCalendar calendar) =>
        AddCounted(allowance.Unit, start, AllowedTime(allowance, calendar), calendar);

    /// <summary>
    /// The allowance as a duration of counted time: N × 24 h for calendar days, N × (closing − opening) of working
    /// time for working days, N hours of working time for working hours.
    /// </summary>
    public static TimeSpan AllowedTime(SlaAllowance allowance, SlaCalendar calendar) => allowance.Unit switch
    {
        SlaUnit.CalendarDays => TimeSpan.FromDays(allowance.Amount),
        SlaUnit.WorkingDays => calendar.WorkingDayLength * allowance.Amount,
        SlaUnit.WorkingHours or SlaUnit.CalendarHours => TimeSpan.FromHours(allowance.Amount),
        _ => throw new ArgumentOutOfRangeException(nameof(allowance), allowance.Unit, "Unknown SLA unit."),
    };

    /// <summary>Counted time between two instants: elapsed time for calendar days, working time otherwise; zero when <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    public static TimeSpan CountedBetween(SlaUnit unit, DateTimeOffset from, DateTimeOffset to, SlaCalendar calendar) => unit switch
    {
        SlaUnit.CalendarDays or SlaUnit.CalendarHours => to > from ? to - from : TimeSpan.Zero,
        SlaUnit.WorkingDays or SlaUnit.WorkingHours => WorkingTimeBetween(from, to, calendar),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown SLA unit."),
    };

    /// <summary>The earliest instant at which <paramref name="duration"/> of counted time has passed since <paramref name="start"/>.</summary>
    public static DateTimeOffset AddCounted(SlaUnit unit, DateTimeOffset start, TimeSpan duration, SlaCalendar calendar) => unit switch
    {
        SlaUnit.CalendarDays or SlaUnit.CalendarHours => AddElapsed(start, duration),
        SlaUnit.WorkingDays or SlaUnit.WorkingHours => AddWorkingTime(start, duration, calendar),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown SLA unit."),
    };

    /// <summary>Working time in [<paramref name="from"/>, <paramref name="to"/>]; zero when <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    public static TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to, SlaCalendar calendar)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var a = IndianStandardTime.ToLocal(from);
        var b = IndianStandardTime.ToLocal(to);
        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(a); day <= DateOnly.FromDateTime(b); day = day.AddDays(1))
        {
            if (!calendar.IsWorkingDay(day))
            {
                continue;
            }

            var open = day.ToDateTime(calendar.Opening);
            var close = calendar.CloseOf(day);
            var segmentStart = a > open ? a : open;
            var segmentEnd = b < close ? b : close;
            if (segmentEnd > segmentStart)
            {
                total += segmentEnd - segmentStart;
            }
        }

        return total;
    }

    /// <summary>
    /// The earliest instant t at or after <paramref name="start"/> with <paramref name="duration"/> of working time in
    /// [start, t]. Zero returns <paramref name="start"/> itself; a positive duration lands in a working day's
    /// (opening, closing], possibly exactly at closing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    /// <exception cref="HelplineException">INVALID_VALUE: the calendar does not give the time within 20 years.</exception>
    public static DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan duration, SlaCalendar calendar)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        if (duration == TimeSpan.Zero)
        {
            return start.ToOffset(IndianStandardTime.Offset);
        }

        var cursor = IndianStandardTime.ToLocal(start);
        var remaining = duration;
        var day = DateOnly.FromDateTime(cursor);
        for (var scanned = 0; scanned < MaxScanDays; scanned++, day = day.AddDays(1))
        {
            if (!calendar.IsWorkingDay(day))
            {
                continue;
            }

            var open = day.ToDateTime(calendar.Opening);
            var close = calendar.CloseOf(day);
            var from = cursor > open ? cursor : open;
            if (from >= close)
            {
                continue;
            }

            var available = close - from;
            if (remaining <= available)
            {
                return IndianStandardTime.FromLocal(from + remaining);
            }

            remaining -= available;
        }

        throw NoWorkingTime(calendar);
    }

    /// <summary>
    /// When the clock really starts for a working-time policy: <paramref name="start"/> when it lies in a working day's
    /// [opening, closing), otherwise the next opening.
    /// </summary>
    public static DateTimeOffset ClockStart(DateTimeOffset start, SlaCalendar calendar)
    {
        var cursor = IndianStandardTime.ToLocal(start);
        var day = DateOnly.FromDateTime(cursor);
        for (var scanned = 0; scanned < MaxScanDays; scanned++, day = day.AddDays(1))
        {
            if (!calendar.IsWorkingDay(day))
            {
                continue;
            }

            var open = day.ToDateTime(calendar.Opening);
            var from = cursor > open ? cursor : open;
            if (from < calendar.CloseOf(day))
            {
                return IndianStandardTime.FromLocal(from);
            }
        }

        throw NoWorkingTime(calendar);
    }

    /// <summary>
    /// The instant when <paramref name="share"/> of the allowance from <paramref name="start"/> to <paramref name="due"/>
    /// is used, measured in counted time of <paramref name="unit"/> (so for working units it is inside working hours),
    /// rounded to the nearest tick.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="share"/> is not in (0, 1].</exception>
    public static DateTimeOffset AtRiskAt(SlaUnit unit, DateTimeOffset start, DateTimeOffset due, decimal share, SlaCalendar calendar)
    {
        if (share is <= 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The warning share must be in (0, 1].");
        }

        var total = CountedBetween(unit, start, due, calendar);
        var part = TimeSpan.FromTicks((long)decimal.Round(total.Ticks * share, MidpointRounding.AwayFromZero));
        if (part == TimeSpan.Zero && unit is SlaUnit.WorkingDays or SlaUnit.WorkingHours)
        {
            return ClockStart(start, calendar);
        }

        return AddCounted(unit, start, part, calendar);
    }

    /// <summary>
    /// <paramref name="due"/> moved by the counted time between <paramref name="pausedAt"/> and <paramref name="resumedAt"/>;
    /// unchanged when the pause began at or after <paramref name="due"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="resumedAt"/> is before <paramref name="pausedAt"/>.</exception>
    public static DateTimeOffset Extend(SlaUnit unit, DateTimeOffset due, DateTimeOffset pausedAt, DateTimeOffset resumedAt, SlaCalendar calendar)
    {
        if (resumedAt < pausedAt)
        {
            throw new ArgumentException($"A pause cannot end ({resumedAt:O}) before it begins ({pausedAt:O}).", nameof(resumedAt));
        }

        if (pausedAt >= due)
        {
            return due.ToOffset(IndianStandardTime.Offset);
        }

        return AddCounted(unit, due, CountedBetween(unit, pausedAt, resumedAt, calendar), calendar);
    }

    /// <summary>True when <paramref name="instant"/> lies in a working day's [opening, closing] (closing included).</summary>
    public static bool IsWithinWorkingHours(DateTimeOffset instant, SlaCalendar calendar)
    {
        var local = IndianStandardTime.ToLocal(instant);
        var day = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        if (time == TimeOnly.MinValue && calendar.Definition.ClosesAtMidnight && calendar.IsWorkingDay(day.AddDays(-1)))
        {
            return true; // the closing instant (24:00) of the day before
        }

        return calendar.IsWorkingDay(day) && time >= calendar.Opening && local <= calendar.CloseOf(day);
    }

    /// <summary>
    /// The days from <paramref name="from"/>'s date to <paramref name="to"/>'s date (IST, inclusive) that are not working
    /// days, oldest first: holidays (reported as such even on a weekly off) and weekly offs.
    /// </summary>
    public static IReadOnlyList<SkippedDay> SkippedDays(DateTimeOffset from, DateTimeOffset to, SlaCalendar calendar)
    {
        var skipped = new List<SkippedDay>();
        var last = DateOnly.FromDateTime(IndianStandardTime.ToLocal(to));
        for (var day = DateOnly.FromDateTime(IndianStandardTime.ToLocal(from)); day <= last; day = day.AddDays(1))
        {
            if (calendar.HolidayOn(day) is { } holiday)
            {
                skipped.Add(new SkippedDay(day, SkippedDayReason.Holiday, holiday.Name, holiday.JurisdictionId));
            }
            else if (!calendar.IsWeeklyWorkingDay(day.DayOfWeek))
            {
                skipped.Add(new SkippedDay(day, SkippedDayReason.WeeklyOff, day.DayOfWeek.ToString(), null));
            }
        }

        return skipped;
    }

    private static DateTimeOffset AddElapsed(DateTimeOffset start, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return (start + duration).ToOffset(IndianStandardTime.Offset);
    }

    // A calendar and an allowance can each be valid and together need more working time than 20 years hold (one
    // working hour a week and 8,760 working hours): the request that meets it is refused, never answered with a 500.
    private static HelplineException NoWorkingTime(SlaCalendar calendar) =>
        new(ErrorCodes.Invalid,
            $"The due date cannot be worked out: calendar '{calendar.Definition.Id}' does not give enough working time within {MaxScanDays} days for this allowance (too few working hours, or every working day a holiday). Give the calendar more working time or the policy a smaller allowance.");
}
