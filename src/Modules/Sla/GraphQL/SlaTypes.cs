using System.Globalization;
using System.Text;
using GraphQL;
using GraphQL.Types;
using Helpline.Grievances;
using Helpline.Jurisdictions;
using Helpline.Platform.Errors;
using Helpline.Sla;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.GraphQL.Schema;

// SLA policies, working calendars and holidays (module Sla): read by anyone, changed by administrators.
// No roles yet: the mutations are open like the rest of the schema until authorisation arrives.

internal sealed class SlaUnitGraphType : EnumerationGraphType<SlaUnit>
{
    public SlaUnitGraphType()
    {
        Name = "SlaUnit";
        Description = "What an SLA allowance counts: calendar days (24 h each, ignoring weekends and holidays), working days (closing − opening of working time each), or working hours.";
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
        Field<NonNullGraphType<StringGraphType>>("closing").Description("HH:mm, IST.").Resolve(c => SlaFields.Time(c.Source.Closing));
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
/// <c>SlaExplanation</c>: why a grievance is due when it is. Used by <c>dueDatePreview</c> and meant for
/// <c>Grievance.slaExplanation</c> as well.
/// </summary>
internal sealed class SlaExplanationGraphType : ObjectGraphType<SlaExplanation>
{
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
        Field<NonNullGraphType<StringGraphType>>("closing").Description("HH:mm, IST, after opening.");
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

/// <summary>SLA queries, added to the root query type.</summary>
internal static class SlaQueries
{
    /// <summary>Longest date range <c>holidays</c> lists, in days.</summary>
    public const int MaxHolidayRangeDays = 3660;

    public static void Add(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<SlaPolicyGraphType>>("slaPolicy")
            .Description("The policy that applies to a category at a level (1..4): its override, else the catalogue default.")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Argument<NonNullGraphType<IntGraphType>>("level")
            .Resolve(c => SlaFields.Engine(c).GetPolicy(c.GetArgument<string>("categoryId"), SlaFields.Level(c)));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SlaPolicyGraphType>>>>("slaPolicies")
            .Description("The policies of a category at L1..L4.")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Resolve(c =>
            {
                var engine = SlaFields.Engine(c);
                var categoryId = c.GetArgument<string>("categoryId");
                return Enumerable.Range(1, SlaFields.MaxLevel).Select(level => engine.GetPolicy(categoryId, level)).ToList();
            });

        query.Field<NonNullGraphType<WorkingCalendarGraphType>>("calendarFor")
            .Description("The calendar that applies to a jurisdiction: its own assignment, else its nearest ancestor's, else 'default'.")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId")
            .Resolve(c => SlaFields.Engine(c).CalendarFor(c.GetArgument<string>("jurisdictionId")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<HolidayGraphType>>>>("holidays")
            .Description($"Holidays observed in a jurisdiction (its own and its ancestors'), from..to inclusive (at most {MaxHolidayRangeDays} days), by date.")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("from")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("to")
            .Resolve(c =>
            {
                var from = c.GetArgument<DateOnly>("from");
                var to = c.GetArgument<DateOnly>("to");
                if (to < from)
                {
                    throw new HelplineException(ErrorCodes.Invalid, $"'to' ({to:yyyy-MM-dd}) must not be before 'from' ({from:yyyy-MM-dd}).", "to");
                }

                if (to.DayNumber - from.DayNumber >= MaxHolidayRangeDays)
                {
                    throw new HelplineException(ErrorCodes.Invalid, $"The range may span at most {MaxHolidayRangeDays} days.", "to");
                }

                return SlaFields.Engine(c).HolidaysFor(c.GetArgument<string>("jurisdictionId"), from, to);
            });

        query.Field<NonNullGraphType<SlaComputationGraphType>>("dueDatePreview")
            .Description("The due and at-risk instants a grievance of this category in this jurisdiction would get at this level if its clock started at 'start', with the explanation. Stores nothing.")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Argument<NonNullGraphType<IntGraphType>>("level")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId")
            .Argument<NonNullGraphType<DateTimeOffsetGraphType>>("start", a => a.Description = "ISO 8601 instant with its offset, e.g. 2026-11-06T15:00:00+05:30.")
            .Resolve(c => SlaFields.Engine(c).Compute(
                c.GetArgument<string>("categoryId"),
                SlaFields.Level(c),
                c.GetArgument<string>("jurisdictionId"),
                Start(c)));
    }

    // The engine's calendars and holidays cover 2000..2100; outside that a preview would be meaningless.
    private static DateTimeOffset Start(IResolveFieldContext c)
    {
        var start = c.GetArgument<DateTimeOffset>("start");
        return start.Year is < 2000 or > 2099
            ? throw new HelplineException(ErrorCodes.Invalid, $"'start' ({start:O}) must fall in the years 2000 to 2099.", "start")
            : start;
    }
}

/// <summary>SLA administration mutations, added to the root mutation type.</summary>
internal static class SlaMutations
{
    public static void Add(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SlaPolicyGraphType>>("setSlaPolicy")
            .Description("Overrides a category's allowance at a level (1..4). Open grievances of the category are then recomputed. Day units: 1..365; hours: 1..8760.")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Argument<NonNullGraphType<IntGraphType>>("level")
            .Argument<NonNullGraphType<SlaUnitGraphType>>("unit")
            .Argument<NonNullGraphType<IntGraphType>>("amount")
            .Argument<DecimalGraphType>("warningShare", a =>
            {
                a.DefaultValue = SlaFields.DefaultWarningShare;
                a.Description = "Share of the allowance after which the grievance is at risk, in (0, 1], at most 4 decimals.";
            })
            .ResolveAsync(async c =>
            {
                var engine = SlaFields.Engine(c);
                var categoryId = c.GetArgument<string>("categoryId");
                var level = SlaFields.Level(c);
                var before = engine.GetPolicy(categoryId, level); // UNKNOWN_CATEGORY before anything else
                var allowance = new SlaAllowance(c.GetArgument<SlaUnit>("unit"), c.GetArgument<int>("amount"));
                if (allowance.Problem() is { } problem)
                {
                    throw new HelplineException(ErrorCodes.Invalid, $"The amount is not valid: {problem}.", "amount");
                }

                var share = c.GetArgument<decimal?>("warningShare") ?? SlaFields.DefaultWarningShare;
                if (share is <= 0m or > 1m || decimal.Round(share, 4) != share)
                {
                    throw new HelplineException(ErrorCodes.Invalid, $"The warning share must be above 0 and at most 1, with at most 4 decimals, not {share.ToString(CultureInfo.InvariantCulture)}.", "warningShare");
                }

                await SlaFields.Administration(c).SetPolicyAsync(categoryId, level, allowance, share, c.CancellationToken);
                var after = engine.GetPolicy(categoryId, level);
                if (after != before)
                {
                    await SlaFields.PolicyChangedAsync(c, categoryId);
                }

                return after;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("resetSlaPolicy")
            .Description("Removes a category's override at a level, so the catalogue default applies again (open grievances are then recomputed). False when there was no override.")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Argument<NonNullGraphType<IntGraphType>>("level")
            .ResolveAsync(async c =>
            {
                var categoryId = c.GetArgument<string>("categoryId");
                var level = SlaFields.Level(c);
                SlaFields.Engine(c).GetPolicy(categoryId, level); // UNKNOWN_CATEGORY
                var removed = await SlaFields.Administration(c).ResetPolicyAsync(categoryId, level, c.CancellationToken);
                if (removed)
                {
                    await SlaFields.PolicyChangedAsync(c, categoryId);
                }

                return removed;
            });

        mutation.Field<NonNullGraphType<WorkingCalendarGraphType>>("saveCalendar")
            .Description("Creates a working calendar, or replaces the one with the same id (grievances already registered keep their due dates).")
            .Argument<NonNullGraphType<SaveCalendarInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var calendar = SlaFields.ReadCalendar(c.GetArgument<Dictionary<string, object?>>("input"));
                await SlaFields.Administration(c).SaveCalendarAsync(calendar, c.CancellationToken);
                return calendar with { Name = calendar.Name.Trim(), WorkingDays = SlaFields.MondayFirst(calendar.WorkingDays) };
            });

        mutation.Field<NonNullGraphType<WorkingCalendarGraphType>>("assignCalendar")
            .Description("Makes a calendar the one of a jurisdiction and of everything below it that has no nearer assignment; returns the calendar that now applies there.")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId")
            .Argument<NonNullGraphType<StringGraphType>>("calendarId")
            .ResolveAsync(async c =>
            {
                var jurisdictionId = c.GetArgument<string>("jurisdictionId");
                await SlaFields.Administration(c).AssignCalendarAsync(jurisdictionId, c.GetArgument<string>("calendarId"), c.CancellationToken);
                return SlaFields.Engine(c).CalendarFor(jurisdictionId);
            });

        mutation.Field<NonNullGraphType<HolidayChangesGraphType>>("addHolidays")
            .Description("Adds holidays, or renames those already stored for the same jurisdiction and date. All or nothing: if any is bad, nothing is stored and the error lists each bad one by its 1-based position (extensions.rows).")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<HolidayInputGraphType>>>>("holidays")
            .ResolveAsync(async c =>
            {
                var holidays = c.GetArgument<List<object?>>("holidays")
                    .Cast<Dictionary<string, object?>>()
                    .Select(h => new Holiday((DateOnly)h["date"]!, (string)h["name"]!, (string)h["jurisdictionId"]!))
                    .ToList();
                try
                {
                    return await SlaFields.Administration(c).AddHolidaysAsync(holidays, c.CancellationToken);
                }
                catch (HolidayImportException ex)
                {
                    throw SlaFields.Refused(ex, "holidays");
                }
            });

        mutation.Field<NonNullGraphType<HolidayChangesGraphType>>("importHolidays")
            .Description("Imports a holiday file. Rows naming no jurisdiction get 'jurisdictionId'. All or nothing: if any row is bad, nothing is stored and the error (INVALID_VALUE) lists every bad row in its message and in extensions.rows.")
            .Argument<NonNullGraphType<HolidayFileFormatGraphType>>("format")
            .Argument<NonNullGraphType<StringGraphType>>("content", a => a.Description = "The file's text.")
            .Argument<StringGraphType>("jurisdictionId", a => a.Description = "Scope of rows that name none.")
            .ResolveAsync(async c =>
            {
                using var content = new MemoryStream(Encoding.UTF8.GetBytes(c.GetArgument<string>("content")));
                try
                {
                    return await SlaFields.Administration(c).ImportHolidaysAsync(
                        content, c.GetArgument<HolidayFileFormat>("format"), c.GetArgument<string?>("jurisdictionId"), c.CancellationToken);
                }
                catch (HolidayImportException ex)
                {
                    throw SlaFields.Refused(ex, "content");
                }
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("removeHoliday")
            .Description("Removes a jurisdiction's holiday on a date; false when it had none. A holiday of the shipped file comes back at the next start-up.")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("date")
            .ResolveAsync(async c =>
            {
                var jurisdictionId = c.GetArgument<string>("jurisdictionId");
                if (c.RequestServices!.GetRequiredService<IJurisdictionDirectory>().Find(jurisdictionId) is null)
                {
                    throw new HelplineException(ErrorCodes.UnknownJurisdiction, $"No jurisdiction has the id '{jurisdictionId}'.", "jurisdictionId");
                }

                return await SlaFields.Administration(c).RemoveHolidayAsync(jurisdictionId, c.GetArgument<DateOnly>("date"), c.CancellationToken);
            });
    }
}

/// <summary>Shared pieces of the SLA fields: services, edge validation, formatting.</summary>
internal static class SlaFields
{
    public const int MaxLevel = 4;

    public const decimal DefaultWarningShare = 0.75m;

    public static ISlaEngine Engine(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<ISlaEngine>();

    public static ISlaAdministration Administration(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<ISlaAdministration>();

    /// <summary>The <c>level</c> argument, 1..4.</summary>
    public static int Level(IResolveFieldContext c)
    {
        var level = c.GetArgument<int>("level");
        if (level is < 1 or > MaxLevel)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"The level must be 1 (L1) to {MaxLevel} (L4), not {level}.", "level");
        }

        return level;
    }

    // ---- HOOK for the Grievances module -------------------------------------------------------------------------
    // After an SLA policy of a category changed (setSlaPolicy stored a different policy, or resetSlaPolicy removed an
    // override), the open grievances of that category must be recomputed. The Grievances module does that by
    // registering an ISlaPolicyChangeListener; without one registered nothing is recomputed here.
    public static async Task PolicyChangedAsync(IResolveFieldContext c, string categoryId)
    {
        var listener = c.RequestServices!.GetService<ISlaPolicyChangeListener>();
        if (listener is not null)
        {
            await listener.PolicyChangedAsync(categoryId, c.CancellationToken);
        }
    }

    /// <summary>The <c>saveCalendar</c> input, validated field by field (fields named <c>input.*</c>).</summary>
    public static WorkingCalendar ReadCalendar(Dictionary<string, object?> input)
    {
        var id = (string)input["id"]!;
        var name = (string)input["name"]!;
        var days = ((IEnumerable<object?>)input["workingDays"]!).Cast<DayOfWeek>().ToList();
        var opening = TimeField(input, "opening");
        var closing = TimeField(input, "closing");
        var calendar = new WorkingCalendar(id, name, days, opening, closing);

        if (string.IsNullOrWhiteSpace(id))
        {
            throw new HelplineException(ErrorCodes.Required, "The calendar id is required.", "input.id");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw new HelplineException(ErrorCodes.Required, "The calendar name is required.", "input.name");
        }

        if (name.Trim().Length > 200)
        {
            throw new HelplineException(ErrorCodes.TooLong, "The calendar name must be at most 200 characters.", "input.name");
        }

        if (days.Count == 0)
        {
            throw new HelplineException(ErrorCodes.Required, "A calendar needs at least one working day.", "input.workingDays");
        }

        if (days.Distinct().Count() != days.Count)
        {
            throw new HelplineException(ErrorCodes.Invalid, "Working days must not repeat.", "input.workingDays");
        }

        if (opening >= closing)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"The closing time ({Time(closing)}) must be after the opening time ({Time(opening)}) on the same day.", "input.closing");
        }

        if (calendar.Problem() is { } problem)
        {
            // What is left is the id's form (lower-case hyphenated code).
            throw new HelplineException(ErrorCodes.Invalid, $"The calendar is not valid: {problem}.", "input.id");
        }

        return calendar;
    }

    /// <summary>A bad holiday list or file as a GraphQL error: INVALID_VALUE, the rows in the message and in <c>extensions.rows</c>.</summary>
    public static ExecutionError Refused(HolidayImportException ex, string field)
    {
        var error = new ExecutionError(ex.Message) { Code = ErrorCodes.Invalid };
        error.Extensions ??= [];
        error.Extensions["field"] = field;
        error.Extensions["rows"] = ex.Errors
            .Select(e => new Dictionary<string, object?> { ["row"] = e.Row, ["reason"] = e.Reason })
            .ToList();
        return error;
    }

    public static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static IReadOnlyList<DayOfWeek> MondayFirst(IEnumerable<DayOfWeek> days) => [.. days.OrderBy(d => ((int)d + 6) % 7)];

    public static string Describe(SlaEffectivePolicy policy)
    {
        var source = policy.Source == SlaPolicySource.CategoryOverride ? "category override" : "catalogue default";
        var share = (policy.WarningShare * 100m).ToString("0.##", CultureInfo.InvariantCulture);
        return $"L{policy.Level}: {policy.Allowance} ({source}), at risk after {share}% of it";
    }

    private static TimeOnly TimeField(Dictionary<string, object?> input, string name)
    {
        var text = (string)input[name]!;
        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"The {name} time must be HH:mm (24-hour, IST), e.g. 09:30; '{text}' is not.", "input." + name);
        }

        return time;
    }
}
