using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Grievances.ReadModel;
using Helpline.Officers;
using Helpline.Platform.SharedData;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Helpline.Grievances.Jobs;

/// <summary>What one holder sweep did: grievances handed over, and those whose call failed (left to the next run).</summary>
internal sealed record HolderSweepOutcome(int HandedOver, int Failed);

/// <summary>
/// The backstop of <see cref="PositionHandover"/>: hands each open grievance whose holding officer no longer serves its
/// position (<see cref="IOfficerDirectory.Serves"/>) to the officer acting for it now (<see cref="IOfficerDirectory.HolderOf"/>),
/// when there is one; at a pool, to the member the pool assignment chooses (<see cref="IPoolAssignment"/>). It closes the
/// race where a silo that had not yet seen a posting change routed a new grievance to the former holder after the
/// handover had listed the position's grievances, heals a handover that failed for good, and returns to a pool's
/// members what a charge officer was given while every member was on leave. It loads every shared-data change first,
/// so a stale directory never moves a grievance back to a former holder. One grievance that cannot be reached never
/// stops the others: it is counted, logged and left to the next run.
/// </summary>
internal sealed partial class HolderSweep(
    GrievanceQueries queries,
    IOfficerDirectory officers,
    IPoolAssignment pools,
    ISharedData sharedData,
    IGrainFactory grains,
    ILogger<HolderSweep> logger)
{
    /// <summary>The reason the timeline gives.</summary>
    public const string Reason = "the officer no longer serves this position";

    /// <summary>Hands over every open grievance whose holder no longer serves its position.</summary>
    public async Task<HolderSweepOutcome> RunAsync(CancellationToken cancellationToken)
    {
        await sharedData.CatchUpAsync(cancellationToken);
        var moves = new List<(string Position, string From, string To)>();
        var poolsToSweep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (position, officer) in await queries.OpenHoldingsAsync(cancellationToken))
        {
            if (!officers.Serves(officer, position) && officers.HolderOf(position) is { } acting && acting.Id != officer)
            {
                if (officers.FindPosition(position)?.IsPool == true)
                {
                    poolsToSweep.Add(position);
                }
                else
                {
                    moves.Add((position, officer, acting.Id));
                }
            }
        }

        var handedOver = 0;
        var failed = 0;
        async Task HandOverAsync(string key, string position, Func<CancellationToken, Task<(string To, string Reason)>> target, CancellationToken ct)
        {
            var to = "?";
            try
            {
                var (officer, reason) = await target(ct);
                to = officer;
                if (await grains.GetGrain<IGrievanceGrain>(key).HandOver(position, to, GrievanceLifecycle.SystemActor, reason).WaitAsync(CallTimeout, ct))
                {
                    Interlocked.Increment(ref handedOver);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
                LogFailed(ex, key, position, to);
            }
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };
        foreach (var (position, from, to) in moves)
        {
            var keys = await queries.OpenGrainKeysHeldAtAsync(position, from, cancellationToken);
            await Parallel.ForEachAsync(keys, options, (key, ct) => new ValueTask(HandOverAsync(key, position, _ => Task.FromResult((to, Reason)), ct)));
        }

        foreach (var position in poolsToSweep)
        {
            var pool = officers.FindPosition(position)!;
            var keys = await PositionHandover.HeldByNonServingAsync(queries, officers, pool, cancellationToken);
            await Parallel.ForEachAsync(keys, options, (key, ct) => new ValueTask(HandOverAsync(
                key,
                position,
                async c =>
                {
                    var choice = await pools.ChooseAsync(pool, key, c).WaitAsync(CallTimeout, c);
                    return (choice.Officer.Id, PositionHandover.PoolReason(Reason, choice));
                },
                ct)));
        }

        if (handedOver > 0 || failed > 0)
        {
            LogSwept(handedOver, failed, moves.Count + poolsToSweep.Count);
        }

        return new HolderSweepOutcome(handedOver, failed);
    }

    // As the deadline sweep: a grain on a silo that died answers only once the silo is declared dead.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    [LoggerMessage(Level = LogLevel.Information, Message = "Holder sweep handed over {HandedOver} grievances ({Failed} failed, left to the next run) from {Holdings} officers (and pools) whose holders no longer serve their position")]
    private partial void LogSwept(int handedOver, int failed, int holdings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Holder sweep could not hand grievance grain {GrainKey} at position {PositionId} to officer {OfficerId}; the next run tries again")]
    private partial void LogFailed(Exception ex, string grainKey, string positionId, string officerId);
}

/// <summary>Quartz job running <see cref="HolderSweep"/>.</summary>
[DisallowConcurrentExecution]
internal sealed class HolderSweepJob(HolderSweep sweep) : IJob
{
    public static readonly JobKey Key = new("holder-sweep", "grievances");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await sweep.RunAsync(cancellationToken);
}
