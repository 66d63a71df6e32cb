using GraphQL;
using GraphQL.Types;
using Helpline.Officers.GraphQL;
using Helpline.Workload.Boards;
using Helpline.Workload.Rebalancing;

namespace Helpline.Workload.GraphQL;

/// <summary>A workload board: officers with their live load, heaviest first.</summary>
internal sealed record Board(DateTimeOffset At, IReadOnlyList<BoardEntry> Officers)
{
    public LoadSpread Spread => LoadSpread.Of([.. Officers.Select(o => o.Workload.LoadScore)]);
}

internal sealed class WorkloadBoardGraphType : ObjectGraphType<Board>
{
    /// <summary>
    /// How many officers a board counts as when a request's complexity is estimated: not the 5 of an unpaginated list,
    /// so that one request cannot ask for hundreds of aliased boards; a full board (22 fields an officer) then counts
    /// about 4,400 of the 25,000 allowed.
    /// </summary>
    public const int ComplexityEstimate = 200;

    public WorkloadBoardGraphType()
    {
        Name = "WorkloadBoard";
        Description = "Officers with their live workload, heaviest load score first (ties: more open first, then officer id).";
        Field(x => x.At).Description("When the figures were read (UTC).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OfficerLoadGraphType>>>>("officers")
            .Description($"The officers, heaviest first. For the request's complexity limit a board counts as {ComplexityEstimate} officers (a district has hundreds, the state thousands).")
            .WithComplexityImpact(1, ComplexityEstimate)
            .Resolve(c => c.Source.Officers);
        Field<NonNullGraphType<IntGraphType>>("open").Description("Open grievances held by the officers listed.").Resolve(c => c.Source.Officers.Sum(o => o.Workload.Open));
        Field<NonNullGraphType<IntGraphType>>("atRisk").Description("At risk among them.").Resolve(c => c.Source.Officers.Sum(o => o.Workload.AtRisk));
        Field<NonNullGraphType<IntGraphType>>("overdue").Description("Overdue among them.").Resolve(c => c.Source.Officers.Sum(o => o.Workload.Overdue));
        Field<NonNullGraphType<LoadSpreadGraphType>>("spread").Description("How far apart the officers' load scores are.").Resolve(c => c.Source.Spread);
    }
}

internal sealed class OfficerLoadGraphType : ObjectGraphType<BoardEntry>
{
    public OfficerLoadGraphType()
    {
        Name = "OfficerLoad";
        Description = "An officer on a workload board.";
        Field<NonNullGraphType<OfficerGraphType>>("officer").Resolve(c => c.Source.Officer);
        Field<NonNullGraphType<PositionGraphType>>("position").Description("The seat they are posted to.").Resolve(c => c.Source.Seat);
        Field(x => x.Capacity).Description("Open grievances they take in a pool before others are preferred.");
        Field(x => x.OnLeave).Description("A leave of theirs is in force now: they get nothing new.");
        Field<NonNullGraphType<OfficerWorkloadGraphType>>("workload").Description("Exact figures from the officer's grain, with the grievances at risk or overdue.").Resolve(c => c.Source.Workload);
    }
}

internal sealed class LoadSpreadGraphType : ObjectGraphType<LoadSpread>
{
    public LoadSpreadGraphType()
    {
        Name = "LoadSpread";
        Description = "How far apart load scores are.";
        Field(x => x.Max).Description("The heaviest load score.");
        Field(x => x.Min).Description("The lightest load score.");
        Field(x => x.StandardDeviation).Description("Population standard deviation of the load scores: what rebalancing reduces.");
    }
}
