using GraphQL;
using GraphQL.Types;
using Helpline.Grievances.Desk;
using Helpline.Platform.Access;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Grievances.GraphQL;

internal sealed class LimitOverrideGraphType : ObjectGraphType<LimitOverride>
{
    public LimitOverrideGraphType()
    {
        Name = "LimitOverride";
        Description = "One extra complaint a supervisor allowed a mobile this month (allowExtraComplaint).";
        Field(x => x.SupervisorId).Description("The supervisor (or administrator) who allowed it.");
        Field(x => x.At).Description("When (UTC).");
        Field(x => x.Reason).Description("Why, in the supervisor's words.");
    }
}

internal sealed class CallerMonthGraphType : ObjectGraphType<CallerMonth>
{
    public CallerMonthGraphType()
    {
        Name = "CallerMonth";
        Description = "A mobile's complaints this calendar month (IST) against the limit of complaints per mobile.";
        Field(x => x.Mobile).Description("The mobile, normalised to ten digits as callerHistory normalises it.");
        Field(x => x.Month).Description("The calendar month in IST, yyyy-MM.");
        Field(x => x.Complaints).Description("Grievances of kind COMPLAINT registered from this mobile this month (other kinds and imports are not counted).");
        Field(x => x.Limit).Description("Complaints allowed per mobile a month (Helpline:Grievances:MonthlyComplaintLimit, default 10); 0 means no limit.");
        Field(x => x.ExtraAllowed).Description("Extra complaints supervisors allowed this month.");
        Field(x => x.Remaining).Description("max(0, limit + extraAllowed - complaints); 2147483647 when there is no limit.");
        Field(x => x.OverLimit).Description("True when a limit is set and none remain: registerGrievance of a COMPLAINT from this mobile is refused (MONTHLY_LIMIT_REACHED).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LimitOverrideGraphType>>>>("overrides")
            .Description("The extra complaints allowed this month, oldest first.")
            .Resolve(c => c.Source.Overrides);
    }
}

internal sealed class DuplicateReasonGraphType : EnumerationGraphType<DuplicateReason>
{
    public DuplicateReasonGraphType() => Name = "DuplicateReason";
}

internal sealed class PossibleDuplicateGraphType : ObjectGraphType<PossibleDuplicate>
{
    public PossibleDuplicateGraphType()
    {
        Name = "PossibleDuplicate";
        Description = "An open grievance that may be the same matter as the call on the line, and why.";
        Field(x => x.Reason, type: typeof(NonNullGraphType<DuplicateReasonGraphType>)).Description("SAME_CALLER (the caller's own; preferred when both hold) or SAME_PLACE_AND_CATEGORY.");
        Field(x => x.Grievance, type: typeof(NonNullGraphType<GrievanceGraphType>));
    }
}

internal sealed class AllowExtraComplaintInputGraphType : InputObjectGraphType
{
    public AllowExtraComplaintInputGraphType()
    {
        Name = "AllowExtraComplaintInput";
        Field<NonNullGraphType<StringGraphType>>("clientRequestId").Description("Your id for this request (1..100 of A-Z a-z 0-9 . _ : -). Retrying with the same id never grants a second complaint.");
        Field<NonNullGraphType<StringGraphType>>("mobile").Description("The caller's mobile, as in ComplainantInput.");
        Field<NonNullGraphType<StringGraphType>>("reason").Description("Why one more is allowed, 1..1000 characters; kept with who and when.");
    }
}

internal sealed class LinkCallInputGraphType : InputObjectGraphType
{
    public LinkCallInputGraphType()
    {
        Name = "LinkCallInput";
        Field<NonNullGraphType<StringGraphType>>("clientRequestId").Description("Your id for this request (1..100 of A-Z a-z 0-9 . _ : -). Retrying with the same id links the call once.");
        Field<NonNullGraphType<StringGraphType>>("referenceNumber").Description("The open grievance the call is about.");
        Field<NonNullGraphType<StringGraphType>>("mobile").Description("The mobile the caller calls from, as in ComplainantInput; the timeline shows it masked (94XXXXXX45).");
        Field<StringGraphType>("note").Description("Optional: what the caller said, up to 4000 characters.");
    }
}

/// <summary>The agent desk's root fields (issue 18): the caller's month, possible duplicates, the extra complaint and linking a call.</summary>
internal static class DeskFields
{
    private static CallerDesk Desk(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<CallerDesk>();

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<CallerMonthGraphType>>("callerMonth")
            .Description("The caller's complaints this calendar month (IST) against the limit per mobile (agents and supervisors). Counted over the whole state whatever the token's scope, as the limit is: only figures are answered, no grievance.")
            .AllowedTo(Role.Agent, Role.Supervisor)
            .Argument<NonNullGraphType<StringGraphType>>("mobile")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<ComplaintLimit>().MonthAsync(
                Domain.GrievanceRules.NormalizeMobile(c.GetArgument<string>("mobile"), "mobile"), c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PossibleDuplicateGraphType>>>>("possibleDuplicates")
            .Description($"Open grievances that may be the same matter as the call on the line: the caller's own (SAME_CALLER), then those of the same category in the same jurisdiction (SAME_PLACE_AND_CATEGORY; needs both categoryId and jurisdictionId), each newest first, within your scope (agents). Needs a mobile, or both categoryId and jurisdictionId (else INVALID_VALUE naming the one missing); a blank value counts as none. 'first' is 1..{CallerDesk.MaxDuplicates}.")
            .AllowedTo(Role.Agent)
            .Argument<StringGraphType>("mobile")
            .Argument<StringGraphType>("categoryId")
            .Argument<StringGraphType>("jurisdictionId")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 10)
            .MaxPage(CallerDesk.MaxDuplicates)
            .ResolveAsync(async c => await Desk(c).DuplicatesAsync(
                c.GetArgument<string?>("mobile"), c.GetArgument<string?>("categoryId"), c.GetArgument<string?>("jurisdictionId"),
                c.GetArgument("first", 10), Caller.Of(c).Scope, c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CallerMonthGraphType>>("allowExtraComplaint")
            .Description("A supervisor allows one more complaint this month from a mobile that reached the limit; the reason (1..1000 characters) is kept. Refused while complaints remain (MONTHLY_LIMIT_NOT_REACHED); the same clientRequestId twice grants once.")
            .AllowedTo(Role.Supervisor, Role.Administrator)
            .Argument<NonNullGraphType<AllowExtraComplaintInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var i = c.GetArgument<Dictionary<string, object?>>("input");
                return await Desk(c).AllowExtraAsync((string)i["clientRequestId"]!, (string)i["mobile"]!, Caller.Of(c).Subject, (string)i["reason"]!, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<GrievanceGraphType>>("linkCall")
            .Description("Links the call on the line to an existing open grievance instead of registering a new one; a CALL_LINKED event with the agent, the caller's mobile (masked) and the note goes on its timeline (agents). A grievance not open is INVALID_STATE_TRANSITION naming its status; the same clientRequestId twice links once.")
            .AllowedTo(Role.Agent)
            .Argument<NonNullGraphType<LinkCallInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var caller = Caller.Of(c);
                var i = c.GetArgument<Dictionary<string, object?>>("input");
                var reference = (string)i["referenceNumber"]!;
                if (!caller.SeesEveryGrievance)
                {
                    reference = (await GrievanceAccess.RequireVisibleAsync(c, reference)).ReferenceNumber;
                }

                return await Desk(c).LinkCallAsync((string)i["clientRequestId"]!, reference, caller.Subject, (string)i["mobile"]!, i.GetValueOrDefault("note") as string, c.CancellationToken);
            });
    }
}
