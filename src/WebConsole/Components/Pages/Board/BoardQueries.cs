namespace Helpline.WebConsole.Components.Pages.Board;

/// <summary>The GraphQL documents of the supervisor board (fields as schema.graphql names them).</summary>
internal static class BoardQueries
{
    public const string Self = """
        query($me: String!) { me { subject role teamPositionIds }
          officer(id: $me) { id name position { ...Seat } chargeOf { ...Seat } } }
        fragment Seat on Position { id title departmentId jurisdiction { id name } }
        """;

    private const string Row = "referenceNumber status dueAt lastChangedAt level officer { id name } category { name nameHindi }";

    // The lists: what the API lets the supervisor see (their team's seats) of the chosen seat's department and place
    // (one who holds another seat's charge has two teams), soonest due first.
    public const string Board = $$"""
        query($p: String!, $d: String, $j: String) {
          teamWorkload(positionId: $p) { at open overdue atRisk spread { max min standardDeviation }
            officers { capacity onLeave officer { id name } position { id title departmentId jurisdiction { id name } } workload { open overdue atRisk onHold loadScore } } }
          overdue: grievances(filter: { overdue: true, departmentId: $d, jurisdictionId: $j }, orderBy: { field: DUE_AT, direction: ASC }, first: 20) { totalCount nodes { {{Row}} } }
          atRisk: grievances(filter: { atRisk: true, departmentId: $d, jurisdictionId: $j }, orderBy: { field: DUE_AT, direction: ASC }, first: 20) { totalCount nodes { {{Row}} } }
        }
        """;

    public const string WorkloadChanges = "subscription($p: String!) { workloadChanges(positionId: $p) { officerId at } }";

    public const string Proposal = """
        query($p: String!) { rebalanceProposal(positionId: $p) { officers openGrievances
          before { max min standardDeviation } after { max min standardDeviation }
          moves { referenceNumber fromOfficerId toOfficerId fromLoadBefore fromLoadAfter toLoadBefore toLoadAfter urgency reason } } }
        """;

    public const string Apply = """
        mutation($p: String!, $m: [MoveInput!]!, $n: String) { applyRebalance(positionId: $p, moves: $m, note: $n) {
          applied refused outcomes { referenceNumber outcome message } } }
        """;

    public const string Disposed = $$"""
        query($from: DateTimeOffset!) { grievances(filter: { disposed: { from: $from } }, orderBy: { field: LAST_CHANGED_AT, direction: DESC }, first: 20) {
          totalCount nodes { {{Row}} } } }
        """;

    public const string Grade = """
        mutation($r: String!, $g: DisposalGrade!, $remark: String!) { gradeDisposal(referenceNumber: $r, grade: $g, remark: $remark) {
          grade disposalSequence supersededAt } }
        """;

    public const string Flags = """
        query($me: String!) { penaltyFlags(supervisorId: $me, status: RAISED) { id officerId rule period figures evidence raisedAt status } }
        """;

    public const string Review = """
        mutation($f: ID!, $d: PenaltyFlagDecision!, $reason: String!) { reviewPenaltyFlag(flagId: $f, decision: $d, reason: $reason) { id status } }
        """;

    public const string AllowExtra = """
        mutation($i: AllowExtraComplaintInput!) { allowExtraComplaint(input: $i) { month complaints limit extraAllowed remaining } }
        """;

    /// <summary>The grades of several grievances in one request: <c>g0</c>, <c>g1</c>, ... in the order given.</summary>
    public static string GradesOf(int count) =>
        "query(" + string.Join(", ", Enumerable.Range(0, count).Select(i => $"$r{i}: String!")) + ") { "
        + string.Join(" ", Enumerable.Range(0, count).Select(i => $"g{i}: disposalGrades(referenceNumber: $r{i}) {{ grade disposalSequence supersededAt }}")) + " }";
}
