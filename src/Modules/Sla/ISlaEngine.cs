namespace Helpline.Sla;

/// <summary>
/// SLA arithmetic over an in-memory snapshot of the <c>sla</c> schema (calendars, assignments, holidays, policy
/// overrides), the catalogue and the jurisdiction tree. A thread-safe singleton; every call is pure given the snapshot
/// (no clock, no I/O) and costs O(days spanned). All instants are returned with the IST offset (+05:30).
/// </summary>
/// <remarks>
/// <para>Rules, for a jurisdiction J and its calendar C (the calendar assigned to J or its nearest ancestor, else
/// <see cref="WorkingCalendar.Default"/>):</para>
/// <list type="bullet">
/// <item>A day is a working day when its day of the week is one of C's working days and no holiday of J or of an
/// ancestor of J falls on it. Working time is [opening, closing) of each working day, IST.</item>
/// <item>Calendar days: due = start + N × 24 h; holidays, weekends and hours are ignored.</item>
/// <item>Working hours: due = the earliest instant at which N hours of working time have passed since start. Time
/// outside working hours does not count, so a start outside hours begins counting at the next opening. The due
/// instant is always inside working hours; it may be exactly the closing time (then it is that day's closing, never
/// the next opening).</item>
/// <item>Working days: as working hours with N × (closing − opening). Registered at 15:00 on a working day with
/// 1 working day: due 15:00 the next working day. Registered on a weekly off, holiday or after hours: the clock starts
/// at the next opening, so 1 working day is due at that day's closing.</item>
/// <item>At risk: the instant when the warning share of the allowance is used, measured in the policy's unit
/// (working time for working units), so it lands inside working hours for working units.</item>
/// </list>
/// </remarks>
public interface ISlaEngine
{
    /// <summary>
    /// The allowance for <paramref name="categoryId"/> at <paramref name="level"/>: the override stored in the
    /// <c>sla</c> schema, else the catalogue's calendar days for the level with the default warning share (0.75).
    /// Levels above 4 use level 4's policy.
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_CATEGORY</c>: the catalogue has no such category.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is below 1.</exception>
    SlaEffectivePolicy GetPolicy(string categoryId, int level);

    /// <summary>Due and at-risk instants of a grievance of <paramref name="categoryId"/> in <paramref name="jurisdictionId"/>
    /// whose clock at <paramref name="level"/> started at <paramref name="start"/> (registration or escalation), with the explanation.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_CATEGORY</c> or <c>UNKNOWN_JURISDICTION</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is below 1.</exception>
    SlaComputation Compute(string categoryId, int level, string jurisdictionId, DateTimeOffset start);

    /// <summary>
    /// As <see cref="Compute(string, int, string, DateTimeOffset)"/>, then applies <paramref name="pauses"/> (closed
    /// intervals, not overlapping, any order) oldest first: a pause that began before the due instant then in force moves it
    /// by the time paused (<see cref="WorkingTimeBetween"/> of the pause, clipped to start at <paramref name="start"/>);
    /// one that began at or after it changes nothing (the level was already overdue). The at-risk instant moves the same
    /// way when the pause began before it.
    /// </summary>
    /// <exception cref="ArgumentException">A pause ends before it begins, or two pauses overlap.</exception>
    SlaComputation Compute(string categoryId, int level, string jurisdictionId, DateTimeOffset start, IReadOnlyList<SlaPause> pauses);

    /// <summary>
    /// Time between <paramref name="from"/> and <paramref name="to"/> that counts towards an allowance in
    /// <paramref name="unit"/>: working time of the jurisdiction's calendar for working units (the same for days and
    /// hours), elapsed time for calendar days. Zero when <paramref name="to"/> is not after <paramref name="from"/>.
    /// Use it to measure a pause.
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_JURISDICTION</c>.</exception>
    TimeSpan WorkingTimeBetween(string jurisdictionId, SlaUnit unit, DateTimeOffset from, DateTimeOffset to);

    /// <summary>
    /// The earliest instant at which <paramref name="duration"/> of counted time (see <see cref="WorkingTimeBetween"/>)
    /// has passed since <paramref name="start"/>. For working units and a positive duration the result is inside working
    /// hours (possibly exactly at closing). A zero duration returns <paramref name="start"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_JURISDICTION</c>.</exception>
    DateTimeOffset Add(string jurisdictionId, SlaUnit unit, DateTimeOffset start, TimeSpan duration);

    /// <summary>
    /// The due instant after a pause from <paramref name="pausedAt"/> to <paramref name="resumedAt"/>: <paramref name="due"/>
    /// moved by exactly the counted time paused, <c>Add(due, WorkingTimeBetween(pausedAt, resumedAt))</c>, which equals
    /// resuming with the time that was left at the pause. Unchanged when the pause began at or after <paramref name="due"/>.
    /// Apply it to the at-risk instant too when the pause began before it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="resumedAt"/> is before <paramref name="pausedAt"/>.</exception>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_JURISDICTION</c>.</exception>
    DateTimeOffset Extend(string jurisdictionId, SlaUnit unit, DateTimeOffset due, DateTimeOffset pausedAt, DateTimeOffset resumedAt);

    /// <summary>The calendar that applies to <paramref name="jurisdictionId"/>: its own assignment, else its nearest ancestor's, else the default.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_JURISDICTION</c>.</exception>
    WorkingCalendar CalendarFor(string jurisdictionId);

    /// <summary>Holidays observed in <paramref name="jurisdictionId"/> (its own and its ancestors'), from <paramref name="from"/> to <paramref name="to"/> inclusive, by date.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException"><c>UNKNOWN_JURISDICTION</c>.</exception>
    IReadOnlyList<Holiday> HolidaysFor(string jurisdictionId, DateOnly from, DateOnly to);
}
