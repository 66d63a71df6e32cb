using GraphQL;
using GraphQL.DI;
using GraphQL.Types;
using Helpline.Jurisdictions;
using Helpline.Jurisdictions.GraphQL;
using Helpline.Officers.Roster;
using Helpline.Officers.Workload;
using Helpline.Platform.Access;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Officers.GraphQL;

/// <summary>GraphQL type <c>Position</c>.</summary>
public sealed partial class PositionGraphType : ObjectGraphType<Position>
{
    /// <summary>The type's name in global ids.</summary>
    public const string NodeTypeName = "Position";

    /// <summary>Creates the type.</summary>
    public PositionGraphType()
    {
        Name = "Position";
        Description = "A department's seat at a jurisdiction.";
        Field(x => x.Id);
        Field(x => x.Title);
        Field(x => x.DepartmentId);
        Field(x => x.JurisdictionId);
        Field<NonNullGraphType<JurisdictionGraphType>>("jurisdiction").Resolve(c => c.RequestServices!.GetRequiredService<IJurisdictionDirectory>().Find(c.Source.JurisdictionId));
        Field<OfficerGraphType>("holder")
            .Description("The officer acting for the seat now: its posted holder, or the charge officer while the holder is on leave; null when vacant with no charge. For a pool: its first member by id not on leave, else the charge officer of its first member.")
            .Resolve(c => OfficersGraphQL.Directory(c).HolderOf(c.Source.Id));
        Field<OfficerGraphType>("postedHolder").Description("The officer posted to the seat (who may be on leave); null when nobody is posted. For a pool: its first member by id (all of them: members).")
            .Resolve(c => OfficersGraphQL.Directory(c).PostedHolderOf(c.Source.Id));
        Field(x => x.OfficePhone, nullable: true).Description("The seat's office phone (digits), when an administrator has set one.");
        Field<PositionGraphType>("supervisor").Resolve(c => OfficersGraphQL.Directory(c).SupervisorOf(c.Source.Id)?.Position);
        AddPoolFields();
        NodeGraphType.Implement(this, NodeTypeName, p => p.Id);
    }
}

/// <summary>GraphQL type <c>OfficerWorkload</c>: the figures of one officer (the Workload module's boards show it too).</summary>
public sealed class OfficerWorkloadGraphType : ObjectGraphType<OfficerWorkload>
{
    /// <summary>Creates the type.</summary>
    public OfficerWorkloadGraphType()
    {
        Name = "OfficerWorkload";
        Description = "Live workload held in the officer's grain.";
        Field(x => x.Open).Description("Open grievances held.");
        Field(x => x.Overdue).Description("Open grievances not on hold and strictly after their due instant.");
        Field(x => x.DueWithin24Hours).Description("Open grievances due in the next 24 hours.");
        Field(x => x.NextDueAt, nullable: true).Description("Earliest upcoming due date (UTC).");
        Field(x => x.AtRisk).Description("Open grievances past their at-risk instant, not yet due.");
        Field(x => x.OnHold).Description("Open grievances on hold.");
        Field(x => x.DueToday).Description("Open grievances not on hold and not overdue that are due on today's date in India (IST).");
        Field(x => x.DisposedLast7Days, nullable: true)
            .Description("Grievances the officer resolved or rejected in the last 7 × 24 hours; null when the figures are counted over your scope only.");
        Field(x => x.OldestOpenAt, nullable: true).Description("Registration instant (UTC) of the oldest open grievance held; null when none.");
        Field(x => x.LoadScore)
            .Description("Load score: the sum over open grievances of 4 if overdue, 3 if at risk, 2 if due today (IST), 1 otherwise, 0.5 if on hold (each counted once, in its most urgent class).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AttentionItemGraphType>>>>("attention")
            .Description("The open grievances at risk or overdue, earliest due first.")
            .Resolve(c => c.Source.Attention ?? []);
    }
}

internal sealed class AttentionItemGraphType : ObjectGraphType<AttentionItem>
{
    public AttentionItemGraphType()
    {
        Name = "AttentionItem";
        Description = "An open grievance that needs its officer now: at risk or overdue.";
        Field(x => x.ReferenceNumber);
        Field(x => x.DueAt).Description("Due date (UTC).");
        Field(x => x.Overdue).Description("Past its due date; otherwise at risk.");
        Field(x => x.Level).Description("Its level, 1..4.");
    }
}

/// <summary>GraphQL type <c>Officer</c>; other modules add fields with <see cref="IGraphTypeExtension{TGraphType}"/> (the Workload module its <c>alerts</c>).</summary>
public sealed partial class OfficerGraphType : ObjectGraphType<Officer>
{
    /// <summary>The type's name in global ids.</summary>
    public const string NodeTypeName = "Officer";

    private static readonly Role[] WorkloadReaders = [Role.Officer, Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner];

    /// <summary>Creates the type, then applies the extensions registered by other modules.</summary>
    /// <param name="extensions">Fields other modules add.</param>
    public OfficerGraphType(IEnumerable<IGraphTypeExtension<OfficerGraphType>> extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        Name = "Officer";
        Field(x => x.Id);
        Field(x => x.Name);
        Field(x => x.Mobile).AllowedTo(FieldAccess.SignedIn).Description("Office mobile; not shown to the public.");
        Field(x => x.PositionId, nullable: true).Description("The position the officer is posted to; null when unposted.");
        Field<PositionGraphType>("position").Description("The position the officer is posted to; null when unposted.")
            .Resolve(c => c.Source.PositionId is { } seat ? OfficersGraphQL.Directory(c).FindPosition(seat) : null);
        Field<NonNullGraphType<BooleanGraphType>>("onLeave").Description("Whether a leave of the officer is in force now.")
            .Resolve(c => c.RequestServices!.GetRequiredService<OfficerDirectory>().LeaveInForce(c.Source.Id) is not null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PositionGraphType>>>>("chargeOf")
            .Description("The positions whose charge the officer holds now, their holders being on leave.")
            .Resolve(c => c.RequestServices!.GetRequiredService<OfficerDirectory>().ChargesHeldBy(c.Source.Id));
        Field<NonNullGraphType<OfficerWorkloadGraphType>>("workload")
            .Description("Live workload. Counted over the grievances inside your scope only: exact from the officer's grain when your scope covers all the officer holds, otherwise from the read model.")
            .AllowedTo(WorkloadReaders)
            .Resolve(c =>
            {
                // Batched per request: a page listing many officers asks their grains (or the read model) once for all.
                var caller = Caller.Of(c);
                var services = c.RequestServices!;
                if (ReachesAll(caller, c.Source))
                {
                    return GraphQLBatches.Load<string, OfficerWorkload>(c, "officers.workload", c.Source.Id,
                        (ids, _) => services.GetRequiredService<IOfficerWorkloads>().WorkloadsOfAsync(ids));
                }

                return GraphQLBatches.Load<string, OfficerWorkload>(c, "officers.workload-in-scope", c.Source.Id, async (ids, cancellationToken) =>
                {
                    var open = await services.GetRequiredService<IOfficerCaseload>().OpenGrievancesOfAsync(ids, caller.Scope, cancellationToken);
                    var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
                    return [.. ids.Select((id, i) => WorkloadCount.Of(id, open[i], now))];
                });
            });
        AddPoolFields();
        NodeGraphType.Implement(this, NodeTypeName, o => o.Id);
        foreach (var extension in extensions)
        {
            extension.Extend(this);
        }
    }

    /// <summary>
    /// Whether the caller's scope takes in everything the officer holds, so the officer's own figures (the grain's workload,
    /// every alert) may be shown unfiltered.
    /// </summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="officer">About whom.</param>
    public static bool ReachesAll(Caller caller, Officer officer) =>
        caller.Scope.Departments is null && caller.Scope.Jurisdictions is null
        && (caller.Scope.HolderOfficerId is null || caller.Scope.HolderOfficerId == officer.Id)
        && (caller.Scope.Positions is null || (officer.PositionId is { } seat && caller.Scope.Positions.Contains(seat)));
}

/// <summary><c>Jurisdiction.positions</c>: the seats are the Officers module's, the jurisdiction type is not.</summary>
internal sealed class JurisdictionPositionsExtension : IGraphTypeExtension<JurisdictionGraphType>
{
    public void Extend(JurisdictionGraphType graphType) =>
        graphType.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PositionGraphType>>>>("positions")
            .Description("Department seats at this jurisdiction.")
            .Resolve(c => OfficersGraphQL.Directory(c).PositionsAt(c.Source.Id));
}

/// <summary>The Officers module's root fields (<c>officer</c>, <c>position</c>, the routing map's) and its field on <c>Jurisdiction</c>.</summary>
internal sealed class OfficersGraphQL : GraphQLPart
{
    public static IOfficerDirectory Directory(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IOfficerDirectory>();

    public override void AddTypes(IGraphQLBuilder graphql)
    {
        base.AddTypes(graphql);
        graphql.Services.Register<IGraphTypeExtension<JurisdictionGraphType>, JurisdictionPositionsExtension>(global::GraphQL.DI.ServiceLifetime.Singleton);
        graphql.Services.Register<INodeSource, OfficerNodes>(global::GraphQL.DI.ServiceLifetime.Singleton);
        graphql.Services.Register<INodeSource, PositionNodes>(global::GraphQL.DI.ServiceLifetime.Singleton);
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<OfficerGraphType>("officer")
            .AllowedTo(FieldAccess.Everyone)
            .Description("An officer with their position and live workload; null when unknown.")
            .Argument<NonNullGraphType<StringGraphType>>("id")
            .Resolve(c => Directory(c).FindOfficer(c.GetArgument<string>("id")));

        query.Field<PositionGraphType>("position")
            .AllowedTo(FieldAccess.Everyone)
            .Argument<NonNullGraphType<StringGraphType>>("id")
            .Resolve(c => Directory(c).FindPosition(c.GetArgument<string>("id")));

        RoutingFields.AddQueryFields(query);
        PostingFields.AddQueries(query);
        PoolFields.AddQueries(query);
    }

    public override void AddMutationFields(ObjectGraphType mutation)
    {
        RoutingFields.AddMutationFields(mutation);
        PostingFields.AddMutations(mutation);
        PoolFields.AddMutations(mutation);
    }
}

/// <summary><c>node(id)</c> for an officer: as the root field <c>officer</c>, open to everyone; null when unknown.</summary>
internal sealed class OfficerNodes : INodeSource
{
    public string TypeName => OfficerGraphType.NodeTypeName;

    public Task<object?> FindAsync(IResolveFieldContext context, string key) => Task.FromResult<object?>(OfficersGraphQL.Directory(context).FindOfficer(key));
}

/// <summary><c>node(id)</c> for a position: as the root field <c>position</c>, open to everyone; null when unknown.</summary>
internal sealed class PositionNodes : INodeSource
{
    public string TypeName => PositionGraphType.NodeTypeName;

    public Task<object?> FindAsync(IResolveFieldContext context, string key) => Task.FromResult<object?>(OfficersGraphQL.Directory(context).FindPosition(key));
}
