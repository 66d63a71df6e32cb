namespace Helpline.Grievances;

/// <summary>Filters for listing grievances; every given filter must match (null means any).</summary>
/// <param name="Status">Lifecycle status.</param>
/// <param name="DepartmentId">Department of the category.</param>
/// <param name="CategoryId">Category.</param>
/// <param name="JurisdictionId">Jurisdiction, including everything below it.</param>
/// <param name="OfficerId">Officer holding it now.</param>
/// <param name="Overdue">True: open and past its due date; false: not overdue.</param>
public sealed record GrievanceFilter(
    GrievanceStatus? Status = null,
    string? DepartmentId = null,
    string? CategoryId = null,
    string? JurisdictionId = null,
    string? OfficerId = null,
    bool? Overdue = null);

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
    DateTimeOffset? ClosedAt);

/// <summary>A page of a cursor-paginated list, newest registration first.</summary>
/// <param name="Items">The rows with their opaque cursors.</param>
/// <param name="HasNextPage">Whether more rows follow the last one.</param>
/// <param name="TotalCount">Number of rows matching the filter.</param>
public sealed record GrievancePage(IReadOnlyList<(GrievanceSummary Item, string Cursor)> Items, bool HasNextPage, long TotalCount);

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

    /// <summary>A page of grievances matching <paramref name="filter"/>, newest first; <paramref name="first"/> is 1..100.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_VALUE for a bad cursor or page size.</exception>
    Task<GrievancePage> ListAsync(GrievanceFilter filter, int first, string? after, CancellationToken cancellationToken);
}
