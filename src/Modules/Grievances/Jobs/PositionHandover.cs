using Helpline.Grievances.ReadModel;
using Helpline.Officers;
using Helpline.Officers.Postings;
using Helpline.Platform.Events;
using Helpline.Platform.SharedData;
using Microsoft.Extensions.Logging;

namespace Helpline.Grievances.Jobs;

/// <summary>
/// Follows changes of who acts for a position (<see cref="PositionHolderChanged"/> events of the Officers module): when a
/// change moves the position's open grievances, each one held by someone other than the new holder is handed over
/// (<see cref="IGrievanceGrain.HandOver"/>). For a pool only the grievances of officers who no longer
/// <see cref="IOfficerDirectory.Serves"/> it move (a member who left, a charge that ended), each to the member the
/// pool assignment chooses (<see cref="IPoolAssignment"/>); the other members keep theirs. A failure throws, so the
/// batch is delivered again; the grain ignores a grievance already with that holder, no longer at the position, or
/// disposed of, so a redelivery is harmless. A grievance the read model does not show yet (routed to the old holder
/// on a silo that had not seen the change) is left to <see cref="HolderSweep"/>.
/// </summary>
internal sealed partial class PositionHandover(
    GrievanceQueries queries,
    IGrainFactory grains,
    IOfficerDirectory officers,
    IPoolAssignment pools,
    ISharedData sharedData,
    ILogger<PositionHandover> logger) : PostingEventSubscriber
{
    public override string Name => "grievances.position-handover";

    protected override async Task HandleAsync(IReadOnlyList<PositionHolderChanged> events, EventBatchContext context, CancellationToken cancellationToken)
    {
        // Each move takes every open grievance of the position, so only a position's last move in the batch counts: a
        // batch delivered again never walks grievances back through holders they have already left.
        var lastMoves = events
            .Where(e => e.MoveOpenGrievances && e.ToOfficerId is not null)
            .GroupBy(e => e.PositionId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(e => e.Sequence)!)
            .ToList();
        if (lastMoves.Count == 0)
        {
            return;
        }

        // Who serves a pool is the directory's answer: it must know the change (committed with its roster notice).
        await sharedData.CatchUpAsync(cancellationToken);
        foreach (var change in lastMoves)
        {
            if (officers.FindPosition(change.PositionId) is { IsPool: true } pool)
            {
                await HandOverInPoolAsync(pool, change, cancellationToken);
            }
            else
            {
                await HandOverAsync(change, cancellationToken);
            }
        }
    }

    /// <summary>Why the grievances moved, as the timeline says it.</summary>
    internal static string ReasonOf(PositionHolderChanged e)
    {
        var why = e.Reason switch
        {
            HolderChangeReason.Posted => $"officer {e.ToOfficerId} was posted to the position{(e.FromOfficerId is null ? "" : $" in place of officer {e.FromOfficerId}")}",
            HolderChangeReason.LeaveStarted => $"officer {e.FromOfficerId ?? "?"} went on leave and officer {e.ToOfficerId} holds charge",
            HolderChangeReason.LeaveEnded => $"the leave of officer {e.ToOfficerId} ended",
            HolderChangeReason.PostingEnded => $"the posting of officer {e.FromOfficerId ?? "?"} ended",
            _ => $"the officer acting for the position changed ({e.Reason})",
        };
        return string.IsNullOrWhiteSpace(e.Note) ? why : $"{why} ({e.Note.Trim()})";
    }

    /// <summary>The timeline's reason for a grievance a pool's assignment placed.</summary>
    internal static string PoolReason(string why, PoolChoice choice) => $"{why}; to a member of the pool: {choice.Reason}";

    /// <summary>The open grievances at a pool held by officers who no longer serve it, by holder (the sweep shares this).</summary>
    internal static async Task<IReadOnlyList<string>> HeldByNonServingAsync(GrievanceQueries queries, IOfficerDirectory officers, Position pool, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        foreach (var holder in await queries.OpenHoldersAtAsync(pool.Id, cancellationToken))
        {
            if (!officers.Serves(holder, pool.Id))
            {
                keys.AddRange(await queries.OpenGrainKeysHeldAtAsync(pool.Id, holder, cancellationToken));
            }
        }

        return keys;
    }

    private async Task HandOverAsync(PositionHolderChanged change, CancellationToken cancellationToken)
    {
        var to = change.ToOfficerId!;
        var reason = ReasonOf(change);
        var keys = await queries.OpenGrainKeysAtPositionAsync(change.PositionId, to, cancellationToken);
        var moved = 0;
        await Parallel.ForEachAsync(
            keys,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (key, _) =>
            {
                if (await grains.GetGrain<IGrievanceGrain>(key).HandOver(change.PositionId, to, change.Actor, reason))
                {
                    Interlocked.Increment(ref moved);
                }
            });
        LogHandedOver(moved, keys.Count, change.PositionId, to, change.Sequence);
    }

    private async Task HandOverInPoolAsync(Position pool, PositionHolderChanged change, CancellationToken cancellationToken)
    {
        if (officers.HolderOf(pool.Id) is null)
        {
            return; // emptied since the change: nobody to hand to; a later posting or the sweep moves them
        }

        var why = ReasonOf(change);
        var keys = await HeldByNonServingAsync(queries, officers, pool, cancellationToken);
        var moved = 0;
        await Parallel.ForEachAsync(
            keys,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (key, ct) =>
            {
                var choice = await pools.ChooseAsync(pool, key, ct);
                if (await grains.GetGrain<IGrievanceGrain>(key).HandOver(pool.Id, choice.Officer.Id, change.Actor, PoolReason(why, choice)))
                {
                    Interlocked.Increment(ref moved);
                }
            });
        LogHandedOverInPool(moved, keys.Count, pool.Id, change.Sequence);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Handed over {Moved} of {Listed} open grievances at position {PositionId} to officer {OfficerId} (position change {Sequence})")]
    private partial void LogHandedOver(int moved, int listed, string positionId, string officerId, int sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handed over {Moved} of {Listed} open grievances held by officers no longer serving pool {PositionId} to its members (position change {Sequence})")]
    private partial void LogHandedOverInPool(int moved, int listed, string positionId, int sequence);
}
