using GraphQL;
using GraphQL.Types;
using Helpline.Catalogue;
using Helpline.Catalogue.GraphQL;
using Helpline.Jurisdictions;
using Helpline.Jurisdictions.GraphQL;
using Helpline.Officers;
using Helpline.Officers.GraphQL;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Helpline.Sla.GraphQL;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Grievances.GraphQL;

/// <summary>The GraphQL enum <c>GrievanceKind</c>; other modules that publish grievance facts use it.</summary>
public sealed class GrievanceKindGraphType : EnumerationGraphType<GrievanceKind>
{
    /// <summary>Creates the enum.</summary>
    public GrievanceKindGraphType() => Name = "GrievanceKind";
}

internal sealed class ChannelGraphType : EnumerationGraphType<Channel>
{
    public ChannelGraphType() => Name = "Channel";
}

/// <summary>The GraphQL enum <c>GrievanceStatus</c> (public: the call-back module reports a grievance's status after an outcome).</summary>
public sealed class GrievanceStatusGraphType : EnumerationGraphType<GrievanceStatus>
{
    /// <summary>Creates the enum.</summary>
    public GrievanceStatusGraphType() => Name = "GrievanceStatus";
}

/// <summary>The GraphQL enum <c>TimelineEventType</c>: what happened to a grievance; also the type of a grievance event.</summary>
public sealed class TimelineEventTypeGraphType : EnumerationGraphType<TimelineEventType>
{
    /// <summary>Creates the enum.</summary>
    public TimelineEventTypeGraphType() => Name = "TimelineEventType";
}

/// <summary>The GraphQL enum <c>ReturnKind</c>: why an L1 officer asks to return a grievance.</summary>
public sealed class ReturnKindGraphType : EnumerationGraphType<ReturnKind>
{
    /// <summary>Creates the enum.</summary>
    public ReturnKindGraphType() => Name = "ReturnKind";
}

internal sealed class PendingReturnGraphType : ObjectGraphType<PendingReturn>
{
    public PendingReturnGraphType()
    {
        Name = "PendingReturn";
        Description = "A return the L1 officer asked for, awaiting the L2 officer's decision (decideReturn).";
        Field(x => x.Kind, type: typeof(NonNullGraphType<ReturnKindGraphType>)).Description("What is asked for.");
        Field(x => x.Reason).Description("Why, in the asking officer's words.");
        Field(x => x.RequestedBy).Description("The officer who asked.");
        Field(x => x.RequestedAt).Description("When (UTC).");
    }
}

internal sealed class ComplainantGraphType : ObjectGraphType<ComplainantView>
{
    public ComplainantGraphType()
    {
        Name = "Complainant";
        Description = "The person who raised the grievance. Masked (S*** D***, 94XXXXXX45) for everyone but the agent on the call, the officer holding it and their supervisor; each unmasked read is written to the access log.";
        Field<NonNullGraphType<StringGraphType>>("name").Description("Name as given.")
            .Resolve(c => GrievanceAccess.Show(c, c.Source, "complainant.name", c.Source.Name, PersonalDataMask.Name));
        Field<NonNullGraphType<StringGraphType>>("mobile").Description("Ten-digit Indian mobile number.")
            .Resolve(c => GrievanceAccess.Show(c, c.Source, "complainant.mobile", c.Source.Mobile, PersonalDataMask.Mobile));
    }
}

internal sealed class TimelineEventGraphType : ObjectGraphType<TimelineEvent>
{
    public TimelineEventGraphType()
    {
        Name = "TimelineEvent";
        Description = "One change to a grievance: what, who, when and why.";
        Field(x => x.Sequence).Description("1-based position in the timeline.");
        Field(x => x.Type, type: typeof(NonNullGraphType<TimelineEventTypeGraphType>)).Description("What happened.");
        Field(x => x.At).Description("When (UTC, ISO 8601).");
        Field(x => x.Actor).Description("Agent or officer id, or 'system' for SLA actions.");
        Field(x => x.Note, nullable: true).Description("Why; or the report, reason or answer.");
        Field(x => x.OfficerId, nullable: true).Description("Officer holding the grievance after the event.");
        Field(x => x.Level, nullable: true).Description("Level (1..4) after the event.");
        Field(x => x.DueAt, nullable: true).Description("Due date after the event (UTC).");
        Field(x => x.ReturnKind, type: typeof(ReturnKindGraphType)).Description("On RETURN_REQUESTED, RETURN_APPROVED, RETURN_REFUSED and SPECIALLY_CLOSED: the kind of return.");
    }
}

internal sealed class GrievanceGraphType : ObjectGraphType<Grievance>
{
    public const string NodeTypeName = "Grievance";

    public GrievanceGraphType()
    {
        Name = "Grievance";
        Description = "A grievance with its current assignment, SLA and whole timeline.";
        Field(x => x.ReferenceNumber).Description("12-digit reference number with a Verhoeff check digit; read it in groups of four.");
        Field<NonNullGraphType<GrievanceKindGraphType>>("kind").Resolve(c => c.Source.Request.Kind);
        Field<NonNullGraphType<ChannelGraphType>>("channel").Resolve(c => c.Source.Request.Channel);
        Field(x => x.Status, type: typeof(NonNullGraphType<GrievanceStatusGraphType>));
        Field<NonNullGraphType<ComplainantGraphType>>("complainant").Resolve(c => GrievanceAccess.Complainant(c, c.Source));
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Request.Description);
        Field<NonNullGraphType<JurisdictionGraphType>>("jurisdiction").Resolve(c => Jurisdictions(c).Find(c.Source.Request.JurisdictionId));
        Field<NonNullGraphType<CategoryGraphType>>("category").Resolve(c => Catalogue(c).FindCategory(c.Source.Request.CategoryId));
        Field<NonNullGraphType<DepartmentGraphType>>("department").Resolve(c => Catalogue(c).FindDepartment(c.Source.DepartmentId));
        Field<NonNullGraphType<PositionGraphType>>("position").Resolve(c => Officers(c).FindPosition(c.Source.PositionId));
        Field<NonNullGraphType<OfficerGraphType>>("officer").Resolve(c => Officers(c).FindOfficer(c.Source.OfficerId));
        Field(x => x.Level).Description("Level of the current holder: 1 (L1) to 4 (L4).");
        Field(x => x.RegisteredAt).Description("Registration instant (UTC).");
        Field(x => x.DueAt, nullable: true).Description("Current due date (UTC).");
        Field<NonNullGraphType<BooleanGraphType>>("overdue")
            .Description("Open, not on hold, and strictly after its due instant now (disposed of at the due instant is on time).")
            .Resolve(c => c.Source.IsOverdue(Clock(c).GetUtcNow()));
        Field(x => x.Breached).Description("A due date passed without disposal at some level.");
        Field(x => x.BreachedAtTop).Description("The due date passed at L4 (the top of the chain).");
        Field(x => x.ClosedAt, nullable: true).Description("Disposal instant (UTC).");
        Field(x => x.Disposal, nullable: true).Description("Action taken report, rejection reason, or answer given on the call.");
        Field<NonNullGraphType<StringGraphType>>("registeredBy").Resolve(c => c.Source.Request.AgentId);
        Field<NonNullGraphType<StringGraphType>>("clientRequestId").Resolve(c => c.Source.Request.ClientRequestId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TimelineEventGraphType>>>>("timeline").Resolve(c => c.Source.Timeline);
        Field(x => x.PendingReturn, type: typeof(PendingReturnGraphType)).Description("The return the L1 officer asked for, awaiting the L2 officer's decision; null when none.");
        Field(x => x.AtRiskAt, nullable: true).Description("When the warning share of the current level's allowance is used (UTC).");
        Field<NonNullGraphType<BooleanGraphType>>("atRisk")
            .Description("Open, clock running, past its at-risk instant and not yet due.")
            .Resolve(c => c.Source.Status == GrievanceStatus.Open && c.Source.OnHoldSince is null && c.Source.AtRiskAt <= Clock(c).GetUtcNow() && c.Source.DueAt > Clock(c).GetUtcNow());
        Field<NonNullGraphType<BooleanGraphType>>("onHold").Resolve(c => c.Source.OnHoldSince is not null);
        Field(x => x.OnHoldSince, nullable: true).Description("On hold since (UTC); the SLA clock is stopped.");
        Field(x => x.SlaStartedAt, nullable: true).Description("When the current level's clock started (UTC).");
        Field<SlaExplanationGraphType>("slaExplanation")
            .Description("Why it is due when it is: policy, level, calendar, holidays and weekly offs skipped, pauses. Null without an SLA computed by Helpline.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IGrievanceService>().ExplainDueDateAsync(c.Source.ReferenceNumber, c.CancellationToken));
        NodeGraphType.Implement(this, NodeTypeName, g => g.ReferenceNumber);
    }

    internal static IJurisdictionDirectory Jurisdictions(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IJurisdictionDirectory>();

    internal static ICatalogue Catalogue(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<ICatalogue>();

    internal static IOfficerDirectory Officers(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IOfficerDirectory>();

    internal static TimeProvider Clock(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<TimeProvider>();
}

internal sealed class GrievanceSummaryGraphType : ObjectGraphType<GrievanceSummary>
{
    public GrievanceSummaryGraphType()
    {
        Name = "GrievanceSummary";
        Description = "A grievance as listed (from the read model); query grievance(referenceNumber) for the timeline.";
        Field(x => x.ReferenceNumber);
        Field(x => x.Kind, type: typeof(NonNullGraphType<GrievanceKindGraphType>));
        Field(x => x.Status, type: typeof(NonNullGraphType<GrievanceStatusGraphType>));
        Field(x => x.CategoryId);
        Field(x => x.DepartmentId);
        Field(x => x.JurisdictionId);
        Field(x => x.PositionId);
        Field(x => x.OfficerId);
        Field(x => x.Level);
        Field<NonNullGraphType<StringGraphType>>("complainantName")
            .Description("Masked as on Grievance.complainant unless the caller needs it.")
            .Resolve(c => GrievanceAccess.Show(
                c,
                new ComplainantView(c.Source.ComplainantName, string.Empty, c.Source.ReferenceNumber, Caller.Of(c).NeedsPersonalData(GrievanceAccess.Of(c, c.Source))),
                "complainant.name",
                c.Source.ComplainantName,
                PersonalDataMask.Name));
        Field(x => x.RegisteredAt);
        Field(x => x.DueAt, nullable: true);
        Field<NonNullGraphType<BooleanGraphType>>("overdue")
            .Description("Open, not on hold, and strictly after its due instant now.")
            .Resolve(c => c.Source.IsOverdue(GrievanceGraphType.Clock(c).GetUtcNow()));
        Field(x => x.Breached);
        Field(x => x.BreachedAtTop);
        Field(x => x.ClosedAt, nullable: true);
        Field(x => x.LastChangedAt, nullable: true).Description("The instant of its latest timeline entry (what LAST_CHANGED_AT sorts by).");
        Field<NonNullGraphType<CategoryGraphType>>("category").Resolve(c => GrievanceGraphType.Catalogue(c).FindCategory(c.Source.CategoryId));
        Field<NonNullGraphType<OfficerGraphType>>("officer").Resolve(c => GrievanceGraphType.Officers(c).FindOfficer(c.Source.OfficerId));
        Field<NonNullGraphType<IdGraphType>>("globalId")
            .Description("The grievance's global id (Grievance.globalId): node(id) answers the whole Grievance.")
            .Resolve(c => GlobalIds.Of(GrievanceGraphType.NodeTypeName, c.Source.ReferenceNumber));
        Field<NonNullGraphType<DepartmentGraphType>>("department").Resolve(c => GrievanceGraphType.Catalogue(c).FindDepartment(c.Source.DepartmentId));
        Field<NonNullGraphType<JurisdictionGraphType>>("jurisdiction").Description("Where it was raised.").Resolve(c => GrievanceGraphType.Jurisdictions(c).Find(c.Source.JurisdictionId));
        Field<NonNullGraphType<PositionGraphType>>("position").Description("The seat holding it.").Resolve(c => GrievanceGraphType.Officers(c).FindPosition(c.Source.PositionId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TimelineEventGraphType>>>>("timeline")
            .Description("Its timeline as the read model holds it (returnKind is not kept there: read grievance(referenceNumber) for it). One read for the whole page.")
            .Resolve(c =>
            {
                var timelines = c.RequestServices!.GetRequiredService<ReadModel.TimelineQueries>();
                return GraphQLBatches.Load<string, IReadOnlyList<TimelineEvent>>(c, "grievances.timeline", c.Source.ReferenceNumber, timelines.TimelinesOfAsync);
            });
    }
}

internal sealed class GrievanceEdgeGraphType : ObjectGraphType<(GrievanceSummary Item, string Cursor)>
{
    public GrievanceEdgeGraphType()
    {
        Name = "GrievanceEdge";
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<GrievanceSummaryGraphType>>("node").Resolve(c => c.Source.Item);
    }
}

internal sealed class PageInfoGraphType : ObjectGraphType<GrievancePage>
{
    public PageInfoGraphType()
    {
        Name = "PageInfo";
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Resolve(c => c.Source.HasNextPage);
        Field<StringGraphType>("endCursor").Resolve(c => c.Source.Items.Count == 0 ? null : c.Source.Items[^1].Cursor);
        Field<NonNullGraphType<BooleanGraphType>>("hasPreviousPage")
            .Description("Always false: lists page forward only (first, after), which Relay allows to answer so.")
            .Resolve(_ => false);
        Field<StringGraphType>("startCursor").Description("The cursor of the first row; null on an empty page.")
            .Resolve(c => c.Source.Items.Count == 0 ? null : c.Source.Items[0].Cursor);
    }
}

internal sealed class GrievanceConnectionGraphType : ObjectGraphType<GrievancePage>
{
    public GrievanceConnectionGraphType()
    {
        Name = "GrievanceConnection";
        Description = "A page of grievances, newest registration first (Relay cursor connection).";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GrievanceEdgeGraphType>>>>("edges").Resolve(c => c.Source.Items);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GrievanceSummaryGraphType>>>>("nodes").Resolve(c => c.Source.Items.Select(i => i.Item));
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(c => c.Source);
        Field<NonNullGraphType<LongGraphType>>("totalCount").Resolve(c => c.Source.TotalCount);
    }
}

/// <summary>
/// <c>node(id)</c> for a grievance: as the root field <c>grievance</c>, for the roles that read grievances; one outside the
/// caller's scope answers UNKNOWN_GRIEVANCE, exactly like a number nobody has.
/// </summary>
internal sealed class GrievanceNodes : INodeSource
{
    public string TypeName => GrievanceGraphType.NodeTypeName;

    public async Task<object?> FindAsync(IResolveFieldContext context, string key) =>
        FieldAccess.GrievanceReaders.Contains(Caller.Of(context).Role)
            ? await GrievanceAccess.RequireVisibleAsync(context, key)
            : throw new HelplineException(ErrorCodes.Forbidden, "Your role does not read grievances.", "id");
}
