namespace Helpline.Officers;

/// <summary>
/// A seat in a department at one jurisdiction, for example "Tehsildar, Sadar tehsil, Revenue".
/// Grievances are routed to positions; the officer holding the position answers for them.
/// </summary>
/// <param name="Id">Stable id, <c>&lt;department&gt;@&lt;jurisdiction id&gt;</c>.</param>
/// <param name="Title">Designation, for example <c>Tehsildar</c>.</param>
/// <param name="DepartmentId">Department of the seat.</param>
/// <param name="JurisdictionId">Jurisdiction the seat serves (everything below it too).</param>
/// <param name="SupervisorPositionId">The next seat up the chain (L2 above L1 and so on); null at the top.</param>
/// <param name="OfficePhone">The office's phone (digits), set by an administrator and shown in the public directory; null when none is published.</param>
/// <param name="PoolCapacity">
/// Set when the seat is a pool: several officers are posted to it at once (naib tehsildars of one tehsil) and each grievance
/// routed to it goes to the member with the most spare capacity; the value is each member's capacity (open grievances)
/// unless the officer has their own. Null for a seat with one holder.
/// </param>
[GenerateSerializer]
[Alias("helpline.position")]
public sealed record Position(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string DepartmentId,
    [property: Id(3)] string JurisdictionId,
    [property: Id(4)] string? SupervisorPositionId,
    [property: Id(5)] string? OfficePhone = null,
    [property: Id(6)] int? PoolCapacity = null)
{
    /// <summary>Whether several officers may hold the seat at once.</summary>
    public bool IsPool => PoolCapacity is not null;
}

/// <summary>An officer (a person) and the position they hold. Names and numbers in the shipped roster are generated, not real.</summary>
/// <param name="Id">Stable id, for example <c>OFF-000123</c>.</param>
/// <param name="Name">Full name.</param>
/// <param name="Mobile">Ten-digit Indian mobile number.</param>
/// <param name="PositionId">Position the officer is posted to; null when unposted (transferred out, retired, or not yet posted).</param>
/// <param name="Capacity">Open grievances the officer takes in a pool before the others are preferred; null: the pool's capacity.</param>
[GenerateSerializer]
[Alias("helpline.officer")]
public sealed record Officer(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Mobile,
    [property: Id(3)] string? PositionId,
    [property: Id(4)] int? Capacity = null);

/// <summary>An officer posted to a seat, as pool assignment and workload boards see them.</summary>
/// <param name="Officer">The officer.</param>
/// <param name="Capacity">Open grievances they take before others are preferred: their own, else the pool's, else <see cref="PoolDefaults.Capacity"/>.</param>
/// <param name="OnLeave">A leave of theirs is in force now: they get nothing new.</param>
[GenerateSerializer]
[Alias("helpline.pool-member")]
public sealed record PoolMember([property: Id(0)] Officer Officer, [property: Id(1)] int Capacity, [property: Id(2)] bool OnLeave);

/// <summary>Defaults of pools and capacity.</summary>
public static class PoolDefaults
{
    /// <summary>The capacity of an officer when neither they nor their seat set one: 20 open grievances.</summary>
    public const int Capacity = 20;

    /// <summary>The largest capacity an administrator may set.</summary>
    public const int MaxCapacity = 10_000;
}

/// <summary>Which member of a pool a grievance goes to, and why, in words for the timeline.</summary>
/// <param name="Officer">The chosen officer.</param>
/// <param name="Reason">For example "3 open of capacity 20, least loaded of 4".</param>
[GenerateSerializer]
[Alias("helpline.pool-choice")]
public sealed record PoolChoice([property: Id(0)] Officer Officer, [property: Id(1)] string Reason);

/// <summary>
/// Chooses the member of a pool a grievance goes to (implemented by the Workload module from the members' live load).
/// A choice reserves the grievance with the officer until their grain holds it, so concurrent choices spread.
/// </summary>
public interface IPoolAssignment
{
    /// <summary>The member of <paramref name="pool"/> that the grievance with grain key <paramref name="grievanceKey"/> goes to.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">NO_ROUTE when nobody is posted to the pool and nobody holds its charge.</exception>
    Task<PoolChoice> ChooseAsync(Position pool, string grievanceKey, CancellationToken cancellationToken = default);
}

/// <summary>A position together with the officer currently holding it.</summary>
[GenerateSerializer]
[Alias("helpline.assignment")]
public sealed record Assignment([property: Id(0)] Position Position, [property: Id(1)] Officer Officer);

/// <summary>Read access to positions and the officer roster, held in memory.</summary>
public interface IOfficerDirectory
{
    /// <summary>The officer with this id, or null.</summary>
    Officer? FindOfficer(string officerId);

    /// <summary>The position with this id, or null.</summary>
    Position? FindPosition(string positionId);

    /// <summary>
    /// The officer acting for the position now: its posted holder, or the charge officer while the holder is on leave;
    /// null when nobody is posted and nobody holds its charge. New grievances routed to the position go to this officer.
    /// For a pool: its first member by officer id not on leave, else the charge officer of its first member (every member
    /// is on leave), so a caller that needs one person gets one; which member takes a grievance is <see cref="IPoolAssignment"/>'s choice.
    /// </summary>
    Officer? HolderOf(string positionId);

    /// <summary>The officer posted to the position (who may be on leave), or null when nobody is posted; for a pool, its first member by officer id.</summary>
    Officer? PostedHolderOf(string positionId);

    /// <summary>
    /// True when <paramref name="officerId"/> is posted to <paramref name="positionId"/> or holds its charge now, so the
    /// position's grievances may stay with them; false for an officer transferred away or whose charge has ended. For a
    /// pool: any member (on leave or not), or the charge officer of a member on leave.
    /// </summary>
    bool Serves(string officerId, string positionId);

    /// <summary>
    /// The officers posted to the position, by officer id, with their capacity and whether they are on leave now: every
    /// member of a pool, or the one posted holder of a single seat; empty when nobody is posted.
    /// </summary>
    IReadOnlyList<PoolMember> MembersOf(string positionId);

    /// <summary>The supervisor seat and its holder, or null at the top of the chain.</summary>
    Assignment? SupervisorOf(string positionId);

    /// <summary>Positions seated at exactly this jurisdiction.</summary>
    IReadOnlyList<Position> PositionsAt(string jurisdictionId);

    /// <summary>The seats whose next seat up is <paramref name="positionId"/> (one level down), held or vacant.</summary>
    IReadOnlyList<Position> SubordinatesOf(string positionId);
}

/// <summary>The routing map: which position is L1 for a category in a jurisdiction.</summary>
public interface IRoutingService
{
    /// <summary>
    /// The L1 assignment for <paramref name="categoryId"/> raised in <paramref name="jurisdictionId"/>: the category's
    /// department seat at the category's resolution level on the jurisdiction's path to the root; when the given
    /// jurisdiction lies above that level or beside it (a block for a tehsil matter), the nearest seat of the
    /// department above it.
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">UNKNOWN_CATEGORY, UNKNOWN_JURISDICTION or NO_ROUTE.</exception>
    Assignment Route(string categoryId, string jurisdictionId);

    /// <summary>
    /// The seat that resolves <paramref name="categoryId"/> raised in <paramref name="jurisdictionId"/>, as
    /// <see cref="Route"/> finds it, whether or not anybody acts for it now (the public directory shows a vacant office too).
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">UNKNOWN_CATEGORY, UNKNOWN_JURISDICTION, or NO_ROUTE when no seat serves the place.</exception>
    Position Seat(string categoryId, string jurisdictionId);
}
