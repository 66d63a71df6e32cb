using GraphQL.Types;
using Helpline.Officers.Postings;
using Helpline.Officers.Roster;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Officers.GraphQL;

/// <summary>Where a leave stands at the service's now.</summary>
internal enum LeaveStatus
{
    Scheduled,
    InForce,
    Ended,
    Cancelled,
}

internal sealed class LeaveStatusGraphType : EnumerationGraphType<LeaveStatus>
{
    public LeaveStatusGraphType()
    {
        Name = "LeaveStatus";
        Description = "SCHEDULED (not begun), IN_FORCE (the charge officer acts for the seat), ENDED (at its end or early), CANCELLED (ended before it began).";
    }
}

internal sealed class PostingEndReasonGraphType : EnumerationGraphType<PostingEndReason>
{
    public PostingEndReasonGraphType()
    {
        Name = "PostingEndReason";
        Description = "Why an administrator ends a posting: TRANSFER (out of the seat) or RETIREMENT.";
    }
}

internal sealed class LeaveGraphType : ObjectGraphType<OfficerLeave>
{
    public LeaveGraphType()
    {
        Name = "Leave";
        Description = "An officer's leave, with the officer who holds the charge of their seat meanwhile.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.OfficerId);
        Field<OfficerGraphType>("officer").Resolve(c => OfficersGraphQL.Directory(c).FindOfficer(c.Source.OfficerId));
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("from").Resolve(c => c.Source.StartsAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("to").Resolve(c => c.Source.EndsAt).Description("As recorded; see endedAt for an early end.");
        Field(x => x.ChargeOfficerId);
        Field<OfficerGraphType>("chargeOfficer").Resolve(c => OfficersGraphQL.Directory(c).FindOfficer(c.Source.ChargeOfficerId));
        Field(x => x.HandOverOpen).Description("Whether the seat's open grievances go to the charge officer when the leave begins (new ones always do).");
        Field(x => x.Note, nullable: true);
        Field(x => x.RecordedBy);
        Field(x => x.RecordedAt);
        Field(x => x.EndedAt, nullable: true).Description("When an administrator ended it early (at or before 'from': cancelled).");
        Field(x => x.EndedBy, nullable: true);
        Field(x => x.EndNote, nullable: true);
        Field<NonNullGraphType<LeaveStatusGraphType>>("status").Resolve(c =>
        {
            var now = c.RequestServices!.GetRequiredService<OfficerDirectory>().Now;
            var l = c.Source;
            return l.Cancelled ? LeaveStatus.Cancelled : l.EffectiveEnd <= now ? LeaveStatus.Ended : l.StartsAt <= now ? LeaveStatus.InForce : LeaveStatus.Scheduled;
        });
    }
}

internal sealed class PostingGraphType : ObjectGraphType<OfficerPosting>
{
    public PostingGraphType()
    {
        Name = "Posting";
        Description = "A posting made or ended by an administrator. A posting from the shipped roster appears once it ends, with no start.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.OfficerId);
        Field<OfficerGraphType>("officer").Resolve(c => OfficersGraphQL.Directory(c).FindOfficer(c.Source.OfficerId));
        Field(x => x.PositionId);
        Field<PositionGraphType>("position").Resolve(c => OfficersGraphQL.Directory(c).FindPosition(c.Source.PositionId));
        Field(x => x.StartedAt, nullable: true).Description("Null for a posting made before records began (the shipped roster).");
        Field(x => x.StartedBy, nullable: true);
        Field(x => x.Note, nullable: true);
        Field(x => x.EndedAt, nullable: true);
        Field<StringGraphType>("endReason").Resolve(c => c.Source.EndReason?.ToUpperInvariant()).Description("TRANSFER, RETIREMENT or RELIEVED (another officer was posted with relieveHolder); null while it lasts.");
        Field(x => x.EndedBy, nullable: true);
        Field(x => x.EndNote, nullable: true);
    }
}

internal sealed class AddOfficerInputGraphType : InputObjectGraphType
{
    public AddOfficerInputGraphType()
    {
        Name = "AddOfficerInput";
        Field<NonNullGraphType<StringGraphType>>("clientRequestId").Description("The caller's id for this request (1..100 characters): sent again, it returns the same officer.");
        Field<NonNullGraphType<StringGraphType>>("name").Description("1..100 characters.");
        Field<NonNullGraphType<StringGraphType>>("mobile").Description("Ten-digit Indian mobile number; shown to signed-in callers only.");
    }
}

internal sealed class PostOfficerInputGraphType : InputObjectGraphType
{
    public PostOfficerInputGraphType()
    {
        Name = "PostOfficerInput";
        Field<NonNullGraphType<StringGraphType>>("officerId");
        Field<NonNullGraphType<StringGraphType>>("positionId");
        Field<BooleanGraphType>("relieveHolder").DefaultValue(false).Description("Relieve the officer posted there now (their posting ends, RELIEVED); otherwise a held seat is refused (POSITION_HELD).");
        Field<StringGraphType>("note").Description("The order or reason, up to 500 characters.");
    }
}

internal sealed class EndPostingInputGraphType : InputObjectGraphType
{
    public EndPostingInputGraphType()
    {
        Name = "EndPostingInput";
        Field<NonNullGraphType<StringGraphType>>("officerId");
        Field<NonNullGraphType<PostingEndReasonGraphType>>("reason");
        Field<StringGraphType>("note");
    }
}

internal sealed class RecordLeaveInputGraphType : InputObjectGraphType
{
    public RecordLeaveInputGraphType()
    {
        Name = "RecordLeaveInput";
        Field<NonNullGraphType<StringGraphType>>("officerId").Description("A posted officer.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("from").Description("First instant of the leave: now or later (a minute's grace).");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("to").Description("The instant the officer is back; after 'from'.");
        Field<NonNullGraphType<StringGraphType>>("chargeOfficerId").Description("Who holds the seat's charge meanwhile: another officer, not on leave during it.");
        Field<BooleanGraphType>("handOverOpen").DefaultValue(false).Description("Also hand the seat's open grievances to the charge officer (and back at the end); new ones go to the charge officer anyway.");
        Field<StringGraphType>("note");
    }
}

internal sealed class EndLeaveInputGraphType : InputObjectGraphType
{
    public EndLeaveInputGraphType()
    {
        Name = "EndLeaveInput";
        Field<NonNullGraphType<IdGraphType>>("leaveId");
        Field<StringGraphType>("note");
    }
}

internal sealed class SetOfficePhoneInputGraphType : InputObjectGraphType
{
    public SetOfficePhoneInputGraphType()
    {
        Name = "SetOfficePhoneInput";
        Field<NonNullGraphType<StringGraphType>>("positionId");
        Field<StringGraphType>("officePhone").Description("A ten-digit mobile or a landline with its STD code (0522-2234567); spaces, hyphens, +91 allowed; null clears it.");
    }
}
