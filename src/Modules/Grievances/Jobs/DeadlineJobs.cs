using Helpline.Grievances.ReadModel;
using Helpline.Officers.Workload;
using Helpline.Platform.Orleans;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Helpline.Grievances.Jobs;

/// <summary>The officers that hold an open grievance with a due date (the read model's answer; a seam for tests).</summary>
internal interface IOfficersWithOpenDeadlines
{
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Reads the officers with open deadlines from the grievance read model.</summary>
internal sealed class ReadModelOfficersWithOpenDeadlines(GrievanceQueries queries) : IOfficersWithOpenDeadlines
{
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => queries.OfficersWithOpenDeadlinesAsync(cancellationToken);
}

/// <summary>What one sweep did: how many officers it called, and those whose call failed.</summary>
internal sealed record SweepOutcome(int Officers, IReadOnlyList<string> FailedIds)
{
    /// <summary>Officers whose call failed.</summary>
    public int Failed => FailedIds.Count;

    /// <summary>The first of them (at most 10), as logged.</summary>
    public IReadOnlyList<string> FirstFailed => [.. FailedIds.Take(10)];
}

/// <summary>
/// Brings every live deadline back into memory: activates each officer grain that holds an open grievance with a
/// due date; the grain rebuilds its list from the read model and arms its timer. Run once when a silo starts
/// (deadlines that passed while the service was down fire at once), as soon as a silo is declared dead
/// (<see cref="SiloDeathDeadlineSweep"/>), and every minute as a backstop. One officer that cannot be reached
/// (its grain was on a silo not yet declared dead) never stops the others: it is counted, logged and left to the next run.
/// </summary>
internal sealed partial class DeadlineSweep(IOfficersWithOpenDeadlines source, IGrainFactory grains, ILogger<DeadlineSweep> logger)
{
    /// <summary>How long one officer's call may take; a grain on a silo that died answers when the silo is declared dead.</summary>
    internal static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Arms every officer with an open deadline.</summary>
    public async Task<SweepOutcome> RunAsync(CancellationToken cancellationToken) =>
        await ArmAsync(await source.ListAsync(cancellationToken), recheck: false, cancellationToken);

    /// <summary>
    /// Arms the officers with an open deadline that <paramref name="include"/> selects and, when <paramref name="recheck"/>,
    /// has each tell again at once the grievances whose last call failed (a silo just left the cluster).
    /// </summary>
    public async Task<SweepOutcome> RunAsync(Func<string, bool> include, bool recheck, CancellationToken cancellationToken) =>
        await ArmAsync((await source.ListAsync(cancellationToken)).Where(include).ToList(), recheck, cancellationToken);

    /// <summary>Calls each officer in <paramref name="officerIds"/>, continuing past failures, and reports them.</summary>
    public async Task<SweepOutcome> ArmAsync(IReadOnlyList<string> officerIds, bool recheck, CancellationToken cancellationToken)
    {
        var failed = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Exception? first = null;
        await Parallel.ForEachAsync(
            officerIds,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                try
                {
                    var officer = grains.GetGrain<IOfficerGrain>(id);
                    await (recheck ? officer.Recheck() : officer.Arm()).WaitAsync(CallTimeout, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref first, ex, null);
                    failed.Enqueue(id);
                }
            });

        var outcome = new SweepOutcome(officerIds.Count, [.. failed]);
        if (outcome.Failed > 0)
        {
            LogFailed(first, outcome.Failed, outcome.Officers, string.Join(", ", outcome.FirstFailed));
        }
        else
        {
            LogSwept(outcome.Officers);
        }

        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deadline sweep armed {Officers} officers")]
    private partial void LogSwept(int officers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline sweep could not reach {Failed} of {Officers} officers (first: {OfficerIds}); the others were armed, the next sweep tries again")]
    private partial void LogFailed(Exception? ex, int failed, int officers, string officerIds);
}

/// <summary>Quartz job running <see cref="DeadlineSweep"/>.</summary>
[DisallowConcurrentExecution]
internal sealed class DeadlineSweepJob(DeadlineSweep sweep) : IJob
{
    public static readonly JobKey Key = new("deadline-sweep", "grievances");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await sweep.RunAsync(cancellationToken);
}

/// <summary>
/// Finishes grievance changes left half done: a change is stored with its read-model row in one transaction, and its
/// projection-outbox entry stays until the grain has told the officers (a crash or a failed call in between leaves
/// it). This job finds entries older than <see cref="Grace"/> and asks each grain to tell its officer again and write
/// its row again. An entry still there afterwards failed: it is logged and counted as failed (never as re-projected),
/// stays visible through the health check and the <see cref="ProjectionMetrics"/> gauge, and is tried again on the
/// next run.
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

    public Task<Outcome> RepairAsync(CancellationToken cancellationToken) => RepairAsync(Grace, cancellationToken);

    /// <summary>
    /// Re-projects entries older than <paramref name="grace"/>. Right after a silo's death a short grace is used: a
    /// grievance whose change was stored while its calls to officers on the dying silo failed kept its entry, and
    /// waiting the usual grace would leave its new officer without its deadline for up to a minute.
    /// Re-projecting an entry still in flight is harmless (the projection never overwrites a newer version).
    /// </summary>
    public async Task<Outcome> RepairAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        // Wall-clock time, not the SLA clock: the outbox stamps entries with database time, and staleness is about
        // how long a write has been in flight, not about deadlines.
        var cutoff = DateTimeOffset.UtcNow - grace;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Read-model repair could not finish grievance grain {GrainKey} at version {Version} (tell its officer, write its read-model row); it stays in the outbox")]
    private partial void LogEntryFailed(Exception ex, string grainKey, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Read-model repair finished {Count} grievance changes whose officers may not have been told (a crash or a failed call after the change was stored)")]
    private partial void LogRepaired(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Read-model repair failed for {Count} grievance changes, their officers perhaps still not told (first: {GrainKeys}); retried on the next run")]
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
            var outcome = await sweep.RunAsync(CancellationToken.None);
            LogArmed(outcome.Officers - outcome.Failed, outcome.Failed);
        }
        catch (Exception ex)
        {
            LogFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadlines re-armed at start-up for {Officers} officers ({Failed} unreachable, left to the next sweep)")]
    private partial void LogArmed(int officers, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Start-up deadline sweep failed; the periodic sweep will retry")]
    private partial void LogFailed(Exception ex);
}
