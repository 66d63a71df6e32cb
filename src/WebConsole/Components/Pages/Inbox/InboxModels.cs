namespace Helpline.WebConsole.Components.InboxParts;

/// <summary>One row of the inbox, as <c>grievances</c> lists it.</summary>
public sealed record InboxRow(string ReferenceNumber, DateTimeOffset? DueAt, bool Overdue, int Level, string Kind, Named Category, Named Jurisdiction);

/// <summary>A page of <c>grievances</c>.</summary>
public sealed record InboxPage(long TotalCount, PageInfo PageInfo, IReadOnlyList<InboxRow> Nodes);

/// <summary>Where a page ends.</summary>
public sealed record PageInfo(bool HasNextPage, string? EndCursor);

/// <summary>Reference numbers only (the at-risk and on-hold lists beside the page).</summary>
public sealed record References(IReadOnlyList<ReferenceOnly> Nodes);

/// <summary>A grievance named by its reference number.</summary>
public sealed record ReferenceOnly(string ReferenceNumber);

/// <summary>One grievance as the detail shows it.</summary>
public sealed record GrievanceDetailData(
    string ReferenceNumber,
    string Status,
    string Kind,
    int Level,
    DateTimeOffset? DueAt,
    bool Overdue,
    bool AtRisk,
    DateTimeOffset? AtRiskAt,
    bool OnHold,
    DateTimeOffset? OnHoldSince,
    DateTimeOffset RegisteredAt,
    string Description,
    string? Disposal,
    Named Category,
    Place Jurisdiction,
    Seat Position,
    Person Complainant,
    PendingReturnData? PendingReturn,
    SlaExplanationData? SlaExplanation,
    IReadOnlyList<TimelineEntry> Timeline);

/// <summary>A place with its ancestors (itself first, the state last).</summary>
public sealed record Place(string Name, IReadOnlyList<Named> Path);

/// <summary>A seat, the officer acting for it, and the seat above.</summary>
public sealed record Seat(string Id, string Title, Holder? Holder, Seat? Supervisor);

/// <summary>The officer acting for a seat.</summary>
public sealed record Holder(string Name);

/// <summary>The complainant, as the holding officer sees them.</summary>
public sealed record Person(string Name, string Mobile);

/// <summary>A return asked for and not yet decided.</summary>
public sealed record PendingReturnData(string Kind, string Reason, DateTimeOffset RequestedAt);

/// <summary>Why the grievance is due when it is.</summary>
public sealed record SlaExplanationData(string Summary, Allowance Allowance, IReadOnlyList<SkippedDayData> SkippedDays);

/// <summary>The time a level is given.</summary>
public sealed record Allowance(string Description);

/// <summary>A day the clock did not count.</summary>
public sealed record SkippedDayData(DateOnly Date, string Name, string Reason);

/// <summary>One entry of the timeline.</summary>
public sealed record TimelineEntry(int Sequence, string Type, DateTimeOffset At, string Actor, string? Note, int? Level);

/// <summary>The GraphQL operations of the inbox (fields as schema.graphql names them).</summary>
internal static class InboxDocuments
{
    internal const int PageSize = 50;

    // At risk and on hold are not fields of a list row: two more lists of the same officer answer them in one request.
    internal const string List = """
        query($me: String!, $after: String, $first: Int!) {
          held: grievances(filter: { officerId: $me, status: OPEN }, orderBy: { field: DUE_AT, direction: ASC }, first: $first, after: $after) {
            totalCount pageInfo { hasNextPage endCursor }
            nodes { referenceNumber dueAt overdue level kind category { name nameHindi } jurisdiction { name } } }
          atRisk: grievances(filter: { officerId: $me, status: OPEN, atRisk: true }, first: 100) { nodes { referenceNumber } }
          onHold: grievances(filter: { officerId: $me, status: OPEN, onHold: true }, first: 100) { nodes { referenceNumber } }
        }
        """;

    internal const string Detail = """
        query($r: String!) { grievance(referenceNumber: $r) {
          referenceNumber status kind level dueAt overdue atRisk atRiskAt onHold onHoldSince registeredAt description disposal
          category { name nameHindi } jurisdiction { name path { name } }
          position { id title holder { name } supervisor { id title holder { name } supervisor { id title holder { name } supervisor { id title holder { name } } } } }
          complainant { name mobile }
          pendingReturn { kind reason requestedAt }
          slaExplanation { summary allowance { description } skippedDays { date name reason } }
          timeline { sequence type at actor note level } } }
        """;

    internal const string Resolve = "mutation($r: String!, $t: String!) { resolveGrievance(referenceNumber: $r, actionTakenReport: $t) { status } }";
    internal const string Reject = "mutation($r: String!, $t: String!) { rejectGrievance(referenceNumber: $r, reason: $t) { status } }";
    internal const string Pause = "mutation($r: String!, $t: String!) { pauseGrievance(referenceNumber: $r, reason: $t) { status } }";
    internal const string Resume = "mutation($r: String!) { resumeGrievance(referenceNumber: $r) { status } }";
    internal const string Interim = "mutation($r: String!, $t: String!) { recordInterimReply(referenceNumber: $r, reply: $t) { status } }";
    internal const string Forward = "mutation($r: String!, $t: String!, $p: String!) { forwardGrievance(referenceNumber: $r, reason: $t, positionId: $p) { status } }";
    internal const string Return = "mutation($r: String!, $t: String!, $k: ReturnKind!) { requestReturn(referenceNumber: $r, reason: $t, kind: $k) { status } }";
}
