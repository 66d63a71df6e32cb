namespace Helpline.Officers.Workload;

/// <summary>
/// Bounds the SLA calls (due dates passed, at-risk warnings) that all the officer grains of this silo make at once.
/// Overnight registrations start their clocks at the next office opening, so tens of thousands fall due at one
/// instant; told all at once, they queued for the database connections, and the calls that waited past the pool's
/// timeout failed and were retried seconds later (a burst of 20,000 measured 17,278 pool timeouts and 442 still not
/// escalated after 5 minutes). Waiting here costs nothing and fails nothing: a call starts when a slot is free, and
/// its own timeout (<see cref="FiringPolicy.CallTimeout"/>) runs from then.
/// </summary>
internal sealed class FiringGate : IDisposable
{
    /// <summary>Calls in flight at once on this silo: enough to keep both the cores and the database busy.</summary>
    public const int Capacity = 32;

    private readonly SemaphoreSlim _slots = new(Capacity, Capacity);

    /// <summary>Runs <paramref name="call"/> when a slot is free, and frees the slot when it ends, however it ends.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        await _slots.WaitAsync();
        try
        {
            return await call();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
