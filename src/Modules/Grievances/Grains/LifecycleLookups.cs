using Helpline.Jurisdictions;
using Helpline.Catalogue;
using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Officers;
using Helpline.Sla;

namespace Helpline.Grievances.Grains;

/// <summary>The lifecycle's lookups answered by the in-memory reference data of the other modules.</summary>
internal sealed class LifecycleLookups(ICatalogue catalogue, IJurisdictionDirectory jurisdictions, IRoutingService routing, IOfficerDirectory officers, ISlaEngine sla) : ILifecycleLookups
{
    /// <summary>
    /// Members chosen for pool seats for the transition being computed (the grain asks the pool, then runs the
    /// transition again with the choice); a pool seat without a choice answers the directory's first available member.
    /// </summary>
    public Dictionary<string, Officer> PoolChoices { get; } = new(StringComparer.Ordinal);

    public string? DepartmentOf(string categoryId) => catalogue.FindCategory(categoryId)?.DepartmentId;

    public string? RootOf(string jurisdictionId) => jurisdictions.PathToRoot(jurisdictionId) is { Count: > 0 } path ? path[^1].Id : null;

    public Assignment Route(string categoryId, string jurisdictionId) => Chosen(routing.Route(categoryId, jurisdictionId))!;

    public Assignment? SupervisorOf(string positionId) => Chosen(officers.SupervisorOf(positionId));

    public Position? FindPosition(string positionId) => officers.FindPosition(positionId);

    public Officer? HolderOf(string positionId) => PoolChoices.GetValueOrDefault(positionId) ?? officers.HolderOf(positionId);

    public bool ActsFor(string positionId, string officerId) =>
        string.Equals(officers.HolderOf(positionId)?.Id, officerId, StringComparison.Ordinal)
        || officers.MembersOf(positionId).Any(m => !m.OnLeave && string.Equals(m.Officer.Id, officerId, StringComparison.Ordinal));

    public SlaEffectivePolicy Policy(string categoryId, int level) => sla.GetPolicy(categoryId, level);

    public SlaComputation Compute(string categoryId, int level, string jurisdictionId, DateTimeOffset start, IReadOnlyList<SlaPause> pauses) =>
        sla.Compute(categoryId, level, jurisdictionId, start, pauses);

    public TimeSpan CountedTime(string jurisdictionId, SlaUnit unit, DateTimeOffset from, DateTimeOffset to) =>
        sla.WorkingTimeBetween(jurisdictionId, unit, from, to);

    public DateTimeOffset Extend(string jurisdictionId, SlaUnit unit, DateTimeOffset instant, DateTimeOffset pausedAt, DateTimeOffset resumedAt) =>
        sla.Extend(jurisdictionId, unit, instant, pausedAt, resumedAt);

    private Assignment? Chosen(Assignment? a) =>
        a is not null && PoolChoices.TryGetValue(a.Position.Id, out var chosen) ? a with { Officer = chosen } : a;
}
