namespace Helpline.WebConsole.Components.Pages.Board;

// What the board reads from the API (schema.graphql): only the fields it selects.

/// <summary>An officer, by id and name.</summary>
public sealed record OfficerName(string Id, string Name);

/// <summary>A place, by id and name.</summary>
public sealed record PlaceRef(string Id, string Name);

/// <summary>A seat: its id, title, department and place.</summary>
public sealed record Seat(string Id, string Title, string? DepartmentId, PlaceRef? Jurisdiction)
{
    /// <summary>The title and the place, e.g. <c>Block Development Officer, CHINHAT</c>.</summary>
    public string Name => Jurisdiction is { } place ? $"{Title}, {place.Name}" : Title;
}

/// <summary>The signed-in user's officer record: their seat and the seats whose charge they hold.</summary>
public sealed record SelfOfficer(string Id, string Name, Seat? Position, IReadOnlyList<Seat> ChargeOf);

/// <summary>An officer's live figures (OfficerWorkload).</summary>
public sealed record Figures(int Open, int Overdue, int AtRisk, int OnHold, double LoadScore);

/// <summary>One row of a workload board (OfficerLoad).</summary>
public sealed record OfficerLoad(int Capacity, bool OnLeave, OfficerName Officer, Seat Position, Figures Workload);

/// <summary>How far apart load scores are (LoadSpread).</summary>
public sealed record Spread(double Max, double Min, double StandardDeviation);

/// <summary>A team's workload (WorkloadBoard).</summary>
public sealed record TeamBoard(DateTimeOffset At, int Open, int Overdue, int AtRisk, Spread Spread, IReadOnlyList<OfficerLoad> Officers);

/// <summary>A category's names.</summary>
public sealed record CategoryName(string Name, string? NameHindi);

/// <summary>A grievance as a list shows it (GrievanceSummary).</summary>
public sealed record GrievanceRow(string ReferenceNumber, string Status, DateTimeOffset? DueAt, DateTimeOffset? LastChangedAt, int Level, OfficerName Officer, CategoryName Category);

/// <summary>A page of grievances (GrievanceConnection).</summary>
public sealed record GrievancePage(int TotalCount, IReadOnlyList<GrievanceRow> Nodes);

/// <summary>One move of a proposal (ProposedMove).</summary>
public sealed record ProposedMove(string ReferenceNumber, string FromOfficerId, string ToOfficerId, double FromLoadBefore, double FromLoadAfter, double ToLoadBefore, double ToLoadAfter, string Urgency, string Reason);

/// <summary>A rebalancing proposal (RebalanceProposal).</summary>
public sealed record Proposal(Spread Before, Spread After, int Officers, int OpenGrievances, IReadOnlyList<ProposedMove> Moves);

/// <summary>What became of one move (MoveOutcome).</summary>
public sealed record MoveOutcome(string ReferenceNumber, string Outcome, string Message);

/// <summary>The answer of applyRebalance (RebalanceResult).</summary>
public sealed record RebalanceResult(int Applied, int Refused, IReadOnlyList<MoveOutcome> Outcomes);

/// <summary>A grade of a disposal (DisposalGradeRecord).</summary>
public sealed record GradeRecord(string Grade, int DisposalSequence, DateTimeOffset? SupersededAt);

/// <summary>A penalty flag (PenaltyFlag).</summary>
public sealed record Flag(string Id, string OfficerId, string Rule, string Period, string Figures, IReadOnlyList<string> Evidence, DateTimeOffset RaisedAt, string Status);

/// <summary>A caller's month after allowExtraComplaint (CallerMonth, from the desk's API).</summary>
public sealed record CallerMonth(string Month, int Complaints, int Limit, int ExtraAllowed, int Remaining);
