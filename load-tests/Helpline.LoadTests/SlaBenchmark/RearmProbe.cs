using System.Collections.Concurrent;
using System.Diagnostics;
using Helpline.Officers.Workload;

namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>
/// Adds up the open grievances the officer grains hold in memory, asking only officers that are already active
/// (IManagementGrain.GetActiveGrains), so that polling never activates an officer itself: every activation is the
/// start-up sweep's. An officer's list is complete once it is active (it is loaded in OnActivateAsync), so each
/// officer is asked once.
/// </summary>
public sealed class RearmProbe(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly GrainType _officerType = grains.GetGrain<IOfficerGrain>("OFF-000000").GetGrainId().Type;

    public int ActiveOfficers => _open.Count;

    public long Open => _open.Values.Sum(v => (long)v);

    /// <summary>One poll: asks the officers that became active since the last poll.</summary>
    public async Task<long> PollAsync()
    {
        var active = await grains.GetGrain<IManagementGrain>(0).GetActiveGrains(_officerType);
        var fresh = active.Select(id => id.Key.ToString()!).Where(id => !_open.ContainsKey(id)).ToList();
        await Parallel.ForEachAsync(fresh, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
        {
            var w = await grains.GetGrain<IOfficerGrain>(id).GetWorkload();
            _open[id] = w.Open;
        });
        return Open;
    }

    /// <summary>Polls every <paramref name="interval"/> until <paramref name="expected"/> are held or the timeout; returns the progress (seconds since <paramref name="since"/>, open).</summary>
    public async Task<(TimeSpan? Reached, List<double[]> Progress)> WaitForAsync(long expected, Stopwatch since, TimeSpan interval, TimeSpan timeout, Action<long, int>? report = null)
    {
        var progress = new List<double[]>();
        var deadline = since.Elapsed + timeout;
        while (true)
        {
            var open = await PollAsync();
            var at = since.Elapsed;
            progress.Add([Math.Round(at.TotalSeconds, 2), open, ActiveOfficers]);
            report?.Invoke(open, ActiveOfficers);
            if (open >= expected)
            {
                return (at, progress);
            }

            if (at > deadline)
            {
                return (null, progress);
            }

            await Task.Delay(interval);
        }
    }
}
