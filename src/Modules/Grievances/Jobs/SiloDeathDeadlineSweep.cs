using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helpline.Grievances.Jobs;

/// <summary>
/// Runs the deadline sweep as soon as this silo learns that another one was declared dead, instead of waiting for the
/// minute-by-minute sweep: officer grains that lived on the dead silo are activated again on the survivors (their
/// passed deadlines fire at once), and officers on the survivors tell again at once the grievances whose calls failed
/// while that silo was dying. The survivors share the work: each arms the officers whose id hashes to its place among
/// the active silos of its own view. Views that briefly disagree can make two silos arm the same officer (harmless:
/// arming is idempotent) or none (the periodic sweep catches it within a minute). Then it re-projects, with a short
/// grace, grievances whose change was stored while their calls to the dying silo failed (<see cref="ReadModelRepairJob"/>).
/// </summary>
internal sealed partial class SiloDeathDeadlineSweep(
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    DeadlineSweep sweep,
    IServiceProvider services,
    ILogger<SiloDeathDeadlineSweep> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    // Officers whose call failed are tried again a few times: the silo that owns an officer's directory entry may
    // learn of the death a moment after this one.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private const int Attempts = 3;

    // Grievances that stored a change while their calls to officers on the dying silo failed wait in the projection
    // outbox; they are re-projected (and their officers told again) this soon after the death instead of after the
    // repair job's usual grace.
    private static readonly TimeSpan RepairGrace = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private Task _watching = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloDeathDeadlineSweep), ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);

    /// <summary>The silos that died between two views of the cluster, other than this one.</summary>
    internal static IReadOnlyList<SiloAddress> NewlyDead(ClusterMembershipSnapshot? previous, ClusterMembershipSnapshot current, SiloAddress self) =>
        current.Members.Values
            .Where(m => m.Status == SiloStatus.Dead && !m.SiloAddress.Equals(self))
            .Where(m => previous is not null && previous.GetSiloStatus(m.SiloAddress) is not SiloStatus.Dead and not SiloStatus.None)
            .Select(m => m.SiloAddress)
            .ToList();

    /// <summary>
    /// Whether <paramref name="officerId"/> falls to <paramref name="self"/> among <paramref name="activeSilos"/>: a
    /// stable hash (the same in every process) of the id, modulo the number of active silos, ordered by address.
    /// A silo missing from the list takes every officer.
    /// </summary>
    internal static bool IsMine(string officerId, IReadOnlyList<SiloAddress> activeSilos, SiloAddress self)
    {
        var ordered = activeSilos.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToList();
        var index = ordered.IndexOf(self.ToParsableString());
        if (index < 0 || ordered.Count <= 1)
        {
            return true;
        }

        // FNV-1a: string.GetHashCode is randomised per process, so silos would not agree on it.
        var hash = 2166136261u;
        foreach (var c in officerId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash % (uint)ordered.Count == (uint)index;
    }

    public void Dispose() => _stopping.Dispose();

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        _watching = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watching.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        ClusterMembershipSnapshot? previous = membership.CurrentSnapshot;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stopping))
            {
                var dead = NewlyDead(previous, snapshot, local.SiloAddress);
                previous = snapshot;
                if (dead.Count > 0)
                {
                    await SweepAfterAsync(dead, snapshot, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogWatchFailed(ex);
        }
    }

    private async Task SweepAfterAsync(IReadOnlyList<SiloAddress> dead, ClusterMembershipSnapshot snapshot, CancellationToken stopping)
    {
        var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        var self = local.SiloAddress;
        var names = string.Join(", ", dead);
        LogDeathSeen(names, active.Count);
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var outcome = await sweep.RunAsync(id => IsMine(id, active, self), recheck: true, stopping);
            var officers = outcome.Officers;
            for (var attempt = 1; attempt < Attempts && outcome.Failed > 0; attempt++)
            {
                await Task.Delay(RetryDelay, stopping);
                outcome = await sweep.ArmAsync(outcome.FailedIds, recheck: true, stopping);
            }

            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogSwept(officers, outcome.Failed, elapsed);

            await Task.Delay(RepairGrace, stopping);
            await ActivatorUtilities.CreateInstance<ReadModelRepairJob>(services).RepairAsync(RepairGrace, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogSweepFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo(s) {Dead} declared dead; re-arming their officers' deadlines now, shared among {Active} active silos")]
    private partial void LogDeathSeen(string dead, int active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline sweep after a silo's death: {Officers} officers armed here, {Failed} unreachable (left to the periodic sweep), in {Milliseconds:F0} ms")]
    private partial void LogSwept(int officers, int failed, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline sweep after a silo's death failed; the periodic sweep will re-arm within a minute")]
    private partial void LogSweepFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching cluster membership for dead silos stopped; only the periodic deadline sweep re-arms deadlines now")]
    private partial void LogWatchFailed(Exception ex);
}
