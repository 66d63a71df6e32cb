using Helpline.Officers;

namespace Helpline.Workload.Pools;

/// <summary>The Officers module's <see cref="IPoolAssignment"/>, answered by the position's <see cref="IPoolGrain"/> wherever it lives in the cluster.</summary>
internal sealed class PoolAssignment(IGrainFactory grains) : IPoolAssignment
{
    public Task<PoolChoice> ChooseAsync(Position pool, string grievanceKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return grains.GetGrain<IPoolGrain>(pool.Id).Choose(grievanceKey).WaitAsync(cancellationToken);
    }
}
