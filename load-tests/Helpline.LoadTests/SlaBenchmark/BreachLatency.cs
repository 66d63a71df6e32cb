using System.Diagnostics;
using Helpline.Grievances;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>
/// Breach latency on the running in-process host: real grievances registered through IGrievanceService, their
/// due instants passed by moving the manual clock, escalation observed in the read model. The time a grievance was
/// escalated is its row's projected_at (set by now() in the transaction that writes the escalated row, after the
/// grain stored the breach); the poll only waits for the rows to show level 2, so its own cost does not enter the
/// figures. PostgreSQL's clock offset against this process is measured and subtracted.
/// </summary>
public sealed class BreachLatency(BenchHost host, NpgsqlDataSource db, Action<string> log)
{
    public const string Method =
        "read model: projected_at (now() of the transaction writing the L2 row, after the grain saved the breach) minus the wall-clock instant the due instant passed; a poll of the rows not seen yet (every 50 ms while 1,000 or fewer are left, up to 1 s while 20,000 are) only detects completion";

    private static readonly TimeSpan TrickleStep = TimeSpan.FromMilliseconds(100);

    // The service's recurring jobs run every 5 s, 30 s, 1, 2 and 60 minutes and daily from the instant it started,
    // which on this manual clock is the instant the sets are registered: with whole-day allowances, every one of them
    // fell due at the burst's own instant. A real opening meets the 5-second count fold about one time in five and
    // the others by rare chance, so the sets are registered this far past a job's start: the fold runs in the step to
    // the due instant (fire times due - 1 s), and no other job does.
    private static readonly TimeSpan OutOfPhase = TimeSpan.FromSeconds(16);

    // The burst is measured on a process that has escalated before, as a service running through the night has:
    // calendar-day allowances fall due around the clock. The first escalations of a process pay for compiling their
    // code (the JIT compiled 461 methods in 840 ms of a 1,000 burst's 1.2 s), so a first set of this size (or the
    // burst's, if smaller), due a minute earlier, takes that cost and is reported as the first escalations.
    private const int FirstSet = 200;
    private static readonly TimeSpan FirstSetAhead = TimeSpan.FromMinutes(1);

    private readonly CpuMeter _cpu = new(db);

    private IGrievanceService Service => host.Services.GetRequiredService<IGrievanceService>();

    private IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    public async Task<BreachFigures> RunAsync(int count, TimeSpan trickleSpan, int oneOfficer)
    {
        var clock = host.Clock;
        var t0 = clock.GetUtcNow() + OutOfPhase;
        clock.SetUtcNow(t0);
        var targets = await TargetsAsync(Math.Max(count, 1));
        log($"breach: {count} grievances per measurement over {targets.Select(t => t.Jurisdiction + t.Category).Distinct().Count()} block seats, category L1 {targets[0].Days} days");

        // The first escalations of the process, due a minute before the burst (out of phase as the burst is).
        var first = new Grievance[Math.Min(FirstSet, count)];
        await Parallel.ForEachAsync(Enumerable.Range(0, first.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            first[i] = await Service.RegisterAsync(Request("first", i, targets[i]), ct));
        clock.SetUtcNow(t0 + FirstSetAhead);

        // Burst: all registered at the same instant, so all due at the same instant.
        var regLatencies = new List<TimeSpan>();
        var sw = Stopwatch.StartNew();
        var burst = new Grievance[count];
        const int concurrency = 16;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var one = Stopwatch.StartNew();
            burst[i] = await Service.RegisterAsync(Request("burst", i, targets[i]), ct);
            lock (regLatencies)
            {
                regLatencies.Add(one.Elapsed);
            }
        });
        var registration = new RegistrationFigures(count, Math.Round(sw.Elapsed.TotalSeconds, 2), concurrency, LatencyMs.From(regLatencies));
        log($"breach: registered {count} in {sw.Elapsed.TotalSeconds:0.0} s (p99 {registration.Latency.P99} ms)");

        // Trickle: registered one after another while the clock moves, so their due instants are spread over the span.
        var trickleStart = t0 + TimeSpan.FromHours(1);
        var trickle = new Grievance[count];
        for (var i = 0; i < count; i++)
        {
            clock.SetUtcNow(trickleStart + (trickleSpan * i / count));
            trickle[i] = await Service.RegisterAsync(Request("trickle", i, targets[i]), CancellationToken.None);
        }

        log($"breach: registered the trickle, due {trickle[0].DueAt:O} .. {trickle[^1].DueAt:O}");

        // One officer: all at the same seat and the same instant (as working-day calendars make happen: everything
        // registered over a weekend with the same allowance falls due at the same opening or closing time).
        clock.SetUtcNow(t0 + TimeSpan.FromHours(2));
        var single = new Grievance[oneOfficer];
        await Parallel.ForEachAsync(Enumerable.Range(0, oneOfficer), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
            single[i] = await Service.RegisterAsync(Request("one-officer", i, targets[0]), ct));

        // Past every at-risk instant first, so that only the breaches are measured afterwards.
        var all = first.Concat(burst).Concat(trickle).Concat(single).ToList();
        var atRiskUntil = all.Max(g => g.AtRiskAt ?? g.RegisteredAt) + TimeSpan.FromSeconds(1);
        if (atRiskUntil >= all.Min(g => g.DueAt!.Value))
        {
            throw new InvalidOperationException("The at-risk instants are not all before the due instants.");
        }

        var atRiskWatch = Stopwatch.StartNew();
        clock.SetUtcNow(atRiskUntil);
        await WaitForRowsAsync(all.Select(g => g.ReferenceNumber).ToArray(), "at_risk_announced", TimeSpan.FromMinutes(3));
        var atRiskSeconds = Math.Round(atRiskWatch.Elapsed.TotalSeconds, 2);
        log($"breach: {all.Count} at-risk warnings given in {atRiskSeconds:0.0} s");

        var offset = await DbClockOffsetAsync();
        log($"breach: PostgreSQL clock offset {offset.TotalMilliseconds:0.00} ms");

        var firstFigures = await AtOneInstantAsync("first escalations", first, offset);
        var burstFigures = await AtOneInstantAsync("burst", burst, offset);
        var trickleFigures = await TrickleAsync(trickle, offset);
        var singleFigures = oneOfficer > 0 ? await AtOneInstantAsync("one officer", single, offset) : null;
        return new BreachFigures(Method, Math.Round(offset.TotalMilliseconds, 2), registration, atRiskSeconds, burstFigures, trickleFigures, singleFigures, firstFigures);
    }

    /// <summary>Moves the clock just past the set's common due instant in one step; latency from that moment.</summary>
    private async Task<LatencyFigures> AtOneInstantAsync(string name, Grievance[] set, TimeSpan offset)
    {
        var clock = host.Clock;
        var due = set.Select(g => g.DueAt!.Value).Distinct().ToList();
        if (due.Count != 1)
        {
            throw new InvalidOperationException($"The {name} set's due instants differ ({due.Count} distinct): {string.Join(", ", due.Take(5))}");
        }

        clock.SetUtcNow(due[0] - TimeSpan.FromSeconds(2));
        await DeactivateAsync(set);
        var checkpointed = await CheckpointAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // let the officers' re-arming after the jump settle
        await WaitForJobsAsync(); // and for the jobs the jump made due, and the subscribers

        var refs = set.Select(g => g.ReferenceNumber).ToArray();
        log($"breach: {name}: {set.Length} due at {due[0]:O}, stepping the clock there now");
        var wal = await WalMeter.TakeAsync(db);
        var cpu = await _cpu.TakeAsync();
        var jit = (Time: System.Runtime.JitInfo.GetCompilationTime(), Methods: System.Runtime.JitInfo.GetCompiledMethodCount());
        var wall0 = DateTime.UtcNow;
        var passed = Stopwatch.StartNew();
        clock.SetUtcNow(due[0] + TimeSpan.FromMilliseconds(1));
        var setMs = passed.Elapsed.TotalMilliseconds;
        var seen = await WaitForRowsAsync(refs, "level >= 2", TimeSpan.FromMinutes(5));
        var completed = passed.Elapsed;
        var cpuFigures = await _cpu.SinceAsync(cpu);
        var jitMs = (System.Runtime.JitInfo.GetCompilationTime() - jit.Time).TotalMilliseconds;
        var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - jit.Methods;
        var walFigures = await WalMeter.SinceAsync(db, wal, checkpointed);
        var rows = await EscalatedAtAsync(refs);
        log($"breach: {name}: the JIT compiled {jitMethods:N0} methods in {jitMs:N0} ms of this process's time during it");
        var figures = new LatencyFigures(
            set.Length,
            rows.Count,
            set.Select(g => g.OfficerId).Distinct().Count(),
            Math.Round(completed.TotalSeconds, 2),
            LatencyMs.From(rows.Values.Select(at => at - offset - wall0)),
            SetUtcNowMs: Math.Round(setMs, 1),
            Cpu: cpuFigures,
            Wal: walFigures,
            Jit: new JitFigures(jitMethods, Math.Round(jitMs)));
        log($"breach: {name} {rows.Count}/{set.Length} escalated (poll saw {seen}), p50 {figures.LatencyMs.P50} p99 {figures.LatencyMs.P99} ms, all seen in {completed.TotalSeconds:0.00} s{WalMeter.Describe(walFigures)}");
        return figures;
    }

    /// <summary>The clock follows real time in 100 ms steps across the set's due instants; latency from each one's real-time equivalent.</summary>
    private async Task<LatencyFigures> TrickleAsync(Grievance[] trickle, TimeSpan offset)
    {
        var clock = host.Clock;
        var trickleDue = trickle.ToDictionary(g => g.ReferenceNumber, g => g.DueAt!.Value);
        var fakeStart = trickleDue.Values.Min() - TimeSpan.FromMilliseconds(500);
        var fakeEnd = trickleDue.Values.Max() + TrickleStep;
        clock.SetUtcNow(fakeStart - TimeSpan.FromSeconds(1));
        await DeactivateAsync(trickle);
        var checkpointed = await CheckpointAsync();
        clock.SetUtcNow(fakeStart);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var wal = await WalMeter.TakeAsync(db);
        var cpu = await _cpu.TakeAsync();
        var wallStart = DateTime.UtcNow;
        var run = Stopwatch.StartNew();
        var maxLate = TimeSpan.Zero;
        using (var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(10)))
        {
            long k = 0;
            while (fakeStart + (TrickleStep * k) <= fakeEnd)
            {
                await ticker.WaitForNextTickAsync();
                var next = TrickleStep * (k + 1);
                if (run.Elapsed < next)
                {
                    continue;
                }

                var late = run.Elapsed - next;
                maxLate = late > maxLate ? late : maxLate;
                k = (long)(run.Elapsed / TrickleStep);
                clock.SetUtcNow(fakeStart + (TrickleStep * k));
            }
        }

        var refs = trickleDue.Keys.ToArray();
        var seen = await WaitForRowsAsync(refs, "level >= 2", TimeSpan.FromMinutes(5));
        var cpuFigures = await _cpu.SinceAsync(cpu);
        var walFigures = await WalMeter.SinceAsync(db, wal, checkpointed);
        var rows = await EscalatedAtAsync(refs);
        var figures = new LatencyFigures(
            trickle.Length,
            rows.Count,
            trickle.Select(g => g.OfficerId).Distinct().Count(),
            Math.Round(run.Elapsed.TotalSeconds, 2),
            LatencyMs.From(rows.Select(r => r.Value - offset - (wallStart + (trickleDue[r.Key] - fakeStart)))),
            ClockStepMaxLateMs: Math.Round(maxLate.TotalMilliseconds, 1),
            Cpu: cpuFigures,
            Wal: walFigures);
        log($"breach: trickle {rows.Count}/{trickle.Length} escalated (poll saw {seen}), p50 {figures.LatencyMs.P50} p99 {figures.LatencyMs.P99} ms, steps late by at most {maxLate.TotalMilliseconds:0} ms{WalMeter.Describe(walFigures)}");
        return figures;
    }

    // A real office's at-risk warnings come hours before the due instant, with checkpoints between. Here they came a
    // minute before, so many pages the escalations change were already in the WAL since the last checkpoint: a 20,000
    // burst wrote 8,626 full pages without this checkpoint and about 16,300 after it.
    private async Task<bool> CheckpointAsync()
    {
        try
        {
            await using var cmd = db.CreateCommand("checkpoint");
            await cmd.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            log("breach: no checkpoint before the set (it needs a superuser or pg_checkpoint): it writes fewer full pages than a real due instant");
            return false;
        }
    }

    private static RegisterGrievance Request(string kind, int i, Target t) => new(
        $"sla-bench-{kind}-{i}",
        GrievanceKind.Complaint,
        new Complainant("Bench Caller", "9415012345"),
        t.Jurisdiction,
        t.Category,
        $"SLA benchmark ({kind} {i}): hand pump not repaired",
        Channel.Phone,
        "agent-bench");

    private sealed record Target(string Jurisdiction, string Category, int Days);

    /// <summary>
    /// (block, category) pairs over the block-level categories with the shortest L1 allowance, each pair a different
    /// seat (department × block), so consecutive grievances go to different officers.
    /// </summary>
    private async Task<List<Target>> TargetsAsync(int count)
    {
        var categories = new List<(string Id, int Days)>();
        await using (var cmd = db.CreateCommand("""
            select id, sla_l1_days from catalogue.categories
            where resolution_level = 'Block' and retired_at is null
              and sla_l1_days = (select min(sla_l1_days) from catalogue.categories where resolution_level = 'Block' and retired_at is null)
            order by id
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                categories.Add((reader.GetString(0), reader.GetInt32(1)));
            }
        }

        var blocks = new List<string>();
        await using (var cmd = db.CreateCommand("select id from jurisdictions.jurisdiction where kind = 'Block' order by id"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                blocks.Add(reader.GetString(0));
            }
        }

        return Enumerable.Range(0, count)
            .Select(i => (Block: blocks[i / categories.Count % blocks.Count], Category: categories[i % categories.Count]))
            .Select(p => new Target(p.Block, p.Category.Id, p.Category.Days))
            .ToList();
    }

    /// <summary>
    /// Waits until no recurring job is running and every event subscriber has caught up with the event log: the clock's
    /// jump to just before a set's due instant makes every job due that a real clock would have run over those hours,
    /// and the subscribers may still be working through the at-risk warnings given a few seconds before (a real
    /// office's came hours before). Neither must run in the measured step.
    /// </summary>
    private async Task WaitForJobsAsync()
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(2))
        {
            await using var cmd = db.CreateCommand(
                """
                select nullif(concat_ws(', ',
                    (select string_agg(trigger_name, ', ') from quartz.qrtz_fired_triggers where state = 'EXECUTING'),
                    (select string_agg(subscriber, ', ') from events.event_subscription where position < (select last_position from events.log_head))), '')
                """);
            if (await cmd.ExecuteScalarAsync() is not string running)
            {
                return;
            }

            var before = watch.Elapsed;
            await Task.Delay(100);
            if ((int)(watch.Elapsed.TotalSeconds / 10) > (int)(before.TotalSeconds / 10))
            {
                log($"breach: still waiting for recurring jobs and event subscribers: {running}");
            }
        }

        log("breach: measuring although recurring jobs or event subscribers were still busy after 2 minutes");
    }

    /// <summary>
    /// Deactivates the grievance grains, as they would be days after registration (idle activations are collected),
    /// so that the escalation includes activating the grievance and reading its state, as in production.
    /// </summary>
    private async Task DeactivateAsync(IReadOnlyList<Grievance> grievances)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        var ids = grievances.Select(g => Grains.GetGrain<IGrievanceGrain>(GrievanceKeys.ForRequest(g.Request.ClientRequestId)).GetGrainId()).ToHashSet();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) => await management.DeactivateGrain(id, ct));
        var type = ids.First().Type;
        var still = 0;
        for (var i = 0; i < 50; i++)
        {
            still = (await management.GetActiveGrains(type)).Count(ids.Contains);
            if (still == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        log($"breach: {still} of {ids.Count} grievance grains still active after deactivation");
    }

    // The poll only detects completion (latencies come from projected_at), so it must not take the CPU the escalations
    // need: it asks only for rows not seen yet, and less often the more are left (so the last few are still seen within
    // 50 ms). Asking for all 20,000 of a burst every 50 ms took 10 s of statement time in PostgreSQL, whose CPU over
    // that burst was 24 s.
    private async Task<int> WaitForRowsAsync(string[] references, string condition, TimeSpan timeout)
    {
        var remaining = new HashSet<string>(references, StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            await using (var cmd = db.CreateCommand($"select reference_number from grievances.grievance where reference_number = any($1) and {condition}"))
            {
                cmd.Parameters.AddWithValue(remaining.ToArray());
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    remaining.Remove(reader.GetString(0));
                }
            }

            if (remaining.Count == 0)
            {
                return references.Length;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(remaining.Count / 20.0, 50, 1000)));
        }

        log($"breach: timed out with {references.Length - remaining.Count}/{references.Length} rows where {condition}");
        return references.Length - remaining.Count;
    }

    private async Task<Dictionary<string, DateTime>> EscalatedAtAsync(string[] references)
    {
        await using var cmd = db.CreateCommand("select reference_number, projected_at from grievances.grievance where reference_number = any($1) and level >= 2");
        cmd.Parameters.AddWithValue(references);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetFieldValue<DateTime>(1);
        }

        return rows;
    }

    /// <summary>PostgreSQL's clock_timestamp() minus the local clock at the midpoint of the round trip, from the fastest of 20 tries.</summary>
    private async Task<TimeSpan> DbClockOffsetAsync()
    {
        var best = (Rtt: TimeSpan.MaxValue, Offset: TimeSpan.Zero);
        await using var conn = await db.OpenConnectionAsync();
        for (var i = 0; i < 20; i++)
        {
            await using var cmd = new NpgsqlCommand("select clock_timestamp()", conn);
            var before = DateTime.UtcNow;
            var server = (DateTime)(await cmd.ExecuteScalarAsync())!;
            var after = DateTime.UtcNow;
            var rtt = after - before;
            if (rtt < best.Rtt)
            {
                best = (rtt, server.ToUniversalTime() - (before + (rtt / 2)));
            }
        }

        return best.Offset;
    }
}
