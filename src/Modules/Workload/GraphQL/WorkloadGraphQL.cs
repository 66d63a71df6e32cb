using GraphQL;
using GraphQL.DI;
using GraphQL.Types;
using Helpline.Catalogue;
using Helpline.Grievances;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Officers.GraphQL;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Helpline.Workload.Alerts;
using Helpline.Workload.Boards;
using Helpline.Workload.Rebalancing;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Workload.GraphQL;

/// <summary>The Workload module's root fields: workload boards, rebalancing proposals and moves; and <c>Officer.alerts</c>.</summary>
internal sealed class WorkloadGraphQL : GraphQLPart
{
    private static readonly Role[] BoardReaders = [Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner];
    private static readonly Role[] Balancers = [Role.Supervisor, Role.Administrator];

    // Officer ids are short (OFF-000123); a longer one is not an id, and is not echoed back in a refusal.
    private const int MaxIdLength = 64;

    // Seat, place and department ids are longer (an imported city's seats), but never this long; a longer one is
    // refused before anything is looked up, so no refusal echoes a huge argument back (400 aliases would multiply it).
    private const int MaxKeyLength = 128;

    public override void AddTypes(IGraphQLBuilder graphql)
    {
        base.AddTypes(graphql);
        graphql.Services.Register<IGraphTypeExtension<OfficerGraphType>, OfficerAlertsExtension>(global::GraphQL.DI.ServiceLifetime.Singleton);
    }

    public override void AddSubscriptionFields(ObjectGraphType subscription) => LiveWorkloadGraphQL.Add(subscription);

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<WorkloadBoardGraphType>>("workloadBoard")
            .AllowedTo(BoardReaders)
            .Description("Every officer posted to a seat at a place or below it (a district: its tehsils, blocks and towns too), optionally of one department, with live workload, heaviest first. Officers outside your scope are left out.")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId")
            .Argument<StringGraphType>("departmentId")
            .ResolveAsync(async c =>
            {
                var (boards, caller) = (Boards(c), Caller.Of(c));
                var jurisdictionId = Key(c, "jurisdictionId")!;
                var departmentId = Key(c, "departmentId");
                if (departmentId is not null && c.RequestServices!.GetRequiredService<ICatalogue>().FindDepartment(departmentId) is null)
                {
                    throw new HelplineException(CatalogueErrorCodes.UnknownDepartment, $"No department has id '{departmentId}'.", "departmentId");
                }

                var seats = boards.SeatsOfPlace(jurisdictionId, departmentId);
                caller.RequireInScope(departmentId, null, "departmentId");
                caller.RequireInScope(null, [.. Places(c).PathToRoot(jurisdictionId).Select(j => j.Id)], "jurisdictionId");
                return new Board(Now(c), await boards.BoardAsync(seats.Where(InScope(c))));
            });

        query.Field<NonNullGraphType<WorkloadBoardGraphType>>("teamWorkload")
            .AllowedTo(BoardReaders)
            .Description("Every officer posted to the seats below a supervisor's seat, to a depth (1: those reporting to it directly; at most 3), with live workload, heaviest first.")
            .Argument<NonNullGraphType<StringGraphType>>("positionId", "The supervisor's seat.")
            .Argument<IntGraphType>("depth", "Levels below the seat, 1..3 (default 3).")
            .ResolveAsync(async c =>
            {
                var positionId = RequireTeam(c);
                var boards = Boards(c);
                return new Board(Now(c), await boards.BoardAsync(boards.SeatsOfTeam(positionId, c.GetArgument("depth", WorkloadBoards.MaxDepth)).Where(InScope(c))));
            });

        query.Field<NonNullGraphType<RebalanceProposalGraphType>>("rebalanceProposal")
            .AllowedTo(Balancers)
            .Description(
                "Moves that would narrow the spread of load in a supervisor's team: which grievances, from whom, to whom, and the load before and after. " +
                "A move keeps the grievance's department, level and jurisdiction and its due date; grievances not yet at risk are moved first. Nothing changes until applyRebalance.")
            .Argument<NonNullGraphType<StringGraphType>>("positionId", "The supervisor's seat.")
            .Argument<IntGraphType>("depth", "Levels below the seat, 1..3 (default 3).")
            .Argument<IntGraphType>("maxMoves", $"At most this many moves, 1..{Rebalancer.MaxMoves} (default 100).")
            .ResolveAsync(async c =>
            {
                var positionId = RequireTeam(c);
                return await c.RequestServices!.GetRequiredService<Rebalancer>().ProposeAsync(
                    positionId, c.GetArgument("depth", WorkloadBoards.MaxDepth), c.GetArgument("maxMoves", 100), SeatInScope(c));
            });
    }

    public override void AddMutationFields(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<RebalanceResultGraphType>>("applyRebalance")
            .AllowedTo(Balancers)
            .Description(
                "Applies moves of a rebalancing proposal (all of them or some), in the order given. Each is checked again against the team as it is now and " +
                "applied or refused on its own, with its reason; an applied move is a REASSIGNED timeline event and keeps the due date. Sending the same moves again applies nothing twice (ALREADY_APPLIED).")
            .Argument<NonNullGraphType<StringGraphType>>("positionId", "The supervisor's seat whose team the moves are in.")
            .Argument<IntGraphType>("depth", "Levels below the seat, 1..3 (default 3).")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<MoveInputGraphType>>>>("moves")
            .Argument<StringGraphType>("note", "Why, in the supervisor's words (added to each move's timeline reason).")
            .ResolveAsync(async c =>
            {
                var positionId = RequireTeam(c);
                var moves = c.GetArgument<List<Dictionary<string, object?>>>("moves").Select((m, i) => new MoveRequest(
                    Required(m, "referenceNumber", i), Required(m, "fromOfficerId", i), Required(m, "toOfficerId", i))).ToList();
                var note = c.GetArgument<string?>("note");
                if (note?.Length > 500)
                {
                    throw new HelplineException(ErrorCodes.TooLong, $"note is at most 500 characters, not {note.Length}.", "note");
                }

                var outcomes = await c.RequestServices!.GetRequiredService<Rebalancer>().ApplyAsync(
                    positionId, c.GetArgument("depth", WorkloadBoards.MaxDepth), moves, Caller.Of(c).Subject, note, SeatInScope(c));
                return new RebalanceResult(outcomes);
            });

    // A reference number as people write it (spaces, hyphens) is stored as its digits.
    private static string Required(Dictionary<string, object?> move, string key, int index)
    {
        var value = (move.GetValueOrDefault(key) as string)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw new HelplineException(ErrorCodes.Required, $"moves[{index}].{key} is required.", $"moves[{index}].{key}");
        }

        if (key != "referenceNumber")
        {
            return value.Length <= MaxIdLength
                ? value
                : throw new HelplineException(ErrorCodes.TooLong, $"moves[{index}].{key} is at most {MaxIdLength} characters, not {value.Length}.", $"moves[{index}].{key}");
        }

        var digits = value.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return digits.Length == 12 && digits.All(char.IsAsciiDigit)
            ? digits
            : throw new HelplineException(GrievanceErrorCodes.InvalidReference, $"moves[{index}].referenceNumber must be a 12-digit reference number (spaces and hyphens allowed).", $"moves[{index}].referenceNumber");
    }

    internal static string? Key(IResolveFieldContext c, string argument)
    {
        var value = c.GetArgument<string?>(argument);
        return value is null || value.Length <= MaxKeyLength
            ? value
            : throw new HelplineException(ErrorCodes.TooLong, $"{argument} is at most {MaxKeyLength} characters, not {value.Length}.", argument);
    }

    // A supervisor balances and watches their own team: the seat named must be theirs or one below it.
    internal static string RequireTeam(IResolveFieldContext c)
    {
        var positionId = Key(c, "positionId")!;
        var scope = Caller.Of(c).Scope;
        if (scope.Positions is { } team && !team.Contains(positionId))
        {
            throw new HelplineException(AccessErrorCodes.OutOfScope, $"Position '{positionId}' is not your seat nor one of your team's.", "positionId");
        }

        if (c.RequestServices!.GetRequiredService<IOfficerDirectory>().FindPosition(positionId) is { } seat)
        {
            Caller.Of(c).RequireInScope(seat.DepartmentId, [.. Places(c).PathToRoot(seat.JurisdictionId).Select(j => j.Id)], "positionId");
        }

        return positionId;
    }

    internal static Func<Position, bool> InScope(IResolveFieldContext c)
    {
        var seatInScope = SeatInScope(c);
        return p => seatInScope(p.Id);
    }

    // Seats a caller may see: within a supervisor's team, a token's departments and places.
    internal static Func<string, bool> SeatInScope(IResolveFieldContext c)
    {
        var scope = Caller.Of(c).Scope;
        var (officers, places) = (c.RequestServices!.GetRequiredService<IOfficerDirectory>(), Places(c));
        return positionId =>
            (scope.Positions is null || scope.Positions.Contains(positionId))
            && officers.FindPosition(positionId) is { } seat
            && (scope.Departments is null || scope.Departments.Contains(seat.DepartmentId))
            && (scope.Jurisdictions is null || places.PathToRoot(seat.JurisdictionId).Any(j => scope.Jurisdictions.Contains(j.Id)));
    }

    internal static WorkloadBoards Boards(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<WorkloadBoards>();

    private static IJurisdictionDirectory Places(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IJurisdictionDirectory>();

    private static DateTimeOffset Now(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow();
}
