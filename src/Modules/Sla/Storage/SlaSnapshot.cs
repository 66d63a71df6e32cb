using System.Collections.Frozen;

namespace Helpline.Sla.Storage;

/// <summary>A policy override as stored: the allowance and warning share of one category at one level.</summary>
internal sealed record PolicyOverride(string CategoryId, int Level, SlaAllowance Allowance, decimal WarningShare);

/// <summary>
/// One immutable, internally consistent view of the <c>sla</c> schema. Built whole and swapped in by
/// <see cref="SlaStore"/>; readers never see a half-built one.
/// </summary>
internal sealed class SlaSnapshot
{
    private SlaSnapshot(
        long sequence,
        FrozenDictionary<string, WorkingCalendar> calendars,
        FrozenDictionary<string, string> assignments,
        FrozenDictionary<string, FrozenDictionary<DateOnly, Holiday>> holidays,
        FrozenDictionary<(string CategoryId, int Level), PolicyOverride> overrides)
    {
        Sequence = sequence;
        Calendars = calendars;
        Assignments = assignments;
        HolidaysByJurisdiction = holidays;
        Overrides = overrides;
    }

    /// <summary>The snapshot before anything was read: no overrides, no holidays, only the default calendar.</summary>
    public static SlaSnapshot Empty { get; } = Create(0, [WorkingCalendar.Default], [], [], []);

    /// <summary>Order of the read that built it; a later read never loses to an earlier one.</summary>
    public long Sequence { get; }

    /// <summary>Calendars by id.</summary>
    public FrozenDictionary<string, WorkingCalendar> Calendars { get; }

    /// <summary>Calendar id by jurisdiction id, for jurisdictions with their own assignment.</summary>
    public FrozenDictionary<string, string> Assignments { get; }

    /// <summary>Holidays declared by each jurisdiction (not inherited), by date.</summary>
    public FrozenDictionary<string, FrozenDictionary<DateOnly, Holiday>> HolidaysByJurisdiction { get; }

    /// <summary>Policy overrides by (category, level).</summary>
    public FrozenDictionary<(string CategoryId, int Level), PolicyOverride> Overrides { get; }

    /// <summary>The default calendar: the stored one with <see cref="WorkingCalendar.DefaultId"/>, else the built-in one.</summary>
    public WorkingCalendar DefaultCalendar => Calendars.GetValueOrDefault(WorkingCalendar.DefaultId) ?? WorkingCalendar.Default;

    public static SlaSnapshot Create(
        long sequence,
        IEnumerable<WorkingCalendar> calendars,
        IEnumerable<KeyValuePair<string, string>> assignments,
        IEnumerable<Holiday> holidays,
        IEnumerable<PolicyOverride> overrides) =>
        new(
            sequence,
            calendars.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal),
            assignments.ToFrozenDictionary(StringComparer.Ordinal),
            holidays
                .GroupBy(h => h.JurisdictionId, StringComparer.Ordinal)
                .ToFrozenDictionary(g => g.Key, g => g.ToFrozenDictionary(h => h.Date), StringComparer.Ordinal),
            overrides.ToFrozenDictionary(o => (o.CategoryId, o.Level)));
}
