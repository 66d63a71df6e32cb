using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Helpline.Grievances.ReadModel;
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
        Field<StringGraphType>("agentId").Description("Optional: the agent registering it is the token's subject; naming anyone else is refused (NOT_YOURSELF).");
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
        Field<ChannelGraphType>("channel");
        Field<GrievanceKindGraphType>("kind");
        Field<IntGraphType>("level").Description("The level it is at now, 1..4.");
        Field<InstantRangeInputGraphType>("registered").Description("Registered at or after 'from' and before 'before'.");
        Field<InstantRangeInputGraphType>("due").Description("Its current due instant at or after 'from' and before 'before' (one without a due date never matches).");
        Field<InstantRangeInputGraphType>("disposed").Description("Disposed of (resolved, rejected, answered on the call, specially closed) at or after 'from' and before 'before'; stays set after its call-back closes it.");
        Field<InstantRangeInputGraphType>("closed").Description("Closed after its call-back (status CLOSED) at or after 'from' and before 'before'.");
        Field<StringGraphType>("complainantMobile").Description("The complainant's mobile (as in ComplainantInput); officers and supervisors only, who see it unmasked (anyone else: MOBILE_FILTER_NOT_ALLOWED).");
    }
}

/// <summary>
/// The Grievances module's root fields: the grievance queries, the lifecycle mutations of agents and officers, and
/// imports. The one acting is the token's subject; a grievance outside the caller's reach answers UNKNOWN_GRIEVANCE.
/// </summary>
internal sealed class GrievancesGraphQL : GraphQLPart
{
    private static readonly Role[] Holders = [Role.Officer, Role.Supervisor];

    internal static IGrievanceService Service(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IGrievanceService>();

    public override void AddQueryFields(ObjectGraphType query)
    {
        // Nullable so that one unknown reference number in a query with several fields does not null the whole response.
        query.Field<GrievanceGraphType>("grievance")
            .Description("A grievance by reference number (spaces and hyphens allowed), with its timeline; an unknown or malformed number, or one outside your scope, is an error (UNKNOWN_GRIEVANCE, INVALID_REFERENCE_NUMBER).")
            .AllowedTo(FieldAccess.GrievanceReaders)
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .ResolveAsync(async c => await GrievanceAccess.RequireVisibleAsync(c, c.GetArgument<string>("referenceNumber")));

        query.Field<NonNullGraphType<GrievanceConnectionGraphType>>("grievances")
            .Description($"Grievances matching a filter, within your scope (rows and totalCount alike), cursor-paginated; newest registration first unless orderBy says otherwise. 'first' is 1..{GrievanceQueries.MaxPage} (more is INVALID_VALUE at 'first'); a page after the last is empty.")
            .AllowedTo(Role.Officer, Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner)
            .Argument<GrievanceFilterInputGraphType>("filter")
            .Argument<GrievanceOrderInputGraphType>("orderBy")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .MaxPage(100)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                var f = c.GetArgument<Dictionary<string, object?>>("filter") ?? [];
                string? mobile = null;
                if (f.GetValueOrDefault("complainantMobile") is string m)
                {
                    MobileFilter.Require(Caller.Of(c));
                    mobile = Domain.GrievanceRules.NormalizeMobile(m, "filter.complainantMobile");
                }

                var filter = new GrievanceFilter(
                    f.GetValueOrDefault("status") as GrievanceStatus?,
                    f.GetValueOrDefault("departmentId") as string,
                    f.GetValueOrDefault("categoryId") as string,
                    f.GetValueOrDefault("jurisdictionId") as string,
                    f.GetValueOrDefault("officerId") as string,
                    f.GetValueOrDefault("overdue") as bool?,
                    f.GetValueOrDefault("atRisk") as bool?,
                    f.GetValueOrDefault("onHold") as bool?,
                    f.GetValueOrDefault("breached") as bool?,
                    mobile,
                    f.GetValueOrDefault("channel") as Channel?,
                    f.GetValueOrDefault("kind") as GrievanceKind?,
                    f.GetValueOrDefault("level") as int?,
                    InstantRangeInputGraphType.Read(f, "registered"),
                    InstantRangeInputGraphType.Read(f, "due"),
                    InstantRangeInputGraphType.Read(f, "disposed"),
                    InstantRangeInputGraphType.Read(f, "closed"));
                var order = GrievanceOrderInputGraphType.Read(c.GetArgument<Dictionary<string, object?>?>("orderBy"));
                return await Service(c).ListAsync(filter, c.GetArgument("first", 20), c.GetArgument<string?>("after"), c.CancellationToken, Caller.Of(c).Scope, order);
            });

        query.Field<NonNullGraphType<GrievanceDashboardGraphType>>("grievanceDashboard")
            .Description("A dashboard's exact figures within your scope: counts by status, open, overdue, at risk and on hold, in total and per department; optionally for one jurisdiction (and everything below it) and one department.")
            .AllowedTo(Role.Officer, Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner)
            .Argument<StringGraphType>("jurisdictionId")
            .Argument<StringGraphType>("departmentId")
            .ResolveAsync(async c => await Service(c).DashboardAsync(
                c.GetArgument<string?>("jurisdictionId"), c.GetArgument<string?>("departmentId"), c.CancellationToken, Caller.Of(c).Scope));

        query.Field<NonNullGraphType<GrievanceConnectionGraphType>>("callerHistory")
            .Description("The grievances of the caller on the line, by the mobile they call from, newest first (agents; within the agent's scope).")
            .AllowedTo(Role.Agent)
            .Argument<NonNullGraphType<StringGraphType>>("mobile")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .MaxPage(100)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                var mobile = Domain.GrievanceRules.NormalizeMobile(c.GetArgument<string>("mobile"), "mobile");
                return await Service(c).ListAsync(new GrievanceFilter(ComplainantMobile: mobile), c.GetArgument("first", 20), c.GetArgument<string?>("after"), c.CancellationToken, Caller.Of(c).Scope);
            });

        DeskFields.AddQueries(query);
        PublicStatus.Add(query);
    }

    public override void AddMutationFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<GrievanceGraphType>>("registerGrievance")
            .Description("Registers a grievance and routes it to the L1 officer with a due date (agents; the agent is the token's subject). Idempotent on clientRequestId.")
            .AllowedTo(Role.Agent)
            .Argument<NonNullGraphType<RegisterGrievanceInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var caller = Caller.Of(c);
                var i = c.GetArgument<Dictionary<string, object?>>("input");
                var complainant = (Dictionary<string, object?>)i["complainant"]!;
                var agent = caller.Actor(i.GetValueOrDefault("agentId") as string, "input.agentId");
                var jurisdictionId = (string)i["jurisdictionId"]!;
                var categoryId = (string)i["categoryId"]!;
                caller.RequireInScope(
                    GrievanceGraphType.Catalogue(c).FindCategory(categoryId)?.DepartmentId,
                    GrievanceGraphType.Jurisdictions(c).Find(jurisdictionId) is null ? null : GrievanceAccess.PathOf(c, jurisdictionId),
                    "input.jurisdictionId");
                var request = new RegisterGrievance(
                    (string)i["clientRequestId"]!,
                    (GrievanceKind)i["kind"]!,
                    new Complainant((string)complainant["name"]!, (string)complainant["mobile"]!),
                    jurisdictionId,
                    categoryId,
                    (string)i["description"]!,
                    (Channel)i["channel"]!,
                    agent);
                return await Service(c).RegisterAsync(request, c.CancellationToken);
            });

        Act(mutation, "resolveGrievance", "The officer holding the grievance, or their supervisor, disposes of it with an action taken report.", Holders, "officerId", "actionTakenReport",
            (c, reference, actor, text) => Service(c).ResolveAsync(reference, actor, text!, c.CancellationToken));
        Act(mutation, "rejectGrievance", "The officer holding the grievance, or their supervisor, rejects it with a reason.", Holders, "officerId", "reason",
            (c, reference, actor, text) => Service(c).RejectAsync(reference, actor, text!, c.CancellationToken));
        Act(mutation, "disposeInformationRequest", "A call-centre agent answers an open information request on the call.", [Role.Agent], "agentId", "answer",
            (c, reference, actor, text) => Service(c).DisposeOnCallAsync(reference, actor, text!, c.CancellationToken));
        Act(mutation, "pauseGrievance", "The holding officer (or their supervisor) puts it on hold while waiting for the complainant; the SLA clock stops.", Holders, "officerId", "reason",
            (c, reference, actor, text) => Service(c).PauseAsync(reference, actor, text!, c.CancellationToken));
        Act(mutation, "resumeGrievance", "The holding officer (or their supervisor) takes it off hold; the due date moves by exactly the paused (working) time.", Holders, "officerId", null,
            (c, reference, actor, _) => Service(c).ResumeAsync(reference, actor, c.CancellationToken));
        Act(mutation, "recordInterimReply", "The holding officer (or their supervisor) records an interim reply; the clock keeps running.", Holders, "officerId", "reply",
            (c, reference, actor, text) => Service(c).RecordInterimReplyAsync(reference, actor, text!, c.CancellationToken));

        Act(mutation, "recategoriseGrievance", "Moves it to another category: re-routed to that category's L1 seat, due date recomputed from now, a breach that no longer holds cleared.", Holders, "actorId", "reason",
            (c, reference, actor, text) => Service(c).RecategoriseAsync(reference, actor, c.GetArgument<string>("categoryId"), text!, c.CancellationToken),
            f => f.Argument<NonNullGraphType<StringGraphType>>("categoryId"));

        Act(mutation, "forwardGrievance", "The holding officer (or their supervisor) forwards it to another seat of the department that resolves its category, in the jurisdiction tree it was raised in (one up the chain, or another office of that department); the due date is recomputed from now for the level it lands at. Another department's seat: recategorise instead.", Holders, "officerId", "reason",
            (c, reference, actor, text) => Service(c).ForwardAsync(reference, actor, c.GetArgument<string>("positionId"), text!, c.CancellationToken),
            f => f.Argument<NonNullGraphType<StringGraphType>>("positionId"));

        Act(mutation, "requestReturn", "The L1 officer holding the grievance (themself, not a supervisor acting for them) asks to return it: NOT_PERTAINING to the seat, or a special closure (SUB_JUDICE, PERSONAL_DISPUTE, REPEAT). It takes effect only when the L2 officer approves (decideReturn); meanwhile the officer still holds it and the SLA clock keeps running. The same request repeated while pending changes nothing.", Holders, "officerId", "reason",
            (c, reference, actor, text) => Service(c).RequestReturnAsync(reference, actor, c.GetArgument<ReturnKind>("kind"), text!, c.CancellationToken),
            f => f.Argument<NonNullGraphType<ReturnKindGraphType>>("kind"));

        Act(mutation, "decideReturn", "The officer acting for the seat above the one that asked (L2) approves or refuses the pending return, with a reason. Approving NOT_PERTAINING needs exactly one of positionId (another seat of the department in the same jurisdiction tree; it lands at L1) or categoryId (re-routed like recategoriseGrievance); either way the due date counts from now. Approving a special closure disposes of it (SPECIALLY_CLOSED; the complainant still gets a call-back). A decision is made once: repeated, it is NO_PENDING_RETURN.", [Role.Supervisor], "officerId", "reason",
            (c, reference, actor, text) => Service(c).DecideReturnAsync(reference, actor, c.GetArgument<bool>("approve"), text!, c.GetArgument<string?>("positionId"), c.GetArgument<string?>("categoryId"), c.CancellationToken),
            f => f.Argument<NonNullGraphType<BooleanGraphType>>("approve")
                .Argument<StringGraphType>("positionId", a => a.Description = "Approving NOT_PERTAINING: the seat it goes to (or give categoryId).")
                .Argument<StringGraphType>("categoryId", a => a.Description = "Approving NOT_PERTAINING: the category it is re-routed to (or give positionId)."));

        Act(mutation, "reopenGrievance", "Reopens a disposed grievance one level up, with a fresh due date from now (the agent on the complainant's call, or the supervisor).", [Role.Agent, Role.Supervisor], "actorId", "reason",
            (c, reference, actor, text) => Service(c).ReopenAsync(reference, actor, text!, c.CancellationToken));

        DeskFields.AddMutations(mutation);
        ImportMutation.Add(mutation);
    }

    /// <summary>
    /// A lifecycle mutation on one grievance: the actor is the token's subject (an actor argument naming someone else
    /// is refused), and a grievance the caller may not see answers UNKNOWN_GRIEVANCE before anything is done.
    /// </summary>
    private static void Act(
        ObjectGraphType mutation,
        string name,
        string description,
        Role[] roles,
        string actorArgument,
        string? textArgument,
        Func<IResolveFieldContext, string, string, string?, Task<Grievance>> act,
        Action<FieldBuilder<object?, object>>? moreArguments = null)
    {
        var field = mutation.Field<NonNullGraphType<GrievanceGraphType>>(name)
            .Description(description)
            .AllowedTo(roles)
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<StringGraphType>(actorArgument, a => a.Description = "Optional: the one acting is the token's subject; naming anyone else is refused (NOT_YOURSELF).");
        moreArguments?.Invoke(field);
        if (textArgument is not null)
        {
            field.Argument<NonNullGraphType<StringGraphType>>(textArgument);
        }

        field.ResolveAsync(async c =>
        {
            var caller = Caller.Of(c);
            var actor = caller.Actor(c.GetArgument<string?>(actorArgument), actorArgument);
            var reference = c.GetArgument<string>("referenceNumber");
            if (!caller.SeesEveryGrievance)
            {
                // Read first only when the caller's reach is limited: the action itself reads the grievance again.
                reference = (await GrievanceAccess.RequireVisibleAsync(c, reference)).ReferenceNumber;
            }

            return await act(c, reference, actor, textArgument is null ? null : c.GetArgument<string>(textArgument));
        });
    }
}
