using GraphQL;
using GraphQL.Types;
using Helpline.Platform.Access;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Grievances.GraphQL;

internal sealed class RegisterGrievanceInputGraphType : InputObjectGraphType
{
    public RegisterGrievanceInputGraphType()
    {
        Name = "RegisterGrievanceInput";
        Field<NonNullGraphType<StringGraphType>>("clientRequestId").Description("Your id for this request (1..100 of A-Z a-z 0-9 . _ : -). Retrying with the same id never creates a second grievance.");
        Field<NonNullGraphType<GrievanceKindGraphType>>("kind");
        Field<NonNullGraphType<ComplainantInputGraphType>>("complainant");
        Field<NonNullGraphType<StringGraphType>>("jurisdictionId").Description("Where the matter lies, e.g. block:180 or district:162.");
        Field<NonNullGraphType<StringGraphType>>("categoryId");
        Field<NonNullGraphType<StringGraphType>>("description").Description("1..4000 characters.");
        Field<NonNullGraphType<ChannelGraphType>>("channel");
        Field<NonNullGraphType<StringGraphType>>("agentId").Description("The call-centre agent registering it.");
    }
}

internal sealed class ComplainantInputGraphType : InputObjectGraphType
{
    public ComplainantInputGraphType()
    {
        Name = "ComplainantInput";
        Field<NonNullGraphType<StringGraphType>>("name").Description("1..100 characters.");
        Field<NonNullGraphType<StringGraphType>>("mobile").Description("Indian mobile: 10 digits starting 6-9, optionally +91 or 0 first.");
    }
}

internal sealed class GrievanceFilterInputGraphType : InputObjectGraphType
{
    public GrievanceFilterInputGraphType()
    {
        Name = "GrievanceFilter";
        Description = "Every given filter must match.";
        Field<GrievanceStatusGraphType>("status");
        Field<StringGraphType>("departmentId");
        Field<StringGraphType>("categoryId");
        Field<StringGraphType>("jurisdictionId").Description("Matches this jurisdiction and everything below it.");
        Field<StringGraphType>("officerId").Description("Officer holding it now.");
        Field<BooleanGraphType>("overdue").Description("true: open, not on hold, strictly after its due instant; false: not overdue.");
        Field<BooleanGraphType>("atRisk").Description("true: open, clock running, past its at-risk instant, not yet due.");
        Field<BooleanGraphType>("onHold").Description("true: open and on hold.");
        Field<BooleanGraphType>("breached").Description("true: a due date passed without disposal at some level.");
    }
}

/// <summary>
/// The Grievances module's root fields: the grievance queries, the lifecycle mutations of agents and officers, and
/// imports.
/// </summary>
internal sealed class GrievancesGraphQL : GraphQLPart
{
    internal static IGrievanceService Service(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IGrievanceService>();

    public override void AddQueryFields(ObjectGraphType query)
    {
        // Nullable so that one unknown reference number in a query with several fields does not null the whole response.
        query.Field<GrievanceGraphType>("grievance")
            .AllowedTo(FieldAccess.GrievanceReaders)
            .Description("A grievance by reference number (spaces and hyphens allowed), with its timeline; an unknown or malformed number is an error (UNKNOWN_GRIEVANCE, INVALID_REFERENCE_NUMBER).")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .ResolveAsync(async c => await Service(c).GetAsync(c.GetArgument<string>("referenceNumber"), c.CancellationToken));

        query.Field<NonNullGraphType<GrievanceConnectionGraphType>>("grievances")
            .Description("Grievances matching a filter, newest first, cursor-paginated.")
            .Argument<GrievanceFilterInputGraphType>("filter")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                var f = c.GetArgument<Dictionary<string, object?>>("filter") ?? [];
                var filter = new GrievanceFilter(
                    f.GetValueOrDefault("status") as GrievanceStatus?,
                    f.GetValueOrDefault("departmentId") as string,
                    f.GetValueOrDefault("categoryId") as string,
                    f.GetValueOrDefault("jurisdictionId") as string,
                    f.GetValueOrDefault("officerId") as string,
                    f.GetValueOrDefault("overdue") as bool?,
                    f.GetValueOrDefault("atRisk") as bool?,
                    f.GetValueOrDefault("onHold") as bool?,
                    f.GetValueOrDefault("breached") as bool?);
                return await Service(c).ListAsync(filter, c.GetArgument("first", 20), c.GetArgument<string?>("after"), c.CancellationToken);
            });
    }

    public override void AddMutationFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<GrievanceGraphType>>("registerGrievance")
            .AllowedTo(Role.Agent)
            .Description("Registers a grievance and routes it to the L1 officer with a due date. Idempotent on clientRequestId.")
            .Argument<NonNullGraphType<RegisterGrievanceInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var i = c.GetArgument<Dictionary<string, object?>>("input");
                var complainant = (Dictionary<string, object?>)i["complainant"]!;
                var request = new RegisterGrievance(
                    (string)i["clientRequestId"]!,
                    (GrievanceKind)i["kind"]!,
                    new Complainant((string)complainant["name"]!, (string)complainant["mobile"]!),
                    (string)i["jurisdictionId"]!,
                    (string)i["categoryId"]!,
                    (string)i["description"]!,
                    (Channel)i["channel"]!,
                    (string)i["agentId"]!);
                return await Service(c).RegisterAsync(request, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<GrievanceGraphType>>("resolveGrievance")
            .Description("The officer holding the grievance disposes of it with an action taken report.")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<StringGraphType>>("officerId")
            .Argument<NonNullGraphType<StringGraphType>>("actionTakenReport")
            .ResolveAsync(async c => await Service(c).ResolveAsync(
                c.GetArgument<string>("referenceNumber"), c.GetArgument<string>("officerId"), c.GetArgument<string>("actionTakenReport"), c.CancellationToken));

        mutation.Field<NonNullGraphType<GrievanceGraphType>>("rejectGrievance")
            .Description("The officer holding the grievance rejects it with a reason.")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<StringGraphType>>("officerId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c => await Service(c).RejectAsync(
                c.GetArgument<string>("referenceNumber"), c.GetArgument<string>("officerId"), c.GetArgument<string>("reason"), c.CancellationToken));

        mutation.Field<NonNullGraphType<GrievanceGraphType>>("disposeInformationRequest")
            .Description("A call-centre agent answers an open information request on the call.")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<StringGraphType>>("agentId")
            .Argument<NonNullGraphType<StringGraphType>>("answer")
            .ResolveAsync(async c => await Service(c).DisposeOnCallAsync(
                c.GetArgument<string>("referenceNumber"), c.GetArgument<string>("agentId"), c.GetArgument<string>("answer"), c.CancellationToken));

        mutation.Field<NonNullGraphType<GrievanceGraphType>>("pauseGrievance")
            .Description("The holding officer puts it on hold while waiting for the complainant; the SLA clock stops.")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<StringGraphType>>("officerId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c => await Service(c).PauseAsync(
                c.GetArgument<string>("referenceNumber"), c.GetArgument<string>("officerId"), c.GetArgument<string>("reason"), c.CancellationToken));

        mutation.Field<NonNullGraphType<GrievanceGraphType>>("resumeGrievance")
            .Description("The holding officer takes it off hold; the due date moves by exactly the paused (working) time.")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<StringGraphType>>("officerId")
            .ResolveAsync(async c => await Service(c).ResumeAsync(
                c.GetArgument<string>("referenceNumber"), c.GetArgument<string>("officerId"), c.CancellationToken));

        mutation.Field<NonNullGraphType<GrievanceGraphType>>("recordInterimReply")
            .Description("The holding officer records an interim reply; the clock keeps running.")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<StringGraphType>>("officerId")
            .Argument<NonNullGraphType<StringGraphType>>("reply")
            .ResolveAsync(async c => await Service(c).RecordInterimReplyAsync(
                c.GetArgument<string>("referenceNumber"), c.GetArgument<string>("officerId"), c.GetArgument<string>("reply"), c.CancellationToken));

        mutation.Field<NonNullGraphType<GrievanceGraphType>>("recategoriseGrievance")
            .Description("Moves it to another category: re-routed to that category's L1 seat, due date recomputed from now, a breach that no longer holds cleared.")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<StringGraphType>>("actorId")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c => await Service(c).RecategoriseAsync(
                c.GetArgument<string>("referenceNumber"), c.GetArgument<string>("actorId"), c.GetArgument<string>("categoryId"), c.GetArgument<string>("reason"), c.CancellationToken));

        mutation.Field<NonNullGraphType<GrievanceGraphType>>("forwardGrievance")
            .Description("The holding officer forwards it to another seat of the department that resolves its category, in the jurisdiction tree it was raised in (one up the chain, or another office of that department); the due date is recomputed from now for the level it lands at. Another department's seat: recategorise instead.")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<StringGraphType>>("officerId")
            .Argument<NonNullGraphType<StringGraphType>>("positionId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c => await Service(c).ForwardAsync(
                c.GetArgument<string>("referenceNumber"), c.GetArgument<string>("officerId"), c.GetArgument<string>("positionId"), c.GetArgument<string>("reason"), c.CancellationToken));

        mutation.Field<NonNullGraphType<GrievanceGraphType>>("reopenGrievance")
            .Description("Reopens a disposed grievance one level up, with a fresh due date from now.")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<StringGraphType>>("actorId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c => await Service(c).ReopenAsync(
                c.GetArgument<string>("referenceNumber"), c.GetArgument<string>("actorId"), c.GetArgument<string>("reason"), c.CancellationToken));

        ImportMutation.Add(mutation);
    }
}
