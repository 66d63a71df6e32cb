using GraphQL;
using GraphQL.Types;
using Helpline.Officers;
using Helpline.Officers.GraphQL;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Workload.Boards;
using Helpline.Workload.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Workload.GraphQL;

/// <summary>The <c>workloadChanges</c> subscription: one officer's, or a supervisor's team's, live workload.</summary>
internal static class LiveWorkloadGraphQL
{
    public static void Add(ObjectGraphType subscription) =>
        subscription.Field<NonNullGraphType<WorkloadChangeGraphType>>("workloadChanges")
            .AllowedTo(Role.Officer, Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner)
            .Description(
                "Live workload (over WebSocket, graphql-transport-ws): first every watched officer's current figures, then an officer's " +
                "figures again whenever a grievance event through any silo changed them. Give officerId (an officer: only yourself) " +
                "or positionId (a supervisor's seat: everyone posted to the seats below it, to depth); an officer may leave both out. The team is the one posted when you subscribe.")
            .Argument<StringGraphType>("officerId", "One officer (an officer: yourself, the default).")
            .Argument<StringGraphType>("positionId", "A supervisor's seat: its team.")
            .Argument<IntGraphType>("depth", "Levels below the seat, 1..3 (default 3).")
            .ResolveStreamAsync(async c =>
            {
                var watched = Watched(c);
                var live = c.RequestServices!.GetRequiredService<LiveWorkloads>();
                await live.EnsureTailingAsync(c.CancellationToken);
                return live.Follow(watched);
            });

    private static List<WatchedOfficer> Watched(IResolveFieldContext c)
    {
        var caller = Caller.Of(c);
        var officerId = WorkloadGraphQL.Key(c, "officerId");
        var positionId = WorkloadGraphQL.Key(c, "positionId");
        if (officerId is null && positionId is null && caller.Role == Role.Officer)
        {
            officerId = caller.Subject;
        }

        if ((officerId is null) == (positionId is null))
        {
            throw new HelplineException(ErrorCodes.Invalid, "Give exactly one of officerId and positionId.", officerId is null ? "officerId" : "positionId");
        }

        if (positionId is not null)
        {
            if (caller.Role == Role.Officer)
            {
                throw new HelplineException(AccessErrorCodes.Forbidden, "An officer watches their own workload (officerId); a team's is for supervisors, administrators, auditors and partners.", "positionId");
            }

            WorkloadGraphQL.RequireTeam(c);
            var depth = c.GetArgument("depth", WorkloadBoards.MaxDepth);
            if (depth is < 1 or > WorkloadBoards.MaxDepth)
            {
                throw new HelplineException(ErrorCodes.Invalid, $"depth must be 1..{WorkloadBoards.MaxDepth}.", "depth");
            }

            var officers = c.RequestServices!.GetRequiredService<IOfficerDirectory>();
            return [.. WorkloadGraphQL.Boards(c).SeatsOfTeam(positionId, depth).Where(WorkloadGraphQL.InScope(c))
                .SelectMany(seat => officers.MembersOf(seat.Id).Select(m => new WatchedOfficer(m.Officer.Id, seat.Id)))];
        }

        if (caller.Role == Role.Officer)
        {
            caller.Actor(officerId, "officerId");
        }

        var officer = c.RequestServices!.GetRequiredService<IOfficerDirectory>().FindOfficer(officerId!)
            ?? throw new HelplineException(OfficerErrorCodes.UnknownOfficer, $"No officer has id '{officerId}'.", "officerId");
        if (caller.Role != Role.Officer && (officer.PositionId is not { } seat || !WorkloadGraphQL.SeatInScope(c)(seat)))
        {
            throw new HelplineException(AccessErrorCodes.OutOfScope, $"Officer '{officerId}' is not posted to a seat within your scope.", "officerId");
        }

        return [new WatchedOfficer(officer.Id, officer.PositionId ?? string.Empty)];
    }
}

internal sealed class WorkloadChangeGraphType : ObjectGraphType<WorkloadChange>
{
    public WorkloadChangeGraphType()
    {
        Name = "WorkloadChange";
        Description = "An officer's live figures after a change.";
        Field(x => x.OfficerId).Description("The officer.");
        Field(x => x.PositionId).Description("The seat they are posted to (empty when not posted).");
        Field(x => x.At).Description("When the figures were read (UTC).");
        Field<NonNullGraphType<OfficerWorkloadGraphType>>("workload").Description("The figures, from the officer's grain.").Resolve(c => c.Source.Workload);
    }
}
