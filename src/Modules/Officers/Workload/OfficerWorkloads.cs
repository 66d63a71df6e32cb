namespace Helpline.Officers.Workload;

/// <summary>
/// Many officers' live figures at once, for boards and rebalancing. Each is exact as of the moment it is read: taken
/// from the officer grain's snapshot when the grain is active on this silo, otherwise asked of the grain.
/// </summary>
public interface IOfficerWorkloads
{
    /// <summary>The workload of each of <paramref name="officerIds"/>, in the same order.</summary>
    Task<IReadOnlyList<OfficerWorkload>> WorkloadsOfAsync(IReadOnlyList<string> officerIds);

    /// <summary>The open grievances each of <paramref name="officerIds"/> holds, in the same order.</summary>
    Task<IReadOnlyList<IReadOnlyList<TrackedGrievance>>> OpenOfAsync(IReadOnlyList<string> officerIds);

    /// <summary>
    /// What <see cref="IOfficerGrain.LoadExpecting"/> answers for each of <paramref name="officerIds"/>, with the
    /// grievance keys expected for each (<paramref name="expected"/>, in the same order).
    /// </summary>
    Task<IReadOnlyList<ExpectedLoad>> LoadsExpectingAsync(IReadOnlyList<string> officerIds, IReadOnlyList<IReadOnlyCollection<string>> expected);
}

internal sealed class OfficerWorkloads(LocalOfficerSnapshots local, IGrainFactory grains, TimeProvider clock) : IOfficerWorkloads
{
    public async Task<IReadOnlyList<OfficerWorkload>> WorkloadsOfAsync(IReadOnlyList<string> officerIds)
    {
        var now = clock.GetUtcNow();
        return await Gather(officerIds, s => s.Value.WorkloadAt(s.Id, now), id => grains.GetGrain<IOfficerGrain>(id).GetWorkload());
    }

    public Task<IReadOnlyList<IReadOnlyList<TrackedGrievance>>> OpenOfAsync(IReadOnlyList<string> officerIds) =>
        Gather(officerIds, s => s.Value.OpenList, id => grains.GetGrain<IOfficerGrain>(id).GetOpen());

    public Task<IReadOnlyList<ExpectedLoad>> LoadsExpectingAsync(IReadOnlyList<string> officerIds, IReadOnlyList<IReadOnlyCollection<string>> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var index = officerIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => expected[p.i], StringComparer.Ordinal);
        return Gather(
            officerIds,
            s => OfficerGrain.Expecting(s.Value.Open, index[s.Id]),
            id => grains.GetGrain<IOfficerGrain>(id).LoadExpecting(index[id]));
    }

    // Snapshots first, then the grains not active here, all at once; every answer lands at its officer's index.
    private async Task<IReadOnlyList<T>> Gather<T>(
        IReadOnlyList<string> officerIds, Func<(string Id, OfficerSnapshot Value), T> fromSnapshot, Func<string, Task<T>> fromGrain)
    {
        ArgumentNullException.ThrowIfNull(officerIds);
        var answers = new T[officerIds.Count];
        List<(int Index, Task<T> Call)>? calls = null;
        for (var i = 0; i < officerIds.Count; i++)
        {
            if (local.Find(officerIds[i]) is { } snapshot)
            {
                answers[i] = fromSnapshot((officerIds[i], snapshot));
            }
            else
            {
                (calls ??= []).Add((i, fromGrain(officerIds[i])));
            }
        }

        if (calls is not null)
        {
            await Task.WhenAll(calls.Select(c => c.Call));
            foreach (var (index, call) in calls)
            {
                answers[index] = await call;
            }
        }

        return answers;
    }
}
