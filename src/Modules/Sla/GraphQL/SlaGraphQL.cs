using System.Globalization;
using System.Text;
using GraphQL;
using GraphQL.Types;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Sla.GraphQL;

/// <summary>The SLA module's root fields: policies, calendars, holidays and previews; changes by administrators.</summary>
internal sealed class SlaGraphQL : GraphQLPart
{
    /// <summary>Longest date range <c>holidays</c> lists, in days.</summary>
    public const int MaxHolidayRangeDays = 3660;

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<SlaPolicyGraphType>>("slaPolicy")
            .AllowedTo(FieldAccess.Everyone)
            .Description("The policy that applies to a category at a level (1..4): its override, else the catalogue default.")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Argument<NonNullGraphType<IntGraphType>>("level")
            .Resolve(c => SlaFields.Engine(c).GetPolicy(c.GetArgument<string>("categoryId"), SlaFields.Level(c)));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SlaPolicyGraphType>>>>("slaPolicies")
            .AllowedTo(FieldAccess.Everyone)
            .Description("The policies of a category at L1..L4.")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Resolve(c =>
            {
                var engine = SlaFields.Engine(c);
                var categoryId = c.GetArgument<string>("categoryId");
                return Enumerable.Range(1, SlaLimits.MaxLevel).Select(level => engine.GetPolicy(categoryId, level)).ToList();
            });

        query.Field<NonNullGraphType<WorkingCalendarGraphType>>("calendarFor")
            .AllowedTo(FieldAccess.Everyone)
            .Description("The calendar that applies to a jurisdiction: its own assignment, else its nearest ancestor's, else 'default'.")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId")
            .Resolve(c => SlaFields.Engine(c).CalendarFor(c.GetArgument<string>("jurisdictionId")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<HolidayGraphType>>>>("holidays")
            .AllowedTo(FieldAccess.Everyone)
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
            .AllowedTo(FieldAccess.Everyone)
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

    public override void AddMutationFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SlaPolicyGraphType>>("setSlaPolicy")
            .AllowedTo(Role.Administrator)
            .Description("Overrides a category's allowance at a level (1..4). Open grievances of the category are then recomputed. Day units: 1..365; hours: 1..8760.")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Argument<NonNullGraphType<IntGraphType>>("level")
            .Argument<NonNullGraphType<SlaUnitGraphType>>("unit")
            .Argument<NonNullGraphType<IntGraphType>>("amount")
            .Argument<DecimalGraphType>("warningShare", a =>
            {
                a.DefaultValue = SlaLimits.DefaultWarningShare;
                a.Description = "Share of the allowance after which the grievance is at risk, in (0, 1], at most 4 decimals.";
            })
            .ResolveAsync(async c =>
            {
                var categoryId = c.GetArgument<string>("categoryId");
                var level = c.GetArgument<int>("level");
                var allowance = new SlaAllowance(c.GetArgument<SlaUnit>("unit"), c.GetArgument<int>("amount"));
                var share = c.GetArgument<decimal?>("warningShare") ?? SlaLimits.DefaultWarningShare;
                try
                {
                    // The service validates and, once the change is committed, tells the listeners (open grievances are recomputed).
                    await SlaFields.Administration(c).SetPolicyAsync(categoryId, level, allowance, share, c.CancellationToken);
                }
                catch (HelplineException ex) when (ex.Field == "allowance")
                {
                    // Only the amount can be wrong here: the unit is an enum GraphQL has already checked.
                    throw new HelplineException(ex.Code, ex.Message, "amount");
                }

                return SlaFields.Engine(c).GetPolicy(categoryId, level);
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("resetSlaPolicy")
            .AllowedTo(Role.Administrator)
            .Description("Removes a category's override at a level, so the catalogue default applies again (open grievances are then recomputed). False when there was no override.")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Argument<NonNullGraphType<IntGraphType>>("level")
            .ResolveAsync(async c => await SlaFields.Administration(c).ResetPolicyAsync(
                c.GetArgument<string>("categoryId"), c.GetArgument<int>("level"), c.CancellationToken));

        mutation.Field<NonNullGraphType<WorkingCalendarGraphType>>("saveCalendar")
            .AllowedTo(Role.Administrator)
            .Description("Creates a working calendar, or replaces the one with the same id (grievances already registered keep their due dates).")
            .Argument<NonNullGraphType<SaveCalendarInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var calendar = SlaFields.ReadCalendar(c.GetArgument<Dictionary<string, object?>>("input"));
                try
                {
                    await SlaFields.Administration(c).SaveCalendarAsync(calendar, c.CancellationToken);
                }
                catch (HelplineException ex) when (ex.Field?.StartsWith("calendar.", StringComparison.Ordinal) == true)
                {
                    throw new HelplineException(ex.Code, ex.Message, "input." + ex.Field["calendar.".Length..]);
                }

                return calendar with { Name = calendar.Name.Trim(), WorkingDays = SlaFields.MondayFirst(calendar.WorkingDays) };
            });

        mutation.Field<NonNullGraphType<WorkingCalendarGraphType>>("assignCalendar")
            .AllowedTo(Role.Administrator)
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
            .AllowedTo(Role.Administrator)
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
            .AllowedTo(Role.Administrator)
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
            .AllowedTo(Role.Administrator)
            .Description("Removes a jurisdiction's holiday on a date; false when it had none. A holiday of the shipped file comes back at the next start-up.")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("date")
            .ResolveAsync(async c => await SlaFields.Administration(c).RemoveHolidayAsync(
                c.GetArgument<string>("jurisdictionId"), c.GetArgument<DateOnly>("date"), c.CancellationToken));
    }
}

/// <summary>Shared pieces of the SLA fields: services, argument checks of the queries, parsing, formatting.</summary>
internal static class SlaFields
{
    public static ISlaEngine Engine(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<ISlaEngine>();

    /// <summary>
    /// The administration service, for a caller who may change the state's SLA rules: policies, calendars and holidays
    /// reach across departments and districts, so a token limited to some of them may not change them.
    /// </summary>
    public static ISlaAdministration Administration(IResolveFieldContext c)
    {
        Caller.Of(c).RequireUnlimited("SLA, calendar and holiday administration");
        return c.RequestServices!.GetRequiredService<ISlaAdministration>();
    }

    /// <summary>The <c>level</c> argument of a query, 1..4 (the administration service checks its own).</summary>
    public static int Level(IResolveFieldContext c)
    {
        var level = c.GetArgument<int>("level");
        if (level is < 1 or > SlaLimits.MaxLevel)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"The level must be 1 (L1) to {SlaLimits.MaxLevel} (L4), not {level}.", "level");
        }

        return level;
    }

    /// <summary>
    /// The <c>saveCalendar</c> input as a calendar: only the times are parsed here (HH:mm text is this API's form);
    /// the rules are the administration service's.
    /// </summary>
    public static WorkingCalendar ReadCalendar(Dictionary<string, object?> input)
    {
        var days = ((IEnumerable<object?>)input["workingDays"]!).Cast<DayOfWeek>().ToList();
        return new WorkingCalendar((string)input["id"]!, (string)input["name"]!, days, TimeField(input, "opening"), ClosingField(input));
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

    // "24:00" closes at the midnight that ends the day (a round-the-clock calendar is 00:00 to 24:00).
    private static TimeOnly ClosingField(Dictionary<string, object?> input)
    {
        var text = (string)input["closing"]!;
        return WorkingCalendar.ParseClosing(text)
            ?? throw new HelplineException(ErrorCodes.Invalid, $"The closing time must be HH:mm (24-hour, IST), or 24:00 for midnight, e.g. 17:30; '{text}' is not.", "input.closing");
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
