using GraphQL;
using GraphQL.Types;
using Helpline.CallBacks.Campaigns;
using Helpline.CallBacks.Domain;
using Helpline.CallBacks.Figures;
using Helpline.CallBacks.Queue;
using Helpline.Catalogue;
using Helpline.Catalogue.GraphQL;
using Helpline.Grievances;
using Helpline.Grievances.GraphQL;
using Helpline.Jurisdictions;
using Helpline.Jurisdictions.GraphQL;
using Helpline.Officers;
using Helpline.Officers.GraphQL;
using Helpline.Platform.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.CallBacks.GraphQL;

internal sealed class CallBackStateGraphType : EnumerationGraphType<CallBackState>
{
    public CallBackStateGraphType()
    {
        Name = "CallBackState";
        Description = "Where a call-back stands.";
    }
}

internal sealed class CallBackOutcomeGraphType : EnumerationGraphType<CallBackOutcome>
{
    public CallBackOutcomeGraphType()
    {
        Name = "CallBackOutcome";
        Description = "What the complainant said on a call-back.";
    }
}

internal sealed class NoCallReasonGraphType : EnumerationGraphType<NoCallReason>
{
    public NoCallReasonGraphType()
    {
        Name = "NoCallReason";
        Description = "Why no call was handed out.";
    }
}

internal sealed class FiguresByGraphType : EnumerationGraphType<FiguresBy>
{
    public FiguresByGraphType()
    {
        Name = "CallBackFiguresBy";
        Description = "What call-back figures are counted by.";
    }
}

internal sealed class CallBackGraphType : ObjectGraphType<CallBackRow>
{
    public CallBackGraphType()
    {
        Name = "CallBack";
        Description = "The satisfaction call-back of one disposal: the complainant is asked whether the grievance was really resolved.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field(x => x.ReferenceNumber).Description("The grievance.");
        Field(x => x.CampaignId, nullable: true).Description("The campaign it is called in; null until gathered into one.");
        Field<NonNullGraphType<CallBackStateGraphType>>("state").Resolve(c => c.Source.State);
        Field<NonNullGraphType<TimelineEventTypeGraphType>>("disposalType").Description("RESOLVED, REJECTED or DISPOSED_ON_CALL.")
            .Resolve(c => Enum.Parse<TimelineEventType>(c.Source.DisposalType));
        Field(x => x.DisposalSequence).Description("The disposal's entry in the grievance's timeline.");
        Field(x => x.DisposedAt).Description("When the grievance was disposed of (UTC).");
        Field<OfficerGraphType>("disposedBy").Description("The officer who held it when it was disposed of.")
            .Resolve(c => c.Source.OfficerId is { } id ? c.RequestServices!.GetRequiredService<IOfficerDirectory>().FindOfficer(id) : null);
        Field(x => x.Level, nullable: true).Description("The level it was disposed of at.");
        Field<DepartmentGraphType>("department").Resolve(c => c.RequestServices!.GetRequiredService<ICatalogue>().FindDepartment(c.Source.DepartmentId));
        Field<JurisdictionGraphType>("jurisdiction").Resolve(c => c.RequestServices!.GetRequiredService<IJurisdictionDirectory>().Find(c.Source.JurisdictionId));
        Field(x => x.DistrictId).Description("The district it is called back for (an imported city for its own places).");
        Field(x => x.DueAt).Description("The call must be made by then (UTC): the disposal plus the call-back window.");
        Field(x => x.CallableFrom).Description("It may be offered from then (UTC): the disposal, or the time of the next attempt.");
        Field<NonNullGraphType<BooleanGraphType>>("overdue").Description("Still pending after its due date, or finished after it.")
            .Resolve(c => c.Source.IsOverdue(c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow()));
        Field(x => x.Attempts).Description("Attempts made so far.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CallBackAttemptGraphType>>>>("attemptLog").Description("Every attempt, first first: agent, time, outcome, note.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<CallBackReads>().AttemptsAsync(c.Source.Id, c.CancellationToken));
        Field("heldBy", x => x.LeasedTo, nullable: true).Description("The agent it was last handed to.");
        Field<DateTimeOffsetGraphType>("heldUntil").Description("The agent's hold ends then (UTC); null when nobody holds it.")
            .Resolve(c => c.Source.HeldAt(c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow()) ? c.Source.LeaseUntil : null);
        Field(x => x.CompletedAt, nullable: true).Description("When it was finished (UTC).");
        Field(x => x.Rating, nullable: true).Description("The complainant's rating 1..5, if given.");
        Field(x => x.OutcomeNote, nullable: true).Description("What went on the grievance's timeline.");
        Field("appliedToGrievance", x => x.Applied).Description("Whether the grievance has been closed or reopened as the outcome says (false for a moment after a failure; a job finishes it).");
        Field<CallBackGrievanceGraphType>("grievance").Description("The grievance as the agent needs it for the call. The complainant's name and mobile are shown to the agent holding the call (logged), masked to others.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IGrievanceService>().GetAsync(c.Source.ReferenceNumber, c.CancellationToken) is { } g
                ? new CallBackGrievance(g, Unmasked(c, c.Source))
                : null);
    }

    // Only the agent holding the call, while they hold it, needs to dial the number.
    private static bool Unmasked(IResolveFieldContext c, CallBackRow row)
    {
        var caller = Caller.Of(c);
        return caller.Role == Role.CallbackAgent && row.LeasedTo == caller.Subject && row.State == CallBackState.Pending
            && row.LeaseUntil > c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow();
    }
}

/// <summary>A grievance as its call-back shows it.</summary>
internal sealed record CallBackGrievance(Grievance Grievance, bool Unmasked);

internal sealed class CallBackGrievanceGraphType : ObjectGraphType<CallBackGrievance>
{
    public CallBackGrievanceGraphType()
    {
        Name = "CallBackGrievance";
        Description = "What a call-back agent needs to know of the grievance: what was asked, what was done, and whom to call.";
        Field<NonNullGraphType<StringGraphType>>("referenceNumber").Resolve(c => c.Source.Grievance.ReferenceNumber);
        Field<NonNullGraphType<GrievanceStatusGraphType>>("status").Resolve(c => c.Source.Grievance.Status);
        Field<NonNullGraphType<IntGraphType>>("level").Resolve(c => c.Source.Grievance.Level);
        Field<CategoryGraphType>("category").Resolve(c => c.RequestServices!.GetRequiredService<ICatalogue>().FindCategory(
            c.Source.Grievance.Timeline.LastOrDefault(e => e.CategoryId is not null)?.CategoryId ?? c.Source.Grievance.Request.CategoryId));
        Field<NonNullGraphType<StringGraphType>>("description").Description("What the complainant said.").Resolve(c => c.Source.Grievance.Request.Description);
        Field<StringGraphType>("disposal").Description("The action taken report or reason given at disposal.").Resolve(c => c.Source.Grievance.Disposal);
        Field<NonNullGraphType<StringGraphType>>("complainantName").Resolve(c => Show(c, "complainant.name", c.Source.Grievance.Request.Complainant.Name, PersonalDataMask.Name));
        Field<NonNullGraphType<StringGraphType>>("complainantMobile").Resolve(c => Show(c, "complainant.mobile", c.Source.Grievance.Request.Complainant.Mobile, PersonalDataMask.Mobile));
    }

    private static string Show(IResolveFieldContext<CallBackGrievance> c, string field, string value, Func<string, string> mask)
    {
        if (!c.Source.Unmasked)
        {
            return mask(value);
        }

        Caller.Of(c).RecordPersonalDataRead(c.Source.Grievance.ReferenceNumber, field);
        return value;
    }
}

internal sealed class CallBackAttemptGraphType : ObjectGraphType<AttemptRow>
{
    public CallBackAttemptGraphType()
    {
        Name = "CallBackAttempt";
        Description = "One attempt to reach the complainant, as the agent recorded it.";
        Field(x => x.Number).Description("1 for the first attempt.");
        Field(x => x.AgentId).Description("The call-back agent.");
        Field(x => x.At).Description("When it was recorded (UTC).");
        Field<NonNullGraphType<CallBackOutcomeGraphType>>("outcome").Resolve(c => c.Source.Outcome);
        Field(x => x.Rating, nullable: true);
        Field(x => x.Reason, nullable: true).Description("Why the complainant was not satisfied.");
        Field(x => x.Note, nullable: true).Description("The agent's note.");
    }
}

internal sealed class NextCallGraphType : ObjectGraphType<NextCall>
{
    public NextCallGraphType()
    {
        Name = "NextCallBack";
        Description = "The call handed to you (held for the lease time), or why there is none.";
        Field<CallBackGraphType>("callBack").Resolve(c => c.Source.CallBack);
        Field<NoCallReasonGraphType>("reason").Description("Why no call was handed out; null when one was.").Resolve(c => c.Source.Reason);
        Field(x => x.CallingResumesAt, nullable: true).Description("Outside calling hours: when they open again (UTC).");
    }
}

/// <summary>What recording an outcome did, as the agent sees it.</summary>
internal sealed record OutcomeResult(CallBackRow CallBack, GrievanceStatus? GrievanceStatus, int? GrievanceLevel);

internal sealed class OutcomeResultGraphType : ObjectGraphType<OutcomeResult>
{
    public OutcomeResultGraphType()
    {
        Name = "CallBackOutcomeResult";
        Description = "The call-back after the outcome, and what became of the grievance.";
        Field<NonNullGraphType<CallBackGraphType>>("callBack").Resolve(c => c.Source.CallBack);
        Field<GrievanceStatusGraphType>("grievanceStatus").Description("CLOSED or OPEN (reopened); null when the grievance was left as it was, or is still to be told (appliedToGrievance false).").Resolve(c => c.Source.GrievanceStatus);
        Field(x => x.GrievanceLevel, nullable: true).Description("The grievance's level after it (one up when reopened).");
    }
}

internal sealed class CampaignGraphType : ObjectGraphType<CampaignSummary>
{
    public CampaignGraphType()
    {
        Name = "CallBackCampaign";
        Description = "The call-backs of one day (IST) for one district or department.";
        Field(x => x.Id);
        Field(x => x.Day).Description("The IST day.");
        Field(x => x.GroupKind).Description("district or department.");
        Field(x => x.GroupId).Description("The district or department.");
        Field(x => x.Open).Description("False once every call-back in it is finished.");
        Field<NonNullGraphType<StringGraphType>>("callingFrom").Description("Calls are offered from this time (IST, HH:mm)...").Resolve(c => c.Source.CallingFrom.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<StringGraphType>>("callingUntil").Description("...up to this time (IST, HH:mm, exclusive).").Resolve(c => c.Source.CallingUntil.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.CreatedAt);
        Field(x => x.ClosedAt, nullable: true);
        Field(x => x.Total).Description("Call-backs in it.");
        Field(x => x.Pending).Description("Still to call.");
        Field(x => x.HeldNow).Description("Handed to agents now.");
        Field(x => x.Done).Description("Finished (satisfied, dissatisfied or not reachable).");
    }
}

internal sealed class CallBackFiguresGraphType : ObjectGraphType<CallBackFigureRow>
{
    public CallBackFiguresGraphType()
    {
        Name = "CallBackFigures";
        Description = "Call-back figures of one campaign, department, district or officer who disposed.";
        Field(x => x.Key).Description("The campaign, department, district or officer id.");
        Field(x => x.Due).Description("Call-backs to be made (every one but those cancelled because the grievance was reopened first).");
        Field(x => x.Done).Description("Finished: satisfied, dissatisfied or not reachable.");
        Field(x => x.Pending).Description("Still to be made.");
        Field(x => x.Satisfied);
        Field(x => x.Dissatisfied).Description("The grievance went one level up.");
        Field(x => x.NotReachable).Description("Not reached after the last attempt.");
        Field(x => x.Overdue).Description("Not finished by the due date (pending after it, or finished after it).");
        Field(x => x.Cancelled).Description("Not needed: the grievance was reopened before the call.");
        Field(x => x.SatisfactionRate, nullable: true).Description("Satisfied as a percentage of satisfied + dissatisfied, two decimals (UP publishes it so); null before any answer.");
        Field(x => x.AverageRating, nullable: true).Description("Average rating given (1..5).");
    }
}
