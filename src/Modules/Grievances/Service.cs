namespace Helpline.Grievances;

/// <summary>Filters for listing grievances; every given filter must match (null means any).</summary>
/// <param name="Status">Lifecycle status.</param>
/// <param name="DepartmentId">Department of the category.</param>
/// <param name="CategoryId">Category.</param>
/// <param name="JurisdictionId">Jurisdiction, including everything below it.</param>
/// <param name="OfficerId">Officer holding it now.</param>
/// <param name="Overdue">True: overdue as <see cref="Overdue.Is"/> defines it (open, not on hold, strictly after its due instant); false: not overdue.</param>
/// <param name="AtRisk">True: open, not on hold, past its at-risk instant but not yet due (and not overdue at L4).</param>
/// <param name="OnHold">True: open and on hold.</param>
/// <param name="Breached">True: a due date passed without disposal at some level.</param>
/// <param name="ComplainantMobile">The complainant's mobile, normalised to ten digits (the caller on the line: agents only).</param>
/// <param name="Channel">The channel it came in by.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Level">The level it is at now, 1..4.</param>
/// <param name="Registered">Registered within this range.</param>
/// <param name="Due">Due within this range (its current due instant).</param>
/// <param name="Disposed">Disposed of (resolved, rejected, answered on the call, specially closed) within this range.</param>
/// <param name="Closed">Closed after its call-back (status Closed) within this range.</param>
public sealed record GrievanceFilter(
    GrievanceStatus? Status = null,
    string? DepartmentId = null,
    string? CategoryId = null,
    string? JurisdictionId = null,
    string? OfficerId = null,
    bool? Overdue = null,
    bool? AtRisk = null,
    bool? OnHold = null,
    bool? Breached = null,
    string? ComplainantMobile = null,
    Channel? Channel = null,
    GrievanceKind? Kind = null,
    int? Level = null,
    InstantRange? Registered = null,
    InstantRange? Due = null,
    InstantRange? Disposed = null,
    InstantRange? Closed = null);

/// <summary>
/// Instants from <paramref name="From"/> (included) up to <paramref name="Before"/> (excluded); either end may be
/// open. Compared as instants, whatever offset each was given with.
/// </summary>
/// <param name="From">The first instant in the range; null for no lower end.</param>
/// <param name="Before">The first instant after the range; null for no upper end.</param>
public sealed record InstantRange(DateTimeOffset? From, DateTimeOffset? Before);

/// <summary>What a grievance list is sorted by; ties are broken by reference number in the same direction.</summary>
public enum GrievanceOrderField
{
    /// <summary>The registration instant.</summary>
    RegisteredAt = 0,
    /// <summary>The current due instant; a grievance without one sorts as if due at the end of time.</summary>
    DueAt = 1,
    /// <summary>The instant of its latest timeline entry.</summary>
    LastChangedAt = 2,
}

/// <summary>A list's order.</summary>
/// <param name="Field">What it is sorted by.</param>
/// <param name="Descending">Latest first when true.</param>
public sealed record GrievanceOrder(GrievanceOrderField Field, bool Descending)
{
    /// <summary>The default: newest registration first.</summary>
    public static GrievanceOrder Default { get; } = new(GrievanceOrderField.RegisteredAt, true);
}

/// <summary>One row of a grievance list, read from the PostgreSQL read model.</summary>
/// <param name="ReferenceNumber">12-digit reference number.</param>
/// <param name="Kind">Kind.</param>
/// <param name="Status">Status.</param>
/// <param name="CategoryId">Category.</param>
/// <param name="DepartmentId">Department.</param>
/// <param name="JurisdictionId">Jurisdiction raised in.</param>
/// <param name="PositionId">Position holding it.</param>
/// <param name="OfficerId">Officer holding it.</param>
/// <param name="Level">Level 1..4.</param>
/// <param name="ComplainantName">Complainant's name.</param>
/// <param name="RegisteredAt">Registration instant (UTC).</param>
/// <param name="DueAt">Current due date (UTC), if any.</param>
/// <param name="Breached">Whether any due date passed without disposal.</param>
/// <param name="BreachedAtTop">Whether the due date passed at the top of the chain.</param>
/// <param name="ClosedAt">Disposal instant (UTC), if disposed.</param>
/// <param name="OnHoldSince">On hold since (UTC); null while the clock runs.</param>
/// <param name="LastChangedAt">The instant of its latest timeline entry (UTC); null when not read.</param>
public sealed record GrievanceSummary(
    string ReferenceNumber,
    GrievanceKind Kind,
    GrievanceStatus Status,
    string CategoryId,
    string DepartmentId,
    string JurisdictionId,
    string PositionId,
    string OfficerId,
    int Level,
    string ComplainantName,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? DueAt,
    bool Breached,
    bool BreachedAtTop,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? OnHoldSince = null,
    DateTimeOffset? LastChangedAt = null)
{
    /// <summary>Whether it is overdue at <paramref name="now"/> (<see cref="Overdue.Is"/>).</summary>
    public bool IsOverdue(DateTimeOffset now) => Overdue.Is(Status, OnHoldSince, DueAt, now);
}

/// <summary>A page of a cursor-paginated list, newest registration first.</summary>
/// <param name="Items">The rows with their opaque cursors.</param>
/// <param name="HasNextPage">Whether more rows follow the last one.</param>
/// <param name="TotalCount">Number of rows matching the filter.</param>
public sealed record GrievancePage(IReadOnlyList<(GrievanceSummary Item, string Cursor)> Items, bool HasNextPage, long TotalCount);

/// <summary>A dashboard's figures for a set of grievances.</summary>
/// <param name="ByStatus">How many there are in each status (statuses with none are left out).</param>
/// <param name="Overdue">Open, clock running, past the due instant.</param>
/// <param name="AtRisk">Open, clock running, past the at-risk instant and not escalated away from it.</param>
/// <param name="OnHold">Open and on hold.</param>
public sealed record DashboardFigures(IReadOnlyDictionary<GrievanceStatus, long> ByStatus, long Overdue, long AtRisk, long OnHold)
{
    /// <summary>All of them, in any status.</summary>
    public long Total => ByStatus.Values.Sum();

    /// <summary>Open ones.</summary>
    public long Open => ByStatus.GetValueOrDefault(GrievanceStatus.Open);
}

/// <summary>A district (or any place's) dashboard at one instant.</summary>
/// <param name="AsOf">The instant overdue and at risk were judged at.</param>
/// <param name="Total">Figures over everything the dashboard covers.</param>
/// <param name="Departments">Figures per department (departments with no grievances are left out), by department id.</param>
public sealed record GrievanceDashboard(DateTimeOffset AsOf, DashboardFigures Total, IReadOnlyList<(string DepartmentId, DashboardFigures Figures)> Departments);

/// <summary>
/// One record of another grievance system's export, as an importer submits it. Times are ISO 8601 text: with an offset
/// they are that instant (any offset; kept in UTC), without one they are wall-clock times in <paramref name="TimeZone"/>,
/// a repeated hour read as its earlier instant and a skipped hour with the offset before the jump.
/// </summary>
/// <param name="Source">Source system code: a lower-case letter, then up to 29 of a-z 0-9 and '-' (e.g. <c>boston311</c>).</param>
/// <param name="SourceName">Name of the source's jurisdiction root, e.g. <c>Boston</c> (1..100).</param>
/// <param name="TimeZone">IANA time zone the source keeps local times in, e.g. <c>America/New_York</c>.</param>
/// <param name="SourceId">The source's case id (1..100 of letters, digits and <c>. _ : -</c>).</param>
/// <param name="Kind">Kind; complaints by default.</param>
/// <param name="Department">The source's department or agency (1..100).</param>
/// <param name="Category">The source's case type (1..200).</param>
/// <param name="Area">Neighbourhood or borough (up to 100), or null for the whole source.</param>
/// <param name="Description">What the case was about (1..4000).</param>
/// <param name="RegisteredAt">Registration time as the source wrote it; not in the future.</param>
/// <param name="DueAt">The source's due date as written, or null for no SLA.</param>
/// <param name="ClosedAt">Closing time as written, not before registration; null while open.</param>
/// <param name="Closure">Closure note (up to 4000).</param>
public sealed record ImportRecord(
    string Source,
    string SourceName,
    string TimeZone,
    string SourceId,
    GrievanceKind Kind,
    string Department,
    string Category,
    string? Area,
    string Description,
    string RegisteredAt,
    string? DueAt,
    string? ClosedAt,
    string? Closure);

/// <summary>What happened to one imported record.</summary>
public enum ImportOutcome
{
    /// <summary>A new grievance was created.</summary>
    Imported = 0,
    /// <summary>The record had been imported before; nothing changed.</summary>
    AlreadyPresent = 1,
    /// <summary>The record was refused; see the error.</summary>
    Rejected = 2,
}

/// <summary>The result for one imported record, in input order.</summary>
/// <param name="SourceId">The record's source id as given.</param>
/// <param name="Outcome">Imported, already present or rejected.</param>
/// <param name="Grievance">The grievance, unless rejected.</param>
/// <param name="ErrorCode">Stable error code when rejected.</param>
/// <param name="ErrorField">The offending field when rejected for one field.</param>
/// <param name="ErrorMessage">Why it was rejected.</param>
public sealed record ImportRecordResult(
    string SourceId,
    ImportOutcome Outcome,
    Grievance? Grievance,
    string? ErrorCode,
    string? ErrorField,
    string? ErrorMessage);

/// <summary>
/// The application service in front of grievance grains: validates input at the edge (nothing is stored for a
/// refused request), finds grains by reference number, and lists from the read model.
/// All methods throw <see cref="Helpline.Platform.Errors.HelplineException"/> with a stable code for bad input.
/// </summary>
public interface IGrievanceService
{
    /// <summary>Validates, registers and routes a grievance; a retried request returns the first result.</summary>
    Task<Grievance> RegisterAsync(RegisterGrievance request, CancellationToken cancellationToken);

    /// <summary>The grievance with this reference number.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_REFERENCE_NUMBER, UNKNOWN_GRIEVANCE.</exception>
    Task<Grievance> GetAsync(string referenceNumber, CancellationToken cancellationToken);

    /// <summary>The holding officer resolves it with an action taken report (1..4000 characters).</summary>
    Task<Grievance> ResolveAsync(string referenceNumber, string officerId, string actionTakenReport, CancellationToken cancellationToken);

    /// <summary>The holding officer rejects it with a reason (1..4000 characters).</summary>
    Task<Grievance> RejectAsync(string referenceNumber, string officerId, string reason, CancellationToken cancellationToken);

    /// <summary>An agent answers an information request on the call (1..4000 characters).</summary>
    Task<Grievance> DisposeOnCallAsync(string referenceNumber, string agentId, string answer, CancellationToken cancellationToken);

    /// <summary>
    /// Imports historical records (1..200 per call) through the grievance lifecycle, creating the source's own world on
    /// first sight: a City root for the source, an Area per neighbourhood, a department per source department with a
    /// seat at the city and at each area (with generated officers), and a category per case type. Each record is
    /// imported or rejected on its own; a record seen before is reported as already present. Only for callers holding
    /// the importing role: the caller must check that.
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_VALUE when the batch is empty or larger than 200.</exception>
    Task<IReadOnlyList<ImportRecordResult>> ImportAsync(IReadOnlyList<ImportRecord> records, string importerId, CancellationToken cancellationToken);

    /// <summary>The holding officer puts it on hold (reason 1..4000 characters); the SLA clock stops.</summary>
    Task<Grievance> PauseAsync(string referenceNumber, string officerId, string reason, CancellationToken cancellationToken);

    /// <summary>The holding officer takes it off hold; the due date moves by the paused time.</summary>
    Task<Grievance> ResumeAsync(string referenceNumber, string officerId, CancellationToken cancellationToken);

    /// <summary>The holding officer records an interim reply (1..4000 characters); the clock keeps running.</summary>
    Task<Grievance> RecordInterimReplyAsync(string referenceNumber, string officerId, string reply, CancellationToken cancellationToken);

    /// <summary>Moves it to another category, re-routed and with a due date recomputed from now.</summary>
    Task<Grievance> RecategoriseAsync(string referenceNumber, string actorId, string categoryId, string reason, CancellationToken cancellationToken);

    /// <summary>The holding officer forwards it to another seat (reason 1..4000 characters); the due date is recomputed from now.</summary>
    Task<Grievance> ForwardAsync(string referenceNumber, string officerId, string positionId, string reason, CancellationToken cancellationToken);

    /// <summary>The L1 holder (themself) asks to return it (reason 1..4000 characters); see <see cref="IGrievanceGrain.RequestReturn"/>.</summary>
    Task<Grievance> RequestReturnAsync(string referenceNumber, string officerId, ReturnKind kind, string reason, CancellationToken cancellationToken);

    /// <summary>The L2 officer approves or refuses the pending return (reason 1..4000 characters); see <see cref="IGrievanceGrain.DecideReturn"/>.</summary>
    Task<Grievance> DecideReturnAsync(string referenceNumber, string officerId, bool approve, string reason, string? positionId, string? categoryId, CancellationToken cancellationToken);

    /// <summary>Reopens a disposed grievance one level up with a fresh due date from now.</summary>
    Task<Grievance> ReopenAsync(string referenceNumber, string actorId, string reason, CancellationToken cancellationToken);

    /// <summary>Acts on a call-back's outcome (see <see cref="IGrievanceGrain.ApplyCallBack"/>); the caller has validated it.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_REFERENCE_NUMBER, UNKNOWN_GRIEVANCE, DISPOSAL_SUPERSEDED, NO_ROUTE.</exception>
    Task<Grievance> ApplyCallBackAsync(string referenceNumber, CallBackVerdict verdict, CancellationToken cancellationToken);

    /// <summary>Why the grievance is due when it is; null when it has no SLA computed by Helpline (no due date, or the source's own).</summary>
    Task<Helpline.Sla.SlaExplanation?> ExplainDueDateAsync(string referenceNumber, CancellationToken cancellationToken);

    /// <summary>
    /// A page of grievances matching <paramref name="filter"/> within <paramref name="scope"/> (rows and total count
    /// alike), in <paramref name="order"/> (default newest registration first); <paramref name="first"/> is 1..100.
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_VALUE for a bad cursor, page size or range; CURSOR_ORDER_MISMATCH for a cursor of another order.</exception>
    Task<GrievancePage> ListAsync(GrievanceFilter filter, int first, string? after, CancellationToken cancellationToken, Helpline.Platform.Access.CallerScope? scope = null, GrievanceOrder? order = null);

    /// <summary>
    /// A dashboard's figures within <paramref name="scope"/>, optionally limited to a jurisdiction (and everything below
    /// it) and a department: counts by status, open, overdue, at risk and on hold, in total and per department.
    /// </summary>
    Task<GrievanceDashboard> DashboardAsync(string? jurisdictionId, string? departmentId, CancellationToken cancellationToken, Helpline.Platform.Access.CallerScope? scope = null);
}
