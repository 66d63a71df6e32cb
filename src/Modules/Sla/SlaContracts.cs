namespace Helpline.Sla;

/// <summary>What an SLA allowance counts.</summary>
public enum SlaUnit
{
    /// <summary>
    /// Calendar days: the due instant is the start plus N × 24 hours (IST has no daylight saving, so this is the same
    /// wall-clock time N days later). Weekends, holidays and office hours are ignored.
    /// </summary>
    CalendarDays = 0,

    /// <summary>
    /// Working days: N × (closing − opening) of working time of the jurisdiction's calendar, counted like
    /// <see cref="WorkingHours"/>. From inside office hours this lands at the same time of day N working days later.
    /// </summary>
    WorkingDays = 1,

    /// <summary>Working hours: N hours of working time, skipping weekly offs, holidays and time outside office hours.</summary>
    WorkingHours = 2,

    /// <summary>
    /// Calendar hours: the due instant is the start plus N hours, round the clock; weekends, holidays and office hours
    /// are ignored. For emergencies (a water supply failure, a risk of electrocution).
    /// </summary>
    CalendarHours = 3,
}

/// <summary>Where the allowance that applies to a category at a level comes from.</summary>
public enum SlaPolicySource
{
    /// <summary>The category's catalogue SLA (calendar days per level); no override exists.</summary>
    CatalogueDefault = 0,

    /// <summary>An override stored in the <c>sla</c> schema for this category and level.</summary>
    CategoryOverride = 1,
}

/// <summary>An amount of time a level is given to dispose of a grievance, for example 2 working days.</summary>
/// <param name="Unit">What is counted.</param>
/// <param name="Amount">How many: at least 1; at most <see cref="MaxDays"/> for day units, <see cref="MaxHours"/> for hours.</param>
[GenerateSerializer]
[Alias("helpline.sla-allowance")]
public sealed record SlaAllowance([property: Id(0)] SlaUnit Unit, [property: Id(1)] int Amount)
{
    /// <summary>The most days (calendar or working) one level may be given.</summary>
    public const int MaxDays = 365;

    /// <summary>The most hours (working or calendar) one level may be given.</summary>
    public const int MaxHours = 8760;

    /// <summary>True when the allowance counts working time (working days or working hours).</summary>
    public bool CountsWorkingTime => Unit is SlaUnit.WorkingDays or SlaUnit.WorkingHours;

    /// <summary>Why the allowance is not acceptable, or null when it is.</summary>
    public string? Problem() => Unit switch
    {
        SlaUnit.CalendarDays or SlaUnit.WorkingDays when Amount is < 1 or > MaxDays => $"a day allowance must be 1 to {MaxDays} days, not {Amount}",
        SlaUnit.WorkingHours or SlaUnit.CalendarHours when Amount is < 1 or > MaxHours => $"an hour allowance must be 1 to {MaxHours} hours, not {Amount}",
        SlaUnit.CalendarDays or SlaUnit.WorkingDays or SlaUnit.WorkingHours or SlaUnit.CalendarHours => null,
        _ => $"unknown unit {(int)Unit}",
    };

    /// <summary>For example "2 working days" or "1 calendar day".</summary>
    public override string ToString() => Unit switch
    {
        SlaUnit.CalendarDays => Amount == 1 ? "1 calendar day" : $"{Amount} calendar days",
        SlaUnit.WorkingDays => Amount == 1 ? "1 working day" : $"{Amount} working days",
        SlaUnit.WorkingHours => Amount == 1 ? "1 working hour" : $"{Amount} working hours",
        SlaUnit.CalendarHours => Amount == 1 ? "1 calendar hour" : $"{Amount} calendar hours",
        _ => $"{Amount} × {Unit}",
    };
}

/// <summary>The allowance that applies to a category at one level, with its warning share and where it comes from.</summary>
/// <param name="CategoryId">The category.</param>
/// <param name="Level">The level the policy is for, 1..4 (levels above 4 use level 4's policy).</param>
/// <param name="Allowance">Time given at this level.</param>
/// <param name="WarningShare">Share of the allowance after which the grievance is at risk, in (0, 1].</param>
/// <param name="Source">Catalogue default or category override.</param>
[GenerateSerializer]
[Alias("helpline.sla-effective-policy")]
public sealed record SlaEffectivePolicy(
    [property: Id(0)] string CategoryId,
    [property: Id(1)] int Level,
    [property: Id(2)] SlaAllowance Allowance,
    [property: Id(3)] decimal WarningShare,
    [property: Id(4)] SlaPolicySource Source);

/// <summary>
/// A working calendar: the days of the week offices open and their opening and closing time, in Indian Standard
/// Time (UTC+05:30, no daylight saving). Holidays are not part of it: they belong to jurisdictions.
/// </summary>
/// <param name="Id">Stable lower-case code, for example <c>default</c> or <c>six-day-week</c>.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="WorkingDays">Days of the week offices open; at least one, no repeats.</param>
/// <param name="Opening">Opening time (IST).</param>
/// <param name="Closing">Closing time (IST), after <paramref name="Opening"/> on the same day; 00:00 means midnight at the end of the day (24:00), so 00:00–00:00 on every day is round the clock.</param>
[GenerateSerializer]
[Alias("helpline.sla-working-calendar")]
public sealed record WorkingCalendar(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<DayOfWeek> WorkingDays,
    [property: Id(3)] TimeOnly Opening,
    [property: Id(4)] TimeOnly Closing)
{
    /// <summary>Id of the default calendar, used by the state root and by any jurisdiction whose path assigns no calendar.</summary>
    public const string DefaultId = "default";

    /// <summary>
    /// The default calendar: Monday to Friday, 10:00 to 17:00 IST, no lunch break. A deliberate simplification, not a
    /// statement of Uttar Pradesh's notified office hours: change it, or assign other calendars, with
    /// <see cref="ISlaAdministration"/>.
    /// </summary>
    public static WorkingCalendar Default { get; } = new(
        DefaultId,
        "Default office week: Monday to Friday, 10:00 to 17:00 IST",
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
        new TimeOnly(10, 0),
        new TimeOnly(17, 0));

    /// <summary>The closing time written as 24:00: midnight at the end of the day.</summary>
    public static TimeOnly Midnight => TimeOnly.MinValue;

    /// <summary>True when offices close at midnight at the end of the day (24:00, stored as 00:00).</summary>
    public bool ClosesAtMidnight => Closing == Midnight;

    /// <summary>The closing time as time since the day's start: 24 h when closing at midnight (24:00).</summary>
    public TimeSpan ClosingTimeOfDay => ClosesAtMidnight ? TimeSpan.FromDays(1) : Closing.ToTimeSpan();

    /// <summary>Working time in one working day: closing minus opening (24 h for 00:00–24:00).</summary>
    public TimeSpan WorkingDayLength => ClosingTimeOfDay - Opening.ToTimeSpan();

    /// <summary>
    /// Reads "HH:mm" as a closing time: "24:00" is midnight at the end of the day (<see cref="Midnight"/>). Null when
    /// the text is not a time.
    /// </summary>
    public static TimeOnly? ParseClosing(string text) =>
        text.Trim() == "24:00"
            ? Midnight
            : TimeOnly.TryParseExact(text.Trim(), "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t) ? t : null;

    /// <summary>The closing time as "HH:mm", "24:00" for midnight at the end of the day.</summary>
    public string ClosingText => ClosesAtMidnight ? "24:00" : Closing.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Why the calendar is not acceptable, or null when it is.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Id) || !SlaIds.IsCode(Id))
        {
            return $"calendar id '{Id}' must be lower-case letters and digits separated by single hyphens";
        }

        if (Helpline.Platform.Text.UserText.Check(Name, 200, singleLine: true).Problem is { } nameProblem)
        {
            return $"calendar name {nameProblem}";
        }

        if (WorkingDays is null || WorkingDays.Count == 0)
        {
            return "a calendar needs at least one working day";
        }

        if (WorkingDays.Any(d => !Enum.IsDefined(d)) || WorkingDays.Distinct().Count() != WorkingDays.Count)
        {
            return "working days must be distinct days of the week";
        }

        return Opening.ToTimeSpan() < ClosingTimeOfDay ? null : $"opening {Opening:HH\\:mm} must be before closing {ClosingText}";
    }

    /// <summary>
    /// For example "Mon–Fri 10:00–17:00 IST", or "Mon,Wed,Fri 10:00–17:00 IST": days Monday first, runs of three or
    /// more consecutive days as a range.
    /// </summary>
    public string Describe()
    {
        var mondayFirst = Enum.GetValues<DayOfWeek>().OrderBy(d => ((int)d + 6) % 7).ToArray();
        var parts = new List<string>();
        for (var i = 0; i < mondayFirst.Length; i++)
        {
            if (!WorkingDays.Contains(mondayFirst[i]))
            {
                continue;
            }

            var end = i;
            while (end + 1 < mondayFirst.Length && WorkingDays.Contains(mondayFirst[end + 1]))
            {
                end++;
            }

            parts.Add(end - i >= 2
                ? $"{mondayFirst[i].ToString()[..3]}–{mondayFirst[end].ToString()[..3]}"
                : string.Join(",", mondayFirst[i..(end + 1)].Select(d => d.ToString()[..3])));
            i = end;
        }

        return $"{string.Join(",", parts)} {Opening:HH\\:mm}–{ClosingText} IST";
    }
}

/// <summary>
/// A gazetted or local holiday: offices of <paramref name="JurisdictionId"/> and of every jurisdiction below it are
/// closed on <paramref name="Date"/> (a whole day, IST).
/// </summary>
/// <param name="Date">The day.</param>
/// <param name="Name">What it is, for example "Republic Day".</param>
/// <param name="JurisdictionId">Scope: the jurisdiction whose subtree observes it, for example <c>state:9</c> or <c>district:162</c>.</param>
[GenerateSerializer]
[Alias("helpline.sla-holiday")]
public sealed record Holiday(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] string Name,
    [property: Id(2)] string JurisdictionId);

/// <summary>An interval during which a grievance's SLA clock stood still (for example, waiting for the complainant).</summary>
/// <param name="From">When the clock stopped.</param>
/// <param name="To">When it started again; not before <paramref name="From"/>.</param>
[GenerateSerializer]
[Alias("helpline.sla-pause")]
public sealed record SlaPause([property: Id(0)] DateTimeOffset From, [property: Id(1)] DateTimeOffset To);

/// <summary>Shared validation of codes.</summary>
internal static class SlaIds
{
    /// <summary>Lower-case letters and digits in hyphen-separated words, starting with a letter, at most 100 characters.</summary>
    public static bool IsCode(string value)
    {
        if (value.Length is 0 or > 100 || value[0] is < 'a' or > 'z' || value[^1] == '-')
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') || (c == '-' && value[i - 1] != '-');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
