using GraphQL;
using GraphQL.Types;
using Helpline.CallBacks.Campaigns;
using Helpline.CallBacks.Domain;
using Helpline.CallBacks.Figures;
using Helpline.CallBacks.Outcomes;
using Helpline.CallBacks.Queue;
using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.CallBacks.GraphQL;

/// <summary>The CallBacks module's root fields: the agents' queue and outcomes, campaigns, call-backs and figures.</summary>
internal sealed class CallBacksGraphQL : GraphQLPart
{
    private static readonly Role[] Agents = [Role.CallbackAgent];
    private static readonly Role[] CampaignReaders = [Role.CallbackAgent, Role.Administrator, Role.Auditor];
    private static readonly Role[] FigureReaders = [Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner];

    // The longest period figures are counted over.
    private static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CampaignGraphType>>>>("callBackCampaigns")
            .AllowedTo(CampaignReaders)
            .Description("Call-back campaigns, newest day first (at most 1000), with their counts: of one IST day, open or closed.")
            .Argument<DateOnlyGraphType>("day", "The IST day; every day when left out.")
            .Argument<BooleanGraphType>("open", "True: open campaigns only; false: closed ones only.")
            .ResolveAsync(async c => (await Reads(c).CampaignsAsync(c.GetArgument<DateOnly?>("day"), c.GetArgument<bool?>("open"), null, Now(c), c.CancellationToken))
                .Where(k => InScope(c, k)).ToList());

        query.Field<CallBackGraphType>("callBack")
            .AllowedTo(CampaignReaders)
            .Description("One call-back with its attempts. A call-back agent sees those handed to them; administrators and auditors those within their scope.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                var id = CallBackId(c, "id");
                var row = await Reads(c).FindAsync(id, c.CancellationToken);
                return row is not null && await VisibleAsync(c, row) ? row : throw UnknownCallBack(id, "id");
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CallBackFiguresGraphType>>>>("callBackFigures")
            .AllowedTo(FigureReaders)
            .Description(
                "Call-back figures of the grievances disposed of in [from, to): due, done, satisfied, dissatisfied, not reachable, overdue and the satisfaction rate, " +
                "per campaign, department, district or officer who disposed. Counted within your scope (a supervisor: the disposals of their team's seats).")
            .Argument<NonNullGraphType<FiguresByGraphType>>("by")
            .Argument<NonNullGraphType<DateTimeOffsetGraphType>>("from", "Disposed of at or after this instant.")
            .Argument<NonNullGraphType<DateTimeOffsetGraphType>>("to", "Disposed of before this instant; at most 366 days after from.")
            .Argument<StringGraphType>("departmentId", "Only this department.")
            .Argument<StringGraphType>("jurisdictionId", "Only this place and everything below it.")
            .ResolveAsync(async c =>
            {
                var (from, to) = (c.GetArgument<DateTimeOffset>("from"), c.GetArgument<DateTimeOffset>("to"));
                if (to <= from || to - from > MaxPeriod)
                {
                    throw new HelplineException(ErrorCodes.Invalid, "to must be after from, and at most 366 days after it.", "to");
                }

                var departmentId = Key(c, "departmentId");
                var jurisdictionId = Key(c, "jurisdictionId");
                if (departmentId is not null && c.RequestServices!.GetRequiredService<ICatalogue>().FindDepartment(departmentId) is null)
                {
                    throw new HelplineException(CatalogueErrorCodes.UnknownDepartment, $"No department has id '{departmentId}'.", "departmentId");
                }

                if (jurisdictionId is not null && Places(c).Find(jurisdictionId) is null)
                {
                    throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has id '{jurisdictionId}'.", "jurisdictionId");
                }

                var caller = Caller.Of(c);
                caller.RequireInScope(departmentId, null, "departmentId");
                caller.RequireInScope(null, jurisdictionId is null ? null : [.. Places(c).PathToRoot(jurisdictionId).Select(j => j.Id)], "jurisdictionId");
                return await c.RequestServices!.GetRequiredService<CallBackFigures>().ListAsync(
                    c.GetArgument<FiguresBy>("by"), from, to, departmentId, jurisdictionId, caller.Scope, Now(c), c.CancellationToken);
            });
    }

    public override void AddMutationFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<NextCallGraphType>>("nextCallBack")
            .AllowedTo(Agents)
            .Description(
                "Hands you the oldest due call-back of the campaign that nobody holds and that you did not register yourself, held for you for the lease time " +
                "(then it returns to the queue). Asking again while you hold one gives you the same one. Nothing is handed out outside the campaign's calling hours.")
            .Argument<NonNullGraphType<StringGraphType>>("campaignId")
            .ResolveAsync(async c =>
            {
                var campaignId = Key(c, "campaignId")!;
                if (!Caller.Of(c).Scope.IsUnlimited)
                {
                    var campaign = (await Reads(c).CampaignsAsync(null, null, campaignId, Now(c), c.CancellationToken)).SingleOrDefault()
                        ?? throw new HelplineException(CallBackErrorCodes.UnknownCampaign, $"No campaign has id '{campaignId}'.", "campaignId");
                    if (!InScope(c, campaign))
                    {
                        throw new HelplineException(AccessErrorCodes.OutOfScope, $"Campaign '{campaignId}' is outside this token's scope.", "campaignId");
                    }
                }

                return await c.RequestServices!.GetRequiredService<CallBackQueue>().NextAsync(Caller.Of(c).Subject, campaignId, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<OutcomeResultGraphType>>("recordCallBackOutcome")
            .AllowedTo(Agents)
            .Description(
                "Records what the complainant said on the call-back you hold. SATISFIED closes the grievance; DISSATISFIED (with a reason) reopens it one level up " +
                "with a fresh due date; NOT_REACHABLE tries again later, and after the last attempt applies the not-reachable rule. Recorded once: a second report is refused.")
            .Argument<NonNullGraphType<IdGraphType>>("callBackId")
            .Argument<NonNullGraphType<CallBackOutcomeGraphType>>("outcome")
            .Argument<StringGraphType>("reason", $"Why the complainant is not satisfied (required for DISSATISFIED; 1..{OutcomeRecorder.MaxText} characters).")
            .Argument<IntGraphType>("rating", "The complainant's rating, 1 (poor) to 5 (excellent).")
            .Argument<StringGraphType>("note", $"Your note, up to {OutcomeRecorder.MaxText} characters.")
            .ResolveAsync(async c =>
            {
                var id = CallBackId(c, "callBackId");
                var report = OutcomeRecorder.Validate(
                    c.GetArgument<CallBackOutcome>("outcome"), c.GetArgument<string?>("reason"), c.GetArgument<int?>("rating"), c.GetArgument<string?>("note"));
                var recorded = await c.RequestServices!.GetRequiredService<OutcomeRecorder>().RecordAsync(Caller.Of(c).Subject, id, report, c.CancellationToken);
                return new OutcomeResult(recorded.CallBack, recorded.Grievance?.Status, recorded.Grievance?.Level);
            });

        mutation.Field<NonNullGraphType<CampaignGraphType>>("setCampaignCallingHours")
            .AllowedTo([Role.Administrator])
            .Description("Sets a campaign's calling hours (IST, HH:mm, from inclusive, until exclusive, within one day); nothing is offered outside them.")
            .Argument<NonNullGraphType<StringGraphType>>("campaignId")
            .Argument<NonNullGraphType<StringGraphType>>("from")
            .Argument<NonNullGraphType<StringGraphType>>("until")
            .ResolveAsync(async c =>
            {
                Caller.Of(c).RequireUnlimited("setCampaignCallingHours");
                var campaignId = Key(c, "campaignId")!;
                var from = Time(c, "from");
                var until = Time(c, "until");
                await Reads(c).SetCallingHoursAsync(campaignId, from, until, c.CancellationToken);
                return (await Reads(c).CampaignsAsync(null, null, campaignId, Now(c), c.CancellationToken)).Single();
            });
    }

    // A call-back agent sees the calls handed to them (or that they attempted); others within their scope.
    private static async Task<bool> VisibleAsync(IResolveFieldContext c, CallBackRow row)
    {
        var caller = Caller.Of(c);
        if (caller.Role == Role.CallbackAgent)
        {
            return row.LeasedTo == caller.Subject
                || (await Reads(c).AttemptsAsync(row.Id, c.CancellationToken)).Any(a => a.AgentId == caller.Subject);
        }

        var path = Places(c).PathToRoot(row.JurisdictionId).Select(j => j.Id).ToList();
        return caller.Scope.Covers(new GrievanceCoordinates(row.DepartmentId, path.Count == 0 ? [row.JurisdictionId] : path, row.PositionId ?? "", row.OfficerId ?? ""));
    }

    // A campaign is within a token's scope when all it holds is: a district's within the token's places (and no
    // department limit), a department's within its departments (and no place limit).
    private static bool InScope(IResolveFieldContext c, CampaignSummary campaign)
    {
        var scope = Caller.Of(c).Scope;
        if (scope.Departments is null && scope.Jurisdictions is null)
        {
            return true;
        }

        return campaign.GroupKind == "district"
            ? scope.Departments is null && scope.Jurisdictions!.Overlaps(Places(c).PathToRoot(campaign.GroupId).Select(j => j.Id).Append(campaign.GroupId))
            : scope.Jurisdictions is null && scope.Departments!.Contains(campaign.GroupId);
    }

    private static Guid CallBackId(IResolveFieldContext c, string argument) =>
        Guid.TryParse(c.GetArgument<string>(argument), out var id)
            ? id
            : throw new HelplineException(CallBackErrorCodes.UnknownCallBack, $"{argument} is not a call-back id (a UUID).", argument);

    private static HelplineException UnknownCallBack(Guid id, string argument) => new(CallBackErrorCodes.UnknownCallBack, $"No call-back has id '{id}'.", argument);

    private static TimeOnly Time(IResolveFieldContext c, string argument) =>
        CallBackOptions.TryTime(c.GetArgument<string>(argument), out var t)
            ? t
            : throw new HelplineException(ErrorCodes.Invalid, $"{argument} must be a time of day HH:mm (IST), for example 08:00.", argument);

    private static string? Key(IResolveFieldContext c, string argument) => GraphQLArguments.Id(c, argument);

    private static CallBackReads Reads(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<CallBackReads>();

    private static IJurisdictionDirectory Places(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IJurisdictionDirectory>();

    private static DateTimeOffset Now(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow();
}
