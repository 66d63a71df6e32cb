using Helpline.Platform.SharedData;

namespace Helpline.Tests.Infrastructure;

/// <summary>A silo's shared-data view for tests without a database: a settable position and a count of catch-ups.</summary>
public sealed class FakeSharedData : ISharedData
{
    private int _catchUps;

    public long AppliedPosition { get; set; }

    /// <summary>The position a catch-up moves to; by default where it already is.</summary>
    public long? HeadPosition { get; set; }

    /// <summary>Runs on each catch-up, before the position moves: a test adds the "missing" data here.</summary>
    public Action? OnCatchUp { get; set; }

    public int CatchUps => Volatile.Read(ref _catchUps);

    public Task CatchUpAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _catchUps);
        OnCatchUp?.Invoke();
        if (HeadPosition is { } head && head > AppliedPosition)
        {
            AppliedPosition = head;
        }

        return Task.CompletedTask;
    }
}
