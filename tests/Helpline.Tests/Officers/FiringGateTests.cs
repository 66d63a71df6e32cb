using Helpline.Officers.Workload;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Officers;

/// <summary>The silo-wide bound on SLA calls: never more than its capacity at once, and a slot comes back however a call ends.</summary>
public sealed class FiringGateTests
{
    [Fact]
    public async Task No_more_than_the_capacity_run_at_once_and_the_rest_start_as_slots_free()
    {
        using var gate = new FiringGate();
        var running = 0;
        var most = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, FiringGate.Capacity * 3).Select(i => gate.RunAsync(async () =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await release.Task;
            Interlocked.Decrement(ref running);
            return i;
        })).ToList();

        await Wait.UntilAsync(() => Task.FromResult(Volatile.Read(ref running)), n => n == FiringGate.Capacity, "the gate to fill");
        Assert.Equal(FiringGate.Capacity, Volatile.Read(ref most));
        Assert.DoesNotContain(calls, c => c.IsCompleted);

        release.SetResult();
        Assert.Equal(Enumerable.Range(0, FiringGate.Capacity * 3), await Task.WhenAll(calls));
        Assert.Equal(FiringGate.Capacity, most);
    }

    [Fact]
    public async Task A_failed_call_frees_its_slot()
    {
        using var gate = new FiringGate();
        for (var i = 0; i < FiringGate.Capacity + 1; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => gate.RunAsync<bool>(() => throw new InvalidOperationException("unreachable grain")));
        }

        Assert.True(await gate.RunAsync(() => Task.FromResult(true)));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
