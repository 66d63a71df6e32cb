using GraphQL;
using GraphQL.Types;
using Helpline.Workload.Rebalancing;

namespace Helpline.Workload.GraphQL;

internal sealed class RebalanceProposalGraphType : ObjectGraphType<RebalancePlan>
{
    public RebalanceProposalGraphType()
    {
        Name = "RebalanceProposal";
        Description = "Moves that narrow the spread of load in a team, in the order to apply them; nothing is moved until applyRebalance.";
        Field(x => x.At).Description("The instant the team was read (UTC).");
        Field(x => x.Officers).Description("Officers in the team.");
        Field(x => x.OpenGrievances).Description("Open grievances they hold.");
        Field<NonNullGraphType<LoadSpreadGraphType>>("before").Resolve(c => c.Source.Before);
        Field<NonNullGraphType<LoadSpreadGraphType>>("after").Description("The spread once every move is applied.").Resolve(c => c.Source.After);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProposedMoveGraphType>>>>("moves")
            .Description("For the request's complexity limit, counted as 100 moves (the default maxMoves).")
            .WithComplexityImpact(1, 100)
            .Resolve(c => c.Source.Moves);
    }
}

internal sealed class ProposedMoveGraphType : ObjectGraphType<PlannedMove>
{
    public ProposedMoveGraphType()
    {
        Name = "ProposedMove";
        Field<NonNullGraphType<StringGraphType>>("referenceNumber").Resolve(c => c.Source.Grievance.ReferenceNumber);
        Field<NonNullGraphType<StringGraphType>>("fromOfficerId").Resolve(c => c.Source.From.Officer.Id);
        Field<NonNullGraphType<StringGraphType>>("toOfficerId").Resolve(c => c.Source.To.Officer.Id);
        Field<NonNullGraphType<StringGraphType>>("fromPositionId").Resolve(c => c.Source.Grievance.PositionId ?? c.Source.From.Seat.Id);
        Field<NonNullGraphType<StringGraphType>>("toPositionId").Resolve(c => c.Source.To.Seat.Id);
        Field<NonNullGraphType<IntGraphType>>("level").Resolve(c => c.Source.Grievance.Level);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("dueAt").Description("Its due date (UTC); it stays when moved.").Resolve(c => c.Source.Grievance.DueAt);
        Field<NonNullGraphType<StringGraphType>>("urgency").Description("ON_HOLD, OPEN, DUE_TODAY, AT_RISK or OVERDUE.").Resolve(c => Urgency(c.Source.Urgency));
        Field(x => x.Weight).Description("Its weight in the load score.");
        Field(x => x.FromLoadBefore);
        Field(x => x.FromLoadAfter);
        Field(x => x.ToLoadBefore);
        Field(x => x.ToLoadAfter);
        Field(x => x.Reason);
    }

    private static string Urgency(Helpline.Officers.Workload.Urgency u) => u switch
    {
        Helpline.Officers.Workload.Urgency.OnHold => "ON_HOLD",
        Helpline.Officers.Workload.Urgency.DueToday => "DUE_TODAY",
        Helpline.Officers.Workload.Urgency.AtRisk => "AT_RISK",
        Helpline.Officers.Workload.Urgency.Overdue => "OVERDUE",
        _ => "OPEN",
    };
}

internal sealed class MoveInputGraphType : InputObjectGraphType
{
    public MoveInputGraphType()
    {
        Name = "MoveInput";
        Description = "A move to apply, as a proposal listed it.";
        Field<NonNullGraphType<StringGraphType>>("referenceNumber");
        Field<NonNullGraphType<StringGraphType>>("fromOfficerId");
        Field<NonNullGraphType<StringGraphType>>("toOfficerId");
    }
}

internal sealed record RebalanceResult(IReadOnlyList<MoveOutcome> Outcomes);

internal sealed class RebalanceResultGraphType : ObjectGraphType<RebalanceResult>
{
    public RebalanceResultGraphType()
    {
        Name = "RebalanceResult";
        Description = "What became of each move asked for, in the order given. Refused moves changed nothing; the others were applied.";
        Field<NonNullGraphType<IntGraphType>>("applied").Resolve(c => c.Source.Outcomes.Count(o => o.Outcome == MoveOutcome.Applied));
        Field<NonNullGraphType<IntGraphType>>("refused").Resolve(c => c.Source.Outcomes.Count(o => !o.Done));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MoveOutcomeGraphType>>>>("outcomes").Resolve(c => c.Source.Outcomes);
    }
}

internal sealed class MoveOutcomeGraphType : ObjectGraphType<MoveOutcome>
{
    public MoveOutcomeGraphType()
    {
        Name = "MoveOutcome";
        Field<NonNullGraphType<StringGraphType>>("referenceNumber").Resolve(c => c.Source.Move.ReferenceNumber);
        Field<NonNullGraphType<StringGraphType>>("fromOfficerId").Resolve(c => c.Source.Move.FromOfficerId);
        Field<NonNullGraphType<StringGraphType>>("toOfficerId").Resolve(c => c.Source.Move.ToOfficerId);
        Field(x => x.Outcome).Description(
            "APPLIED, ALREADY_APPLIED (a retry), or why it was refused: NOT_IN_TEAM, GRIEVANCE_NOT_HELD, TARGET_ON_LEAVE, TARGET_AT_CAPACITY, " +
            "OTHER_DEPARTMENT, OTHER_LEVEL, OUTSIDE_JURISDICTION, NO_LONGER_BALANCES, SAME_OFFICER, or the grievance's own error code.");
        Field(x => x.Message).Description("The reason recorded on the timeline when applied; why not, when refused.");
        Field(x => x.FromLoadAfter, nullable: true);
        Field(x => x.ToLoadAfter, nullable: true);
    }
}
