using Helpline.Officers;
using Helpline.Officers.Workload;
using Helpline.Platform.Errors;
using Helpline.Platform.SharedData;
using Microsoft.Extensions.Logging;

namespace Helpline.Workload.Pools;

/// <summary>A pool of officers sharing one position, as a grain keyed by the position id: it makes the pool's choices one at a time.</summary>
[Alias("helpline.IPoolGrain")]
public interface IPoolGrain : IGrainWithStringKey
{
    /// <summary>The member the grievance with grain key <paramref name="grievanceKey"/> goes to (the same member when asked again for it soon after).</summary>
    Task<PoolChoice> Choose(string grievanceKey);
}

/// <summary>
/// Chooses pool members by their live load (<see cref="PoolRule"/>), asking every member's officer grain at each
/// choice, so the figures are exact. Choices are made one at a time (the grain is not reentrant), and each is
/// remembered as expected with the officer until their grain holds the grievance: registrations in flight count, so
/// a burst spreads over the pool instead of piling on whoever was least loaded before it.
/// </summary>
// The grain type is part of every pool grain's id: pinned so that renaming the class changes nothing.
[GrainType("pool")]
internal sealed partial class PoolGrain(IOfficerDirectory officers, IOfficerWorkloads workloads, ISharedData sharedData, TimeProvider clock, ILogger<PoolGrain> logger)
    : Grain, IPoolGrain
{
    // A registration stores its grievance within seconds; one that failed stops being expected after this.
    private static readonly TimeSpan ExpectedFor = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Expected> _expected = new(StringComparer.Ordinal);

    public async Task<PoolChoice> Choose(string grievanceKey)
    {
        var positionId = this.GetPrimaryKeyString();
        var now = clock.GetUtcNow();
        foreach (var stale in _expected.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
        {
            _expected.Remove(stale);
        }

        var members = officers.MembersOf(positionId);
        if (members.Count == 0)
        {
            await sharedData.CatchUpAsync(CancellationToken.None); // posted on another silo a moment ago, perhaps
            members = officers.MembersOf(positionId);
        }

        if (_expected.TryGetValue(grievanceKey, out var earlier)
            && members.FirstOrDefault(m => m.Officer.Id == earlier.Choice.Officer.Id) is { OnLeave: false })
        {
            return earlier.Choice; // a retried registration keeps its member
        }

        // From the members' snapshots on this silo where they are active, otherwise from their grains: the same answer.
        var loads = await workloads.LoadsExpectingAsync(
            [.. members.Select(m => m.Officer.Id)],
            [.. members.Select(m => (IReadOnlyCollection<string>)[.. _expected.Where(e => e.Value.Choice.Officer.Id == m.Officer.Id).Select(e => e.Key)])]);
        foreach (var held in loads.SelectMany(l => l.Held))
        {
            _expected.Remove(held);
        }

        var choice = PoolRule.Choose([.. members.Select((m, i) => new PoolCandidate(m, loads[i].Open))]) is { } chosen
            ? new PoolChoice(chosen.Chosen.Member.Officer, chosen.Reason)
            : Charge(positionId, members.Count);
        _expected[grievanceKey] = new Expected(choice, now + ExpectedFor);
        LogChosen(positionId, choice.Officer.Id, choice.Reason);
        return choice;
    }

    // Every member on leave (or none posted): the officer holding the seat's charge acts for it, as for a single seat.
    private PoolChoice Charge(string positionId, int members) =>
        officers.HolderOf(positionId) is { } acting
            ? new PoolChoice(acting, members == 0 ? "nobody is posted to the pool; they act for it" : $"every one of the {members} members is on leave; they hold the charge")
            : throw new HelplineException(OfficerErrorCodes.NoRoute, $"Nobody is posted to the pool {positionId} and nobody holds its charge.");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pool {PositionId} gave a grievance to officer {OfficerId}: {Reason}")]
    private partial void LogChosen(string positionId, string officerId, string reason);

    private sealed record Expected(PoolChoice Choice, DateTimeOffset Until);
}
