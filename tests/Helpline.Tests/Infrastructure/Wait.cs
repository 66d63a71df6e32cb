namespace Helpline.Tests.Infrastructure;

/// <summary>
/// Waiting, bounded by real time, for an effect that happens on its own schedule: a grain timer the fake clock
/// released, a projection, a restarted service process. The bound is generous: it is reached only when the effect never comes.
/// </summary>
public static class Wait
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    /// <summary>Calls <paramref name="probe"/> until <paramref name="done"/> holds for its value, and returns that value.</summary>
    /// <exception cref="TimeoutException">The bound passed; the message names <paramref name="what"/> and the last value.</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(Poll, TestContext.Current.CancellationToken);
        }
    }
}
