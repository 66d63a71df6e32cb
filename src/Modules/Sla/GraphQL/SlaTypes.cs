using GraphQL.Types;

namespace Helpline.Sla.GraphQL;

// SLA policies, working calendars and holidays (module Sla): read by anyone, changed by administrators.
// No roles yet: the mutations are open like the rest of the schema until authorisation arrives.

/// <summary>GraphQL enum <c>SlaUnit</c>; public because the public directory (another module) answers in it.</summary>
public sealed class SlaUnitGraphType : EnumerationGraphType<SlaUnit>
{
    /// <summary>Creates the type.</summary>
    public SlaUnitGraphType()
    {
        Name = "SlaUnit";
        Description = "What an SLA allowance counts: calendar days (24 h each, ignoring weekends and holidays), working days (closing − opening of working time each), working hours, or calendar hours (round the clock, for emergencies).";
    }
}

internal sealed class SlaPolicySourceGraphType : EnumerationGraphType<SlaPolicySource>
{
    public SlaPolicySourceGraphType()
    {
        Name = "SlaPolicySource";
        Description = "Where a policy comes from: the category's catalogue SLA (calendar days per level), or an override set with setSlaPolicy.";
    }
}

internal sealed class DayOfWeekGraphType : EnumerationGraphType<DayOfWeek>
{
    public DayOfWeekGraphType() => Name = "DayOfWeek";
}

internal sealed class SkippedDayReasonGraphType : EnumerationGraphType<SkippedDayReason>
{
    public SkippedDayReasonGraphType() => Name = "SkippedDayReason";
}

internal sealed class HolidayFileFormatGraphType : EnumerationGraphType
{
    public HolidayFileFormatGraphType()
    {
        Name = "HolidayFileFormat";
        Add("CSV", HolidayFileFormat.Csv, "CSV, UTF-8: date,name[,jurisdiction_id] per line, the date as yyyy-MM-dd; optional header line starting with 'date'; fields may be double-quoted. The row number is the line number.");
        Add("ICALENDAR", HolidayFileFormat.ICalendar, "iCalendar (RFC 5545): one holiday per VEVENT named by SUMMARY on its DTSTART;VALUE=DATE (up to DTEND exclusive, at most 31 days); scope in X-HELPLINE-JURISDICTION. The row number is the line of BEGIN:VEVENT.");
    }
}

internal sealed class SlaAllowanceGraphType : ObjectGraphType<SlaAllowance>
{
    public SlaAllowanceGraphType()
    {
        Name = "SlaAllowance";
        Description = "Time a level is given, for example 2 working days.";
        Field(x => x.Unit, type: typeof(NonNullGraphType<SlaUnitGraphType>));
        Field(x => x.Amount);
        Field<NonNullGraphType<StringGraphType>>("description").Description("For example '2 working days'.").Resolve(c => c.Source.ToString());
    }
}

internal sealed class SlaPolicyGraphType : ObjectGraphType<SlaEffectivePolicy>
{
    public SlaPolicyGraphType()
    {
        Name = "SlaPolicy";
        Description = "The allowance that applies to a category at one level, its warning share, and where it comes from.";
        Field(x => x.CategoryId);
        Field(x => x.Level).Description("1 (L1) to 4 (L4).");
        Field<NonNullGraphType<SlaUnitGraphType>>("unit").Resolve(c => c.Source.Allowance.Unit);
        Field<NonNullGraphType<IntGraphType>>("amount").Resolve(c => c.Source.Allowance.Amount);
        Field(x => x.WarningShare).Description("Share of the allowance after which the grievance is at risk, in (0, 1].");
        Field(x => x.Source, type: typeof(NonNullGraphType<SlaPolicySourceGraphType>));
        Field<NonNullGraphType<StringGraphType>>("description")
            .Description("For example 'L2: 3 working days (category override), at risk after 75% of it'.")
            .Resolve(c => SlaFields.Describe(c.Source));
    }
}

internal sealed class WorkingCalendarGraphType : ObjectGraphType<WorkingCalendar>
{
    public WorkingCalendarGraphType()
    {
        Name = "WorkingCalendar";
        Description = "Weekly working days and office hours (IST, UTC+05:30, no daylight saving); working time is [opening, closing) of each working day. Holidays belong to jurisdictions, not to calendars.";
        Field(x => x.Id);
        Field(x => x.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DayOfWeekGraphType>>>>("workingDays")
            .Description("Monday first.")
            .Resolve(c => SlaFields.MondayFirst(c.Source.WorkingDays));
        Field<NonNullGraphType<StringGraphType>>("opening").Description("HH:mm, IST.").Resolve(c => SlaFields.Time(c.Source.Opening));
        Field<NonNullGraphType<StringGraphType>>("closing").Description("HH:mm, IST; 24:00 is the midnight that ends the day.").Resolve(c => c.Source.ClosingText);
        Field<NonNullGraphType<StringGraphType>>("description").Description("For example 'Mon–Fri 10:00–17:00 IST'.").Resolve(c => c.Source.Describe());
    }
}

internal sealed class HolidayGraphType : ObjectGraphType<Holiday>
{
    public HolidayGraphType()
    {
        Name = "Holiday";
        Description = "A whole day (IST) on which offices of the jurisdiction and of everything below it are closed.";
        Field<NonNullGraphType<DateOnlyGraphType>>("date").Resolve(c => c.Source.Date);
        Field(x => x.Name);
        Field(x => x.JurisdictionId).Description("The jurisdiction that declared it, e.g. state:9 or district:162.");
    }
}

internal sealed class HolidayChangesGraphType : ObjectGraphType<HolidayChanges>
{
    public HolidayChangesGraphType()
    {
        Name = "HolidayChanges";
        Description = "What a holiday write changed.";
        Field(x => x.Added).Description("Holidays inserted.");
        Field(x => x.Renamed).Description("Holidays already stored for that jurisdiction and date whose name changed.");
        Field(x => x.Unchanged).Description("Holidays already stored exactly so.");
    }
}

internal sealed class SkippedDayGraphType : ObjectGraphType<SkippedDay>
{
    public SkippedDayGraphType()
    {
        Name = "SkippedDay";
        Description = "A day the SLA clock did not count.";
        Field<NonNullGraphType<DateOnlyGraphType>>("date").Resolve(c => c.Source.Date);
        Field(x => x.Reason, type: typeof(NonNullGraphType<SkippedDayReasonGraphType>));
        Field(x => x.Name).Description("The holiday's name, or the day of the week for a weekly off.");
        Field(x => x.JurisdictionId, nullable: true).Description("For a holiday, the jurisdiction that declared it; null for a weekly off.");
    }
}

internal sealed class AppliedPauseGraphType : ObjectGraphType<AppliedPause>
{
    public AppliedPauseGraphType()
    {
        Name = "SlaPause";
        Description = "A pause as the computation used it.";
        Field(x => x.From);
        Field(x => x.To);
        Field<NonNullGraphType<FloatGraphType>>("pausedSeconds")
            .Description("Time paused in the policy's unit, in seconds: working time for working units, elapsed time for calendar days.")
            .Resolve(c => c.Source.PausedTime.TotalSeconds);
        Field(x => x.Applied).Description("True when the due instant moved by the paused time; false when the pause began at or after the due instant then in force.");
    }
}

/// <summary>
/// <c>SlaExplanation</c>: why a grievance is due when it is. Used by <c>dueDatePreview</c> and by
/// <c>Grievance.slaExplanation</c> (Grievances module).
/// </summary>
public sealed class SlaExplanationGraphType : ObjectGraphType<SlaExplanation>
{
    /// <summary>Creates the type.</summary>
    public SlaExplanationGraphType()
    {
        Name = "SlaExplanation";
        Description = "Why it is due then: the policy, the calendar, the days skipped, the pauses and the instants, from one snapshot of the rules.";
        Field(x => x.CategoryId);
        Field(x => x.Level).Description("The level asked for (1 = L1).");
        Field(x => x.PolicyLevel).Description("The level whose policy applied: the level, or 4 above L4.");
        Field(x => x.PolicySource, type: typeof(NonNullGraphType<SlaPolicySourceGraphType>));
        Field<NonNullGraphType<SlaAllowanceGraphType>>("allowance").Resolve(c => c.Source.Allowance);
        Field(x => x.WarningShare);
        Field(x => x.JurisdictionId);
        Field<NonNullGraphType<WorkingCalendarGraphType>>("calendar").Resolve(c => c.Source.Calendar);
        Field(x => x.CalendarAssignedAt, nullable: true)
            .Description("The jurisdiction (this one or its nearest ancestor) whose assignment chose the calendar; null when the default calendar applies.");
        Field(x => x.TimeZone);
        Field(x => x.Start).Description("The instant the clock was started from (registration or escalation).");
        Field(x => x.ClockStartsAt).Description("For working units the first working instant at or after start; otherwise start.");
        Field<NonNullGraphType<FloatGraphType>>("allowedSeconds")
            .Description("Time given, in seconds: working time for working units (2 working days of 7 h = 50400), elapsed time for calendar days.")
            .Resolve(c => c.Source.AllowedTime.TotalSeconds);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SkippedDayGraphType>>>>("skippedDays")
            .Description("Weekly offs and holidays between the start and the due date that were not counted (working units only), oldest first.")
            .Resolve(c => c.Source.SkippedDays);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppliedPauseGraphType>>>>("pauses")
            .Description("Pauses, oldest first, with the time each one added.")
            .Resolve(c => c.Source.Pauses);
        Field(x => x.DueAt);
        Field(x => x.AtRiskAt);
        Field(x => x.Summary).Description("The same in one English paragraph.");
    }
}

internal sealed class SlaComputationGraphType : ObjectGraphType<SlaComputation>
{
    public SlaComputationGraphType()
    {
        Name = "SlaComputation";
        Description = "Due and at-risk instants (IST offset) with their explanation.";
        Field(x => x.DueAt);
        Field(x => x.AtRiskAt);
        Field<NonNullGraphType<SlaExplanationGraphType>>("explanation").Resolve(c => c.Source.Explanation);
    }
}

internal sealed class SaveCalendarInputGraphType : InputObjectGraphType
{
    public SaveCalendarInputGraphType()
    {
        Name = "SaveCalendarInput";
        Description = "A working calendar; the same id replaces the stored one (including 'default').";
        Field<NonNullGraphType<StringGraphType>>("id").Description("Lower-case letters and digits in hyphen-separated words, e.g. six-day-week.");
        Field<NonNullGraphType<StringGraphType>>("name").Description("1..200 characters.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DayOfWeekGraphType>>>>("workingDays").Description("At least one, no repeats.");
        Field<NonNullGraphType<StringGraphType>>("opening").Description("HH:mm, IST.");
        Field<NonNullGraphType<StringGraphType>>("closing").Description("HH:mm, IST, after opening; 24:00 for midnight (00:00 to 24:00 is round the clock).");
    }
}

internal sealed class HolidayInputGraphType : InputObjectGraphType
{
    public HolidayInputGraphType()
    {
        Name = "HolidayInput";
        Field<NonNullGraphType<DateOnlyGraphType>>("date").Description("yyyy-MM-dd, year 2000..2100.");
        Field<NonNullGraphType<StringGraphType>>("name").Description("1..200 characters; a holiday already stored for that jurisdiction and date is renamed.");
        Field<NonNullGraphType<StringGraphType>>("jurisdictionId").Description("Scope: the jurisdiction whose subtree observes it.");
    }
}
