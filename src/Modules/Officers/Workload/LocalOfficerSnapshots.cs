using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Helpline.Officers.Workload;

/// <summary>
/// What an officer grain active on this silo holds, as of its last change: its open grievances and recent disposals.
/// The grain replaces its snapshot in the same turn as every change, before the caller that made the change gets its
/// answer, so a snapshot read here is never older than an acknowledged change; reading it costs no grain call.
/// </summary>
internal sealed class LocalOfficerSnapshots
{
    private readonly ConcurrentDictionary<string, OfficerSnapshot> _active = new(StringComparer.Ordinal);

    public void Publish(string officerId, OfficerSnapshot snapshot) => _active[officerId] = snapshot;

    /// <summary>The activation <paramref name="owner"/> is going away: its snapshot goes, never a newer activation's.</summary>
    public void Withdraw(string officerId, object owner)
    {
        if (_active.TryGetValue(officerId, out var snapshot) && ReferenceEquals(snapshot.Owner, owner))
        {
            _active.TryRemove(KeyValuePair.Create(officerId, snapshot));
        }
    }

    /// <summary>The snapshot of the officer's activation on this silo; null when the officer is not active here.</summary>
    public OfficerSnapshot? Find(string officerId) => _active.GetValueOrDefault(officerId);
}

/// <summary>
/// One activation's open grievances and disposal instants at one moment; never changed once published. A class, not a
/// record: the registry tells snapshots apart by reference.
/// </summary>
/// <param name="owner">The activation that published it.</param>
/// <param name="open">Open grievances by grain key.</param>
/// <param name="disposed">Disposal instants by grain key (the last 7 days, perhaps a few older ones not yet pruned).</param>
internal sealed class OfficerSnapshot(
    object owner,
    ImmutableDictionary<string, TrackedGrievance> open,
    ImmutableDictionary<string, DateTimeOffset> disposed)
{
    private TrackedGrievance[]? _list;

    // The figures last computed and the instants between which they hold; replaced whole, so a race only recomputes.
    private Kept? _kept;

    public object Owner { get; } = owner;

    public ImmutableDictionary<string, TrackedGrievance> Open { get; } = open;

    public ImmutableDictionary<string, DateTimeOffset> Disposed { get; } = disposed;

    /// <summary>The open grievances as a list, made once per snapshot (a benign race may make it twice).</summary>
    public IReadOnlyList<TrackedGrievance> OpenList => _list ??= [.. Open.Values];

    /// <summary>
    /// The workload at <paramref name="now"/>, exactly as the grain computes it; kept until the figures may change
    /// (<see cref="WorkloadCount.Horizon"/>), so a board read again and again counts each officer once.
    /// </summary>
    public OfficerWorkload WorkloadAt(string officerId, DateTimeOffset now)
    {
        if (_kept is { } kept && now >= kept.From && now < kept.Until)
        {
            return kept.Workload;
        }

        var since = now - OfficerGrain.RecentDisposals;
        var workload = WorkloadCount.Of(officerId, OpenList, now, Disposed.Values.Count(at => at >= since));
        _kept = new Kept(now, WorkloadCount.Horizon(OpenList, Disposed.Values, OfficerGrain.RecentDisposals, now), workload);
        return workload;
    }

    private sealed record Kept(DateTimeOffset From, DateTimeOffset Until, OfficerWorkload Workload);
}
