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
/// when there is one. It closes the race where a silo that had not yet seen a posting change routed a new grievance to
/// the former holder after the handover had listed the position's grievances, and heals a handover that failed for
/// good. It loads every shared-data change first, so a stale directory never moves a grievance back to a former holder.
/// One grievance that cannot be reached never stops the others: it is counted, logged and left to the next run.
/// </summary>
internal sealed partial class HolderSweep(
    GrievanceQueries queries,
    IOfficerDirectory officers,
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
        foreach (var (position, officer) in await queries.OpenHoldingsAsync(cancellationToken))
        {
            if (!officers.Serves(officer, position) && officers.HolderOf(position) is { } acting && acting.Id != officer)
            {
                moves.Add((position, officer, acting.Id));
            }
        }

        var handedOver = 0;
        var failed = 0;
        foreach (var (position, from, to) in moves)
        {
            var keys = await queries.OpenGrainKeysHeldAtAsync(position, from, cancellationToken);
            await Parallel.ForEachAsync(
                keys,
                new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (key, ct) =>
                {
                    try
                    {
                        if (await grains.GetGrain<IGrievanceGrain>(key).HandOver(position, to, GrievanceLifecycle.SystemActor, Reason).WaitAsync(CallTimeout, ct))
                        {
                            Interlocked.Increment(ref handedOver);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failed);
                        LogFailed(ex, key, position, to);
                    }
                });
        }

        if (handedOver > 0 || failed > 0)
        {
            LogSwept(handedOver, failed, moves.Count);
        }

        return new HolderSweepOutcome(handedOver, failed);
    }

    // As the deadline sweep: a grain on a silo that died answers only once the silo is declared dead.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    [LoggerMessage(Level = LogLevel.Information, Message = "Holder sweep handed over {HandedOver} grievances ({Failed} failed, left to the next run) from {Holdings} officers who no longer serve their position")]
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
