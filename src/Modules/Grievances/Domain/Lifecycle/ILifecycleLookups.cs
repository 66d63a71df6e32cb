using Helpline.Officers;
using Helpline.Sla;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>
/// The reference data the lifecycle's decisions need, as synchronous in-memory lookups: the grain answers them from
/// the catalogue, routing map, officer directory and SLA engine; tests answer them from a fake.
/// </summary>
internal interface ILifecycleLookups
{
    /// <summary>The department of a category, or null when the catalogue has no such category.</summary>
    string? DepartmentOf(string categoryId);

    /// <summary>The root of the jurisdiction tree <paramref name="jurisdictionId"/> belongs to, or null when it is unknown.</summary>
    string? RootOf(string jurisdictionId);

    /// <summary>The L1 seat and holder for a category raised in a jurisdiction.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">UNKNOWN_CATEGORY, UNKNOWN_JURISDICTION or NO_ROUTE.</exception>
    Assignment Route(string categoryId, string jurisdictionId);

    /// <summary>The seat one up the chain and its holder, or null at the top.</summary>
    Assignment? SupervisorOf(string positionId);

    /// <summary>The seat with this id, or null.</summary>
    Position? FindPosition(string positionId);

    /// <summary>The officer holding the seat, or null when it is vacant.</summary>
    Officer? HolderOf(string positionId);

    /// <summary>
    /// Whether <paramref name="officerId"/> acts for the seat now: its holder (or charge officer), or, for a pool seat,
    /// any member not on leave.
    /// </summary>
    bool ActsFor(string positionId, string officerId);

    /// <summary>The SLA policy of a category at a level (for its unit and for the wording).</summary>
    SlaEffectivePolicy Policy(string categoryId, int level);

    /// <summary>Due and at-risk instants of a level whose clock started at <paramref name="start"/>, after <paramref name="pauses"/>.</summary>
    SlaComputation Compute(string categoryId, int level, string jurisdictionId, DateTimeOffset start, IReadOnlyList<SlaPause> pauses);

    /// <summary>Time between two instants that counts towards an allowance in <paramref name="unit"/>.</summary>
    TimeSpan CountedTime(string jurisdictionId, SlaUnit unit, DateTimeOffset from, DateTimeOffset to);

    /// <summary><paramref name="instant"/> moved by the counted time of a pause from <paramref name="pausedAt"/> to <paramref name="resumedAt"/>.</summary>
    DateTimeOffset Extend(string jurisdictionId, SlaUnit unit, DateTimeOffset instant, DateTimeOffset pausedAt, DateTimeOffset resumedAt);
}
