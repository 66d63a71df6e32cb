using System.Collections.Frozen;

namespace Helpline.Officers.Routing;

/// <summary>
/// A rule of the routing map: grievances of <paramref name="CategoryId"/> raised in <paramref name="JurisdictionId"/>,
/// or anywhere below it where no nearer rule is set, go to <paramref name="PositionId"/>.
/// </summary>
/// <param name="CategoryId">The category.</param>
/// <param name="JurisdictionId">Where the rule is set; it covers everything below too.</param>
/// <param name="PositionId">The seat that resolves it (its acting officer takes each new grievance).</param>
/// <param name="SetBy">The administrator who set it (the token's subject).</param>
/// <param name="SetAt">When it was set (UTC).</param>
internal sealed record RouteRule(string CategoryId, string JurisdictionId, string PositionId, string SetBy, DateTimeOffset SetAt);

/// <summary>One recorded change of the routing map; a null position means no rule (before it was set, after it was cleared).</summary>
/// <param name="Id">Its number in the change history, increasing.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Actor">Who made it.</param>
/// <param name="CategoryId">The rule's category.</param>
/// <param name="JurisdictionId">The rule's jurisdiction.</param>
/// <param name="PositionBefore">The seat before, or null when there was no rule.</param>
/// <param name="PositionAfter">The seat after, or null when the rule was cleared.</param>
/// <param name="Reason">The reason given, if any.</param>
internal sealed record RouteChange(
    long Id,
    DateTimeOffset At,
    string Actor,
    string CategoryId,
    string JurisdictionId,
    string? PositionBefore,
    string? PositionAfter,
    string? Reason);

/// <summary>An immutable snapshot of every rule of the routing map, read whole from the database.</summary>
internal sealed class RouteMap
{
    private readonly FrozenDictionary<(string CategoryId, string JurisdictionId), RouteRule> _rules;

    private RouteMap(IEnumerable<RouteRule> rules, long sequence)
    {
        _rules = rules.ToFrozenDictionary(r => (r.CategoryId, r.JurisdictionId));
        Rules = [.. _rules.Values.OrderBy(r => r.CategoryId, StringComparer.Ordinal).ThenBy(r => r.JurisdictionId, StringComparer.Ordinal)];
        Sequence = sequence;
    }

    internal static RouteMap Empty { get; } = new([], 0);

    /// <summary>Every rule, by category then jurisdiction.</summary>
    internal IReadOnlyList<RouteRule> Rules { get; }

    /// <summary>The number of the read that built this map; a later read has a larger one.</summary>
    internal long Sequence { get; }

    internal static RouteMap Build(IEnumerable<RouteRule> rules, long sequence) => new(rules, sequence);

    /// <summary>The rule set for exactly this category and jurisdiction, or null.</summary>
    internal RouteRule? Find(string categoryId, string jurisdictionId) => _rules.GetValueOrDefault((categoryId, jurisdictionId));
}
