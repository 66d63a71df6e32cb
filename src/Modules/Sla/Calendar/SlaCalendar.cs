namespace Helpline.Sla.Calendar;

/// <summary>Indian Standard Time: UTC+05:30 all year (India observes no daylight saving).</summary>
internal static class IndianStandardTime
{
    /// <summary>The IST offset from UTC.</summary>
    public static readonly TimeSpan Offset = new(5, 30, 0);

    /// <summary>Wall-clock time in IST of an instant.</summary>
    public static DateTime ToLocal(DateTimeOffset instant) => instant.ToOffset(Offset).DateTime;

    /// <summary>The instant of an IST wall-clock time.</summary>
    public static DateTimeOffset FromLocal(DateTime local) => new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Offset);

    /// <summary>The instant of <paramref name="date"/> at <paramref name="time"/> IST.</summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time) => FromLocal(date.ToDateTime(time));
}

/// <summary>
/// A working calendar as it applies to one jurisdiction: the calendar's week and hours plus the holidays of the
/// jurisdiction and of its ancestors. Immutable and thread-safe.
/// </summary>
internal sealed class SlaCalendar
{
    private readonly bool[] _workingDays = new bool[7];
    private readonly IReadOnlyList<IReadOnlyDictionary<DateOnly, Holiday>> _holidayScopes;

    /// <summary>
    /// A calendar whose holidays are looked up in <paramref name="holidayScopes"/>, nearest scope first (the
    /// jurisdiction's own, then its parent's, up to the root); the first holiday found for a date is the one reported.
    /// </summary>
    public SlaCalendar(WorkingCalendar definition, IReadOnlyList<IReadOnlyDictionary<DateOnly, Holiday>> holidayScopes)
    {
        if (definition.Problem() is { } problem)
        {
            throw new ArgumentException($"Calendar '{definition.Id}' is not usable: {problem}.", nameof(definition));
        }

        Definition = definition;
        foreach (var day in definition.WorkingDays)
        {
            _workingDays[(int)day] = true;
        }

        _holidayScopes = holidayScopes;
        Opening = definition.Opening;
        Closing = definition.Closing;
        WorkingDayLength = definition.WorkingDayLength;
    }

    /// <summary>A calendar observing exactly <paramref name="holidays"/> (already chosen for the jurisdiction).</summary>
    public SlaCalendar(WorkingCalendar definition, IEnumerable<Holiday> holidays)
        : this(definition, [Index(holidays)])
    {
    }

    public WorkingCalendar Definition { get; }

    public TimeOnly Opening { get; }

    public TimeOnly Closing { get; }

    public TimeSpan WorkingDayLength { get; }

    /// <summary>When offices of <paramref name="day"/> close, as a local wall-clock time: the next midnight for a closing of 24:00.</summary>
    public DateTime CloseOf(DateOnly day) => day.ToDateTime(TimeOnly.MinValue) + Definition.ClosingTimeOfDay;

    /// <summary>The holiday observed on <paramref name="date"/>, or null.</summary>
    public Holiday? HolidayOn(DateOnly date)
    {
        foreach (var scope in _holidayScopes)
        {
            if (scope.TryGetValue(date, out var holiday))
            {
                return holiday;
            }
        }

        return null;
    }

    /// <summary>True when offices open on <paramref name="date"/>: a working day of the week and not a holiday.</summary>
    public bool IsWorkingDay(DateOnly date) => _workingDays[(int)date.DayOfWeek] && HolidayOn(date) is null;

    /// <summary>True when <paramref name="day"/> is one of the calendar's weekly working days (holidays aside).</summary>
    public bool IsWeeklyWorkingDay(DayOfWeek day) => _workingDays[(int)day];

    private static Dictionary<DateOnly, Holiday> Index(IEnumerable<Holiday> holidays)
    {
        var byDate = new Dictionary<DateOnly, Holiday>();
        foreach (var holiday in holidays)
        {
            byDate.TryAdd(holiday.Date, holiday);
        }

        return byDate;
    }
}
