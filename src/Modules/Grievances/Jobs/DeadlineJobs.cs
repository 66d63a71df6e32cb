using Helpline.Grievances.ReadModel;
using Helpline.Officers.Workload;
using Helpline.Platform.Orleans;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Helpline.Grievances.Jobs;

/// <summary>
/// Brings every live deadline back into memory: activates each officer grain that holds an open grievance with a
/// due date; the grain rebuilds its list from the read model and arms its timer. Run once when a silo starts
/// (deadlines that passed while the service was down fire at once) and periodically, so that officer grains lost
/// with a silo come back on another one.
/// </summary>
internal sealed partial class DeadlineSweep(GrievanceQueries queries, IGrainFactory grains, ILogger<DeadlineSweep> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var officers = await queries.OfficersWithOpenDeadlinesAsync(cancellationToken);
        await Parallel.ForEachAsync(
            officers,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (id, _) => await grains.GetGrain<IOfficerGrain>(id).Arm());
        LogSwept(officers.Count);
        return officers.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deadline sweep armed {Officers} officers")]
    private partial void LogSwept(int officers);
}

/// <summary>Quartz job running <see cref="DeadlineSweep"/>.</summary>
[DisallowConcurrentExecution]
internal sealed class DeadlineSweepJob(DeadlineSweep sweep) : IJob
{
    public static readonly JobKey Key = new("deadline-sweep", "grievances");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await sweep.RunAsync(cancellationToken);
}

/// <summary>
/// Heals the read model: a grievance whose state was stored but whose read-model row was not (a crash or a
/// database error between the two writes) still has its projection-outbox entry; this job finds entries older
/// than <see cref="Grace"/> and asks each grain to write its row again. An entry still there afterwards failed: it is
/// logged and counted as failed (never as re-projected), stays visible through the health check and the
/// <see cref="ProjectionMetrics"/> gauge, and is tried again on the next run.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class ReadModelRepairJob(ProjectionOutbox outbox, IGrainFactory grains, ProjectionMetrics metrics, ILogger<ReadModelRepairJob> logger) : IJob
{
    public static readonly JobKey Key = new("read-model-repair", "grievances");

    /// <summary>How long an entry may stay unacknowledged before it is treated as lost: in-flight writes take milliseconds.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <summary>What one run did: entries re-projected, and entries still waiting after it.</summary>
    public sealed record Outcome(int Repaired, int Failed);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await RepairAsync(cancellationToken);

    public async Task<Outcome> RepairAsync(CancellationToken cancellationToken)
    {
        // Wall-clock time, not the SLA clock: the outbox stamps entries with database time, and staleness is about
        // how long a write has been in flight, not about deadlines.
        var cutoff = DateTimeOffset.UtcNow - Grace;
        var stale = await outbox.ListStaleAsync(GrievanceProjection.StateName, cutoff, 1000, cancellationToken);
        foreach (var entry in stale)
        {
            // One entry that cannot be healed must not stop the others.
            try
            {
                await grains.GetGrain<IGrievanceGrain>(entry.GrainKey).EnsureProjected();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogEntryFailed(ex, entry.GrainKey, entry.Version);
            }
        }

        if (stale.Count == 0)
        {
            metrics.ObserveStuck(0);
            return new Outcome(0, 0);
        }

        // A grain call can return without writing (no state to project): the outbox, not the call, says what healed.
        var left = (await outbox.ListStaleAsync(GrievanceProjection.StateName, cutoff, 1000, cancellationToken))
            .Select(e => (e.GrainKey, e.Version))
            .ToHashSet();
        var failed = stale.Where(e => left.Contains((e.GrainKey, e.Version))).ToList();
        var repaired = stale.Count - failed.Count;
        metrics.ObserveStuck(await outbox.CountStaleAsync(GrievanceProjection.StateName, cutoff, cancellationToken));
        metrics.Repaired(repaired);
        metrics.Failed(failed.Count);
        if (repaired > 0)
        {
            LogRepaired(repaired);
        }

        if (failed.Count > 0)
        {
            LogFailed(failed.Count, string.Join(", ", failed.Take(10).Select(e => e.GrainKey)));
        }

        return new Outcome(repaired, failed.Count);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Read-model repair could not re-project grievance grain {GrainKey} at version {Version}; it stays in the outbox")]
    private partial void LogEntryFailed(Exception ex, string grainKey, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Read-model repair re-projected {Count} grievances whose read-model write had not completed")]
    private partial void LogRepaired(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Read-model repair failed for {Count} grievances, still stuck between stored state and read model (first: {GrainKeys}); retried on the next run")]
    private partial void LogFailed(int count, string grainKeys);
}

/// <summary>
/// Runs the deadline sweep once, in the background, as soon as the silo is active, so that deadlines that passed
/// while the service was down are acted on at once and the rest are armed again.
/// </summary>
internal sealed partial class StartupDeadlineSweep(DeadlineSweep sweep, ILogger<StartupDeadlineSweep> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StartupDeadlineSweep), ServiceLifecycleStage.Active, OnActiveAsync, _ => Task.CompletedTask);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        // Not awaited: start-up must not wait for thousands of officer activations.
        _ = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        try
        {
            var n = await sweep.RunAsync(CancellationToken.None);
            LogArmed(n);
        }
        catch (Exception ex)
        {
            LogFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadlines re-armed at start-up for {Officers} officers")]
    private partial void LogArmed(int officers);

    [LoggerMessage(Level = LogLevel.Error, Message = "Start-up deadline sweep failed; the periodic sweep will retry")]
    private partial void LogFailed(Exception ex);
}
