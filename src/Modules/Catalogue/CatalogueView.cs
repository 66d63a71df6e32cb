using System.Collections.Frozen;

namespace Helpline.Catalogue;

/// <summary>
/// A category as stored: its base row (shipped or imported; none for one an administrator added) and the
/// administrative changes recorded for it, in effective order (ties in the order recorded).
/// </summary>
internal sealed record CategoryTimeline(CategoryState? Base, IReadOnlyList<(DateTimeOffset EffectiveAt, CategoryState After)> Changes)
{
    /// <summary>
    /// The state in force at <paramref name="instant"/>: the latest change effective by then, else the base; null
    /// before an add. A change without a Hindi name shows the base's.
    /// </summary>
    public CategoryState? At(DateTimeOffset instant)
    {
        for (var i = Changes.Count - 1; i >= 0; i--)
        {
            if (Changes[i].EffectiveAt <= instant)
            {
                // An administrator cannot clear a Hindi name (adds and renames require one), so a change without one
                // was recorded before the shipped files named the category in Hindi: the shipped name shows through.
                var after = Changes[i].After;
                return after.NameHindi is null && Base?.NameHindi is { } shipped ? after with { NameHindi = shipped } : after;
            }
        }

        return Base;
    }
}

/// <summary>
/// The categories in force over one stretch of time, <see cref="From"/> (inclusive) to <see cref="Until"/> (exclusive):
/// no change takes effect inside it, so the view holds until the clock leaves it.
/// </summary>
internal sealed class CatalogueView
{
    private CatalogueView(
        DateTimeOffset from,
        DateTimeOffset until,
        IReadOnlyList<Category> active,
        FrozenDictionary<string, Category> byId,
        FrozenSet<string> retired)
    {
        From = from;
        Until = until;
        Active = active;
        ById = byId;
        Retired = retired;
    }

    /// <summary>A view that covers no instant: the first question computes the real one.</summary>
    public static CatalogueView None { get; } = new(
        DateTimeOffset.MaxValue, DateTimeOffset.MinValue, [], FrozenDictionary<string, Category>.Empty, FrozenSet<string>.Empty);

    public DateTimeOffset From { get; }

    public DateTimeOffset Until { get; }

    /// <summary>The categories new grievances may choose: in force and not retired, by department name then name.</summary>
    public IReadOnlyList<Category> Active { get; }

    /// <summary>Every category in force, retired ones included (grievances under them keep working).</summary>
    public FrozenDictionary<string, Category> ById { get; }

    public FrozenSet<string> Retired { get; }

    public bool Covers(DateTimeOffset instant) => instant >= From && instant < Until;

    public static CatalogueView At(
        DateTimeOffset instant, IEnumerable<CategoryTimeline> timelines, IReadOnlyDictionary<string, Department> departments)
    {
        var from = DateTimeOffset.MinValue;
        var until = DateTimeOffset.MaxValue;
        var states = new List<CategoryState>();
        foreach (var timeline in timelines)
        {
            foreach (var (effectiveAt, _) in timeline.Changes)
            {
                if (effectiveAt <= instant)
                {
                    from = effectiveAt > from ? effectiveAt : from;
                }
                else
                {
                    until = effectiveAt < until ? effectiveAt : until;
                }
            }

            if (timeline.At(instant) is { } state)
            {
                states.Add(state);
            }
        }

        var active = states
            .Where(s => !s.Retired)
            .Select(s => s.ToCategory())
            .OrderBy(c => departments.GetValueOrDefault(c.DepartmentId)?.Name ?? c.DepartmentId, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.DepartmentId, StringComparer.Ordinal)
            .ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToArray();
        return new CatalogueView(
            from,
            until,
            Array.AsReadOnly(active),
            states.ToFrozenDictionary(s => s.Id, s => s.ToCategory(), StringComparer.Ordinal),
            states.Where(s => s.Retired).Select(s => s.Id).ToFrozenSet(StringComparer.Ordinal));
    }
}
