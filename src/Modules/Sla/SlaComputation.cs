namespace Helpline.Sla;

/// <summary>The due instant and at-risk instant of a grievance at one level, and why.</summary>
/// <param name="DueAt">When the level's allowance is used up (IST offset).</param>
/// <param name="AtRiskAt">When the warning share of the allowance is used up (IST offset); never after <paramref name="DueAt"/>.</param>
/// <param name="Explanation">Everything that went into the two instants.</param>
[GenerateSerializer]
[Alias("helpline.sla-computation")]
public sealed record SlaComputation(
    [property: Id(0)] DateTimeOffset DueAt,
    [property: Id(1)] DateTimeOffset AtRiskAt,
    [property: Id(2)] SlaExplanation Explanation);

/// <summary>Why a day inside the SLA window was not counted.</summary>
public enum SkippedDayReason
{
    /// <summary>The calendar's weekly off (for example Saturday or Sunday).</summary>
    WeeklyOff = 0,

    /// <summary>A holiday of the jurisdiction or of one of its ancestors (reported as such even when it falls on a weekly off).</summary>
    Holiday = 1,
}

/// <summary>A day the SLA clock skipped.</summary>
/// <param name="Date">The day (IST).</param>
/// <param name="Reason">Weekly off or holiday.</param>
/// <param name="Name">The holiday's name, or the day of the week for a weekly off.</param>
/// <param name="JurisdictionId">For a holiday, the jurisdiction that declared it (the grievance's or an ancestor); null for a weekly off.</param>
[GenerateSerializer]
[Alias("helpline.sla-skipped-day")]
public sealed record SkippedDay(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] SkippedDayReason Reason,
    [property: Id(2)] string Name,
    [property: Id(3)] string? JurisdictionId);

/// <summary>A pause as the computation used it.</summary>
/// <param name="From">When the clock stopped.</param>
/// <param name="To">When it started again.</param>
/// <param name="PausedTime">Time paused in the policy's unit: working time for working units, elapsed time for calendar days.</param>
/// <param name="Applied">True when the due instant moved by <paramref name="PausedTime"/>; false when the pause began at or after the due instant then in force.</param>
[GenerateSerializer]
[Alias("helpline.sla-applied-pause")]
public sealed record AppliedPause(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] TimeSpan PausedTime,
    [property: Id(3)] bool Applied);

/// <summary>
/// The answer to "why is it due then?": the policy, the calendar, the days skipped, the pauses and the instants. Built
/// from the same snapshot as the instants it explains.
/// </summary>
/// <param name="CategoryId">The grievance's category.</param>
/// <param name="Level">The level asked for (1 = L1).</param>
/// <param name="PolicyLevel">The level whose policy applied: <paramref name="Level"/>, or 4 for levels above 4.</param>
/// <param name="PolicySource">Catalogue default (calendar days) or category override.</param>
/// <param name="Allowance">Unit and amount.</param>
/// <param name="WarningShare">Share of the allowance at which the grievance becomes at risk.</param>
/// <param name="JurisdictionId">The grievance's jurisdiction.</param>
/// <param name="Calendar">The working calendar used (its days and hours; ignored for calendar days).</param>
/// <param name="CalendarAssignedAt">The jurisdiction (the grievance's or its nearest ancestor) whose assignment chose the calendar, or null when none on the path has one and the default calendar applies.</param>
/// <param name="TimeZone">Always "IST (UTC+05:30)".</param>
/// <param name="Start">The instant the clock was started from (registration or escalation).</param>
/// <param name="ClockStartsAt">For working units, the first working instant at or after <paramref name="Start"/> (the next opening when registered outside office hours); otherwise <paramref name="Start"/>.</param>
/// <param name="AllowedTime">For working units the working time given (for example 14:00:00 for 2 working days of 7 hours); for calendar days the elapsed time (N × 24 h).</param>
/// <param name="SkippedDays">Weekly offs and holidays between the start and the due date that were not counted (working units only), oldest first.</param>
/// <param name="Pauses">The pauses given, oldest first, with the time each one added.</param>
/// <param name="DueAt">The due instant.</param>
/// <param name="AtRiskAt">The at-risk instant.</param>
/// <param name="Summary">The same in one English paragraph.</param>
[GenerateSerializer]
[Alias("helpline.sla-explanation")]
public sealed record SlaExplanation(
    [property: Id(0)] string CategoryId,
    [property: Id(1)] int Level,
    [property: Id(2)] int PolicyLevel,
    [property: Id(3)] SlaPolicySource PolicySource,
    [property: Id(4)] SlaAllowance Allowance,
    [property: Id(5)] decimal WarningShare,
    [property: Id(6)] string JurisdictionId,
    [property: Id(7)] WorkingCalendar Calendar,
    [property: Id(8)] string? CalendarAssignedAt,
    [property: Id(9)] string TimeZone,
    [property: Id(10)] DateTimeOffset Start,
    [property: Id(11)] DateTimeOffset ClockStartsAt,
    [property: Id(12)] TimeSpan AllowedTime,
    [property: Id(13)] IReadOnlyList<SkippedDay> SkippedDays,
    [property: Id(14)] IReadOnlyList<AppliedPause> Pauses,
    [property: Id(15)] DateTimeOffset DueAt,
    [property: Id(16)] DateTimeOffset AtRiskAt,
    [property: Id(17)] string Summary);
