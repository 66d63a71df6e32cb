using System.Globalization;
using System.Text;
using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Errors;
using Helpline.Sla.Calendar;
using Helpline.Sla.Storage;

namespace Helpline.Sla.Engine;

/// <summary>
/// The <see cref="ISlaEngine"/>: resolves the policy (override, else catalogue), the calendar (nearest assignment on
/// the jurisdiction's path to the root, else the default) and the holidays (the jurisdiction's and its ancestors')
/// from one snapshot per call, then runs <see cref="SlaArithmetic"/>.
/// </summary>
internal sealed class SlaEngine(SlaStore store, ICatalogue catalogue, IJurisdictionDirectory directory) : ISlaEngine
{
    /// <summary>Warning share of a policy without an override.</summary>
    public const decimal DefaultWarningShare = 0.75m;

    /// <summary>The highest level with its own policy; higher levels use it.</summary>
    public const int MaxPolicyLevel = 4;

    private const string TimeZoneName = "IST (UTC+05:30)";

    public SlaEffectivePolicy GetPolicy(string categoryId, int level) => ResolvePolicy(store.Current, categoryId, level);

    public SlaComputation Compute(string categoryId, int level, string jurisdictionId, DateTimeOffset start) =>
        Compute(categoryId, level, jurisdictionId, start, []);

    public SlaComputation Compute(string categoryId, int level, string jurisdictionId, DateTimeOffset start, IReadOnlyList<SlaPause> pauses)
    {
        ArgumentNullException.ThrowIfNull(pauses);
        var snapshot = store.Current;
        var policy = ResolvePolicy(snapshot, categoryId, level);
        var (calendar, assignedAt) = ResolveCalendar(snapshot, jurisdictionId);
        var unit = policy.Allowance.Unit;

        var allowed = SlaArithmetic.AllowedTime(policy.Allowance, calendar);
        var due = SlaArithmetic.DueAt(start, policy.Allowance, calendar);
        var atRisk = SlaArithmetic.AtRiskAt(unit, start, due, policy.WarningShare, calendar);

        var applied = new List<AppliedPause>();
        DateTimeOffset? previousEnd = null;
        foreach (var pause in pauses.OrderBy(p => p.From))
        {
            if (pause.To < pause.From)
            {
                throw new ArgumentException($"A pause cannot end ({pause.To:O}) before it begins ({pause.From:O}).", nameof(pauses));
            }

            if (previousEnd is { } end && pause.From < end)
            {
                throw new ArgumentException($"Pauses overlap: one begins at {pause.From:O} before the previous one ends at {end:O}.", nameof(pauses));
            }

            previousEnd = pause.To;
            var from = pause.From < start ? start : pause.From;
            var paused = SlaArithmetic.CountedBetween(unit, from, pause.To, calendar);
            var extendsDue = from < due;
            if (from < atRisk)
            {
                atRisk = SlaArithmetic.AddCounted(unit, atRisk, paused, calendar);
            }

            if (extendsDue)
            {
                due = SlaArithmetic.AddCounted(unit, due, paused, calendar);
            }

            applied.Add(new AppliedPause(pause.From, pause.To, extendsDue ? paused : TimeSpan.Zero, extendsDue));
        }

        if (atRisk > due)
        {
            atRisk = due;
        }

        var countsWorkingTime = policy.Allowance.CountsWorkingTime;
        var clockStartsAt = countsWorkingTime ? SlaArithmetic.ClockStart(start, calendar) : start.ToOffset(IndianStandardTime.Offset);
        var skipped = countsWorkingTime ? SlaArithmetic.SkippedDays(start, due, calendar) : [];
        var explanation = new SlaExplanation(
            categoryId,
            level,
            policy.Level,
            policy.Source,
            policy.Allowance,
            policy.WarningShare,
            jurisdictionId,
            calendar.Definition,
            assignedAt,
            TimeZoneName,
            start.ToOffset(IndianStandardTime.Offset),
            clockStartsAt,
            allowed,
            skipped,
            applied,
            due,
            atRisk,
            string.Empty);
        explanation = explanation with { Summary = Summarize(explanation) };
        return new SlaComputation(due, atRisk, explanation);
    }

    public TimeSpan WorkingTimeBetween(string jurisdictionId, SlaUnit unit, DateTimeOffset from, DateTimeOffset to) =>
        SlaArithmetic.CountedBetween(unit, from, to, ResolveCalendar(store.Current, jurisdictionId).Calendar);

    public DateTimeOffset Add(string jurisdictionId, SlaUnit unit, DateTimeOffset start, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return SlaArithmetic.AddCounted(unit, start, duration, ResolveCalendar(store.Current, jurisdictionId).Calendar);
    }

    public DateTimeOffset Extend(string jurisdictionId, SlaUnit unit, DateTimeOffset due, DateTimeOffset pausedAt, DateTimeOffset resumedAt) =>
        SlaArithmetic.Extend(unit, due, pausedAt, resumedAt, ResolveCalendar(store.Current, jurisdictionId).Calendar);

    public WorkingCalendar CalendarFor(string jurisdictionId) => ResolveCalendar(store.Current, jurisdictionId).Calendar.Definition;

    public IReadOnlyList<Holiday> HolidaysFor(string jurisdictionId, DateOnly from, DateOnly to)
    {
        var (calendar, _) = ResolveCalendar(store.Current, jurisdictionId);
        var holidays = new List<Holiday>();
        // Counted in day numbers: stepping a DateOnly past its last day (9999-12-31) would throw.
        for (var n = from.DayNumber; n <= to.DayNumber && n - from.DayNumber <= SlaArithmetic.MaxScanDays; n++)
        {
            if (calendar.HolidayOn(DateOnly.FromDayNumber(n)) is { } holiday)
            {
                holidays.Add(holiday);
            }
        }

        return holidays;
    }

    private SlaEffectivePolicy ResolvePolicy(SlaSnapshot snapshot, string categoryId, int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        var category = (categoryId is null ? null : catalogue.FindCategory(categoryId))
            ?? throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has the id '{categoryId}'.", "categoryId");
        var policyLevel = Math.Min(level, MaxPolicyLevel);
        if (snapshot.Overrides.TryGetValue((category.Id, policyLevel), out var stored))
        {
            return new SlaEffectivePolicy(category.Id, policyLevel, stored.Allowance, stored.WarningShare, SlaPolicySource.CategoryOverride);
        }

        return new SlaEffectivePolicy(
            category.Id,
            policyLevel,
            new SlaAllowance(SlaUnit.CalendarDays, category.Sla.DaysAt(policyLevel)),
            DefaultWarningShare,
            SlaPolicySource.CatalogueDefault);
    }

    /// <summary>The calendar of the nearest assignment on the path to the root, with the holidays of every node on the path.</summary>
    private (SlaCalendar Calendar, string? AssignedAt) ResolveCalendar(SlaSnapshot snapshot, string jurisdictionId)
    {
        var path = jurisdictionId is null ? [] : directory.PathToRoot(jurisdictionId);
        if (path.Count == 0)
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has the id '{jurisdictionId}'.", "jurisdictionId");
        }

        WorkingCalendar? definition = null;
        string? assignedAt = null;
        var scopes = new List<IReadOnlyDictionary<DateOnly, Holiday>>(path.Count);
        foreach (var node in path)
        {
            if (definition is null
                && snapshot.Assignments.TryGetValue(node.Id, out var calendarId)
                && snapshot.Calendars.TryGetValue(calendarId, out var assigned))
            {
                definition = assigned;
                assignedAt = node.Id;
            }

            if (snapshot.HolidaysByJurisdiction.TryGetValue(node.Id, out var own))
            {
                scopes.Add(own);
            }
        }

        return (new SlaCalendar(definition ?? snapshot.DefaultCalendar, scopes), assignedAt);
    }

    private static string Summarize(SlaExplanation e)
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(culture, $"L{e.Level} of category {e.CategoryId} in {e.JurisdictionId} is allowed {e.Allowance}");
        var source = e.PolicySource == SlaPolicySource.CategoryOverride ? "override" : "catalogue default";
        text.Append(culture, $" ({source} for L{e.PolicyLevel})");
        text.Append(culture, $", at risk after {e.WarningShare * 100:0.##}%.");
        text.Append(culture, $" Clock from {Format(e.Start)}");
        if (e.Allowance.CountsWorkingTime)
        {
            if (e.ClockStartsAt != e.Start)
            {
                text.Append(culture, $", counting from the next opening {Format(e.ClockStartsAt)}");
            }

            var where = e.CalendarAssignedAt is null ? "default" : $"assigned at {e.CalendarAssignedAt}";
            text.Append(culture, $"; working time on calendar '{e.Calendar.Id}' ({e.Calendar.Describe()}, {where}), {e.AllowedTime.TotalHours:0.##} working hours in all");
            if (e.SkippedDays.Count > 0)
            {
                var days = e.SkippedDays.Select(d => d.Reason == SkippedDayReason.Holiday
                    ? $"{d.Date:ddd dd MMM yyyy} {d.Name} ({d.JurisdictionId})"
                    : $"{d.Date:ddd dd MMM yyyy} weekly off");
                text.Append(culture, $"; skipped {string.Join(", ", days)}");
            }
        }
        else
        {
            text.Append(e.Allowance.Unit == SlaUnit.CalendarHours
                ? "; calendar hours count round the clock, weekends and holidays included"
                : "; calendar days count weekends and holidays");
        }

        var applied = e.Pauses.Where(p => p.Applied).ToList();
        if (applied.Count > 0)
        {
            var pauses = applied.Select(p => $"{Format(p.From)} to {Format(p.To)} (+{p.PausedTime.TotalHours:0.##} h)");
            text.Append(culture, $"; paused {string.Join(", ", pauses)}");
        }

        text.Append(culture, $". Due {Format(e.DueAt)} (disposed of by then is on time; it breaches only after that instant); at risk from {Format(e.AtRiskAt)}.");
        return text.ToString();
    }

    private static string Format(DateTimeOffset instant) =>
        instant.ToOffset(IndianStandardTime.Offset).ToString("ddd dd MMM yyyy HH:mm 'IST'", CultureInfo.InvariantCulture);
}
