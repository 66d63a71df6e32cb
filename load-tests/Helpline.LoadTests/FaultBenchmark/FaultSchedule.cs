namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>
/// A fault as it happened: a silo killed (from the SIGKILL until the restarted silo answered /health = 200), or a
/// PostgreSQL restart (from the pg_ctl call until pg_ctl said the server was up again).
/// </summary>
internal sealed record FaultEvent(string Kind, int? Silo, DateTimeOffset Start, DateTimeOffset? End, string? Error = null)
{
    public const string Kill = "kill -9";
    public const string PgRestart = "PostgreSQL restart";

    public bool Covers(DateTimeOffset t) => t >= Start && t <= (End ?? DateTimeOffset.MaxValue);
}

/// <summary>
/// Kills one silo every interval (silo 1, 2, ... in turn), starts it again after the restart delay on the same
/// ports, and restarts PostgreSQL the given number of times, half-way between two kills, so each fault is measured
/// on its own.
/// </summary>
internal sealed class FaultSchedule(SiloFleet fleet, PgControl? pg, FaultBenchArguments a, Action<string> log)
{
    private readonly List<FaultEvent> _events = [];

    public IReadOnlyList<FaultEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events.OrderBy(e => e.Start)];
            }
        }
    }

    /// <summary>Kill instants, as offsets from the run's start.</summary>
    public static IReadOnlyList<TimeSpan> KillTimes(FaultBenchArguments a)
    {
        var kills = new List<TimeSpan>();
        for (var k = 1; a.KillIntervalSeconds > 0 && k * a.KillIntervalSeconds < a.DurationSeconds; k++)
        {
            kills.Add(TimeSpan.FromSeconds(k * a.KillIntervalSeconds));
        }

        return kills;
    }

    /// <summary>PostgreSQL restart instants: half-way between kills, spread evenly; without enough gaps, spread over the run.</summary>
    public static IReadOnlyList<TimeSpan> PgRestartTimes(FaultBenchArguments a)
    {
        var kills = KillTimes(a);
        var gaps = kills.Zip(kills.Skip(1), (x, y) => (x + y) / 2).ToList();
        if (a.PgRestarts == 0)
        {
            return [];
        }

        if (gaps.Count >= a.PgRestarts)
        {
            return Enumerable.Range(0, a.PgRestarts)
                .Select(j => gaps[(int)Math.Round(((j + 0.5) * gaps.Count / a.PgRestarts) - 0.5, MidpointRounding.AwayFromZero)])
                .ToList();
        }

        return Enumerable.Range(1, a.PgRestarts).Select(j => TimeSpan.FromSeconds(a.DurationSeconds * j / (double)(a.PgRestarts + 1))).ToList();
    }

    public async Task RunAsync(DateTimeOffset runStart)
    {
        await Task.WhenAll(KillsAsync(runStart), PgRestartsAsync(runStart));
    }

    private async Task KillsAsync(DateTimeOffset runStart)
    {
        var k = 0;
        foreach (var at in KillTimes(a))
        {
            // Kills are one after another: a restart slower than the interval delays the next kill, never past the run.
            if (DateTimeOffset.UtcNow > runStart + TimeSpan.FromSeconds(a.DurationSeconds))
            {
                log("kill: the run is over (the restarts took longer than the interval); no more kills");
                break;
            }

            await DelayUntil(runStart + at);
            var victim = Enumerable.Range(0, fleet.Count).Select(i => (k + i) % fleet.Count).FirstOrDefault(fleet.IsUp, -1);
            k++;
            if (victim < 0)
            {
                log("kill: no silo is up; skipped");
                continue;
            }

            var start = DateTimeOffset.UtcNow;
            await fleet.KillAsync(victim);
            log($"kill: silo {victim + 1} killed with SIGKILL; starting it again in {a.RestartDelaySeconds} s");
            Add(new FaultEvent(FaultEvent.Kill, victim + 1, start, null));
            await Task.Delay(TimeSpan.FromSeconds(a.RestartDelaySeconds));
            try
            {
                var healthy = await fleet.StartAsync(victim);
                Replace(FaultEvent.Kill, start, e => e with { End = healthy });
                log($"kill: silo {victim + 1} healthy again {(healthy - start).TotalSeconds:0.0} s after the kill");
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                Replace(FaultEvent.Kill, start, e => e with { Error = ex.Message.Split('\n')[0] });
                log($"kill: silo {victim + 1} did not come back: {ex.Message.Split('\n')[0]}");
            }
        }
    }

    private async Task PgRestartsAsync(DateTimeOffset runStart)
    {
        if (pg is null)
        {
            return;
        }

        foreach (var at in PgRestartTimes(a))
        {
            await DelayUntil(runStart + at);
            var start = DateTimeOffset.UtcNow;
            Add(new FaultEvent(FaultEvent.PgRestart, null, start, null));
            log(a.PgDownSeconds > 0 ? $"pg: stopping PostgreSQL for {a.PgDownSeconds} s" : "pg: restarting PostgreSQL (pg_ctl restart -m fast)");
            try
            {
                await pg.RestartAsync(TimeSpan.FromSeconds(a.PgDownSeconds));
                var end = DateTimeOffset.UtcNow;
                Replace(FaultEvent.PgRestart, start, e => e with { End = end });
                log($"pg: PostgreSQL up again after {(end - start).TotalSeconds:0.0} s");
            }
            catch (InvalidOperationException ex)
            {
                Replace(FaultEvent.PgRestart, start, e => e with { End = DateTimeOffset.UtcNow, Error = ex.Message });
                log($"pg: {ex.Message}");
            }
        }
    }

    private void Add(FaultEvent e)
    {
        lock (_events)
        {
            _events.Add(e);
        }
    }

    private void Replace(string kind, DateTimeOffset start, Func<FaultEvent, FaultEvent> change)
    {
        lock (_events)
        {
            var i = _events.FindIndex(e => e.Kind == kind && e.Start == start);
            _events[i] = change(_events[i]);
        }
    }

    private static async Task DelayUntil(DateTimeOffset at)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}
