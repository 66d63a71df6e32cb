namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>
/// A settable clock for the in-process host, with the semantics of Microsoft.Extensions.Time.Testing's
/// FakeTimeProvider (which the test host uses; this project does not reference that package): time stands still
/// until <see cref="SetUtcNow"/> moves it forward; timers whose wake-up instant has been reached are invoked on the
/// thread that moved the clock (or created the timer, for a due time of zero), earliest first; timestamps follow the
/// clock. Waiting timers sit in a priority queue, so moving the clock past thousands of officer timers costs
/// O(log n) each, not a scan of every timer.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<Entry, (long Ticks, long Seq)> _queue = new();
    private long _nowTicks;
    private long _seq;
    private int _waking;

    public ManualClock(DateTimeOffset start) => _nowTicks = start.UtcTicks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers waiting (including entries of timers since changed or disposed, dropped lazily).</summary>
    public int QueuedTimers
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => new(Volatile.Read(ref _nowTicks), TimeSpan.Zero);

    public override long GetTimestamp() => Volatile.Read(ref _nowTicks);

    /// <summary>Moves the clock to <paramref name="value"/> and runs every timer due by then, earliest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The clock would go backwards.</exception>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_gate)
        {
            if (value.UtcTicks < _nowTicks)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The clock cannot go back from {GetUtcNow():O}.");
            }

            Volatile.Write(ref _nowTicks, value.UtcTicks);
        }

        Wake();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            timer.Version++;
            timer.Period = period;
            if (dueTime == Timeout.InfiniteTimeSpan || timer.Disposed)
            {
                return;
            }

            _queue.Enqueue(new Entry(timer, timer.Version), (_nowTicks + Math.Max(0, dueTime.Ticks), _seq++));
        }

        Wake();
    }

    private void Cancel(ManualTimer timer)
    {
        lock (_gate)
        {
            timer.Version++;
            timer.Disposed = true;
        }
    }

    // One thread at a time invokes callbacks (as FakeTimeProvider does); another thread that finds the gate taken
    // leaves its due timers to that thread, which re-checks the queue before it lets go of the gate.
    private void Wake()
    {
        while (Interlocked.CompareExchange(ref _waking, 1, 0) == 0)
        {
            try
            {
                while (TakeDue() is { } due)
                {
                    due.Timer.Callback(due.Timer.State);
                    lock (_gate)
                    {
                        var p = due.Timer.Period;
                        if (due.Timer.Version == due.Version && !due.Timer.Disposed && p != Timeout.InfiniteTimeSpan && p > TimeSpan.Zero)
                        {
                            _queue.Enqueue(due, (due.WakeTicks + p.Ticks, _seq++));
                        }
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _waking, 0);
            }

            lock (_gate)
            {
                if (!HasDueLocked())
                {
                    return;
                }
            }
        }
    }

    private Entry? TakeDue()
    {
        lock (_gate)
        {
            while (_queue.TryPeek(out var entry, out var key))
            {
                if (entry.Version != entry.Timer.Version || entry.Timer.Disposed)
                {
                    _queue.Dequeue();
                    continue;
                }

                if (key.Ticks > _nowTicks)
                {
                    return null;
                }

                _queue.Dequeue();
                return entry with { WakeTicks = key.Ticks };
            }

            return null;
        }
    }

    private bool HasDueLocked()
    {
        while (_queue.TryPeek(out var entry, out var key))
        {
            if (entry.Version != entry.Timer.Version || entry.Timer.Disposed)
            {
                _queue.Dequeue();
                continue;
            }

            return key.Ticks <= _nowTicks;
        }

        return false;
    }

    private sealed record Entry(ManualTimer Timer, long Version)
    {
        public long WakeTicks { get; init; }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        // Guarded by the clock's gate.
        public long Version { get; set; }

        public TimeSpan Period { get; set; }

        public bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Disposed)
            {
                return false;
            }

            clock.Schedule(this, dueTime, period);
            return true;
        }

        public void Dispose() => clock.Cancel(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
