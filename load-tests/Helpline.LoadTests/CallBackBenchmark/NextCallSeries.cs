using System.Diagnostics;
using Helpline.CallBacks;
using Helpline.CallBacks.Queue;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.LoadTests.WorkloadBenchmark;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.LoadTests.CallBackBenchmark;

/// <summary>Latencies of one kind of call, and the CPU per call of this process, PostgreSQL and the whole machine (ms).</summary>
internal sealed record CallFigures(string Name, Percentiles Latency, double HostCpuMs, double? PostgresCpuMs, double? MachineBusyMs)
{
    public static CallFigures Of(string name, HdrHistogram.LongHistogram h, CpuFigures cpu)
    {
        double PerCall(double seconds) => h.TotalCount == 0 ? double.NaN : seconds * 1000 / h.TotalCount;
        return new CallFigures(name, Percentiles.Of(h), PerCall(cpu.HostSeconds), cpu.PostgresSeconds is { } pg ? PerCall(pg) : null, cpu.MachineBusySeconds is { } m ? PerCall(m) : null);
    }
}

/// <summary>Series C: many agents at once, spread over the campaigns and all in one; the one-agent references.</summary>
internal sealed record NextCallFigures(
    int Agents, int Campaigns, int Rounds, CallFigures Spread, CallFigures OneCampaign, Percentiles SpreadRoundMs, Percentiles OneCampaignRoundMs, CallFigures Alone, CallFigures Bare,
    IReadOnlyList<AnatomyRun> Anatomy);

/// <summary>
/// Agents asking <see cref="CallBackQueue.NextAsync"/> at once: every agent's call is started before any is let go
/// (one gate), each call timed from its own start to its answer. Every round checks that every agent got a call-back
/// of its campaign and that no two got the same one, in the answers and in the table; leases are released between
/// rounds. Each measured round also times a slice of the references, so a machine getting busier shows in both.
/// </summary>
internal static class NextCallSeries
{
    // The smallest hand-out transaction: one agent, one row, the queue's own order and filter.
    private const string BareSelect = """
        select c.id from callbacks.call_back c
        where c.campaign_id = $1 and c.state = 'pending' and c.callable_from <= $2
          and not exists (select 1 from callbacks.lease l where l.call_back_id = c.id and l.lease_until > $2)
        order by c.due_at, c.id
        limit 1
        """;

    private const string BareUpdate = """
        insert into callbacks.lease (call_back_id, agent_id, campaign_id, leased_at, lease_until) values ($1, $2, 'bare', $3, $4)
        on conflict (call_back_id) do update set agent_id = excluded.agent_id, leased_at = excluded.leased_at, lease_until = excluded.lease_until
        """;

    public static async Task<NextCallFigures> RunAsync(NpgsqlDataSource db, CallBackBenchArguments a, DateTimeOffset now, Action<string> log)
    {
        var campaigns = new List<string>();
        await using (var cmd = db.CreateCommand("select id from callbacks.campaign order by id"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                campaigns.Add(reader.GetString(0));
            }
        }

        var settings = new CallBackOptions();
        var queue = new CallBackQueue(db, Options.Create(settings), new ManualClock(now), NullLogger<CallBackQueue>.Instance);
        await queue.StartAsync(CancellationToken.None);
        try
        {
            // About a thirteenth of a thousand agents per district campaign, as a call centre would seat them; and all in one.
            var spread = Enumerable.Range(0, a.Agents).Select(k => (Agent: $"bench-agent-{k:D5}", Campaign: campaigns[k % campaigns.Count])).ToArray();
            var single = spread.Select(s => (s.Agent, Campaign: campaigns[0])).ToArray();
            var perRound = (a.Alone + a.Rounds - 1) / a.Rounds;
            var cpu = new CpuMeter(db);
            var h = new Dictionary<string, HdrHistogram.LongHistogram>
            {
                ["spread"] = Percentiles.NewHistogram(), ["one"] = Percentiles.NewHistogram(), ["spreadRound"] = Percentiles.NewHistogram(),
                ["oneRound"] = Percentiles.NewHistogram(), ["alone"] = Percentiles.NewHistogram(), ["bare"] = Percentiles.NewHistogram(),
            };
            var used = h.Keys.ToDictionary(k => k, _ => new CpuFigures(0, 0, 0, 0));
            var anatomy = new List<AnatomyRun>();
            for (var round = -a.Warmup; round < a.Rounds; round++)
            {
                var measured = round >= 0;
                var batches0 = queue.BatchesServed;
                await MeasureAsync(cpu, used, "spread", measured, () => AtOnceAsync(queue, spread, measured ? h["spread"] : null, measured ? h["spreadRound"] : null));
                var spreadBatches = queue.BatchesServed - batches0;
                await CheckHeldAsync(db, spread.Length);
                await CallBackSeeder.ReleaseLeasesAsync(db);
                batches0 = queue.BatchesServed;
                await MeasureAsync(cpu, used, "one", measured, () => AtOnceAsync(queue, single, measured ? h["one"] : null, measured ? h["oneRound"] : null));
                var oneBatches = queue.BatchesServed - batches0;
                await CheckHeldAsync(db, single.Length);
                await CallBackSeeder.ReleaseLeasesAsync(db);
                await MeasureAsync(cpu, used, "alone", measured, () => AloneAsync(queue, campaigns, perRound, measured ? h["alone"] : null));
                await CallBackSeeder.ReleaseLeasesAsync(db);
                await MeasureAsync(cpu, used, "bare", measured, () => BareAsync(db, campaigns, perRound, now, settings.Lease, measured ? h["bare"] : null));
                await CallBackSeeder.ReleaseLeasesAsync(db);
                if (measured)
                {
                    anatomy.Add(await QueueAnatomy.RunAsync(db, spread, now, settings.Lease));
                    await CallBackSeeder.ReleaseLeasesAsync(db);
                }
                if (measured)
                {
                    log($"next call round {round + 1} of {a.Rounds}: {a.Agents} agents at once over {campaigns.Count} campaigns p99 {h["spread"].GetValueAtPercentile(99) / 1000.0:0.0} ms so far, in one campaign {h["one"].GetValueAtPercentile(99) / 1000.0:0.0} ms; alone p99 {h["alone"].GetValueAtPercentile(99) / 1000.0:0.00} ms; the queue's transactions this round: spread {spreadBatches}, one campaign {oneBatches}");
                }
                else
                {
                    log($"next call warm-up round {round + a.Warmup + 1} of {a.Warmup} done");
                }
            }

            return new NextCallFigures(
                a.Agents, campaigns.Count, a.Rounds,
                CallFigures.Of("spread", h["spread"], used["spread"]), CallFigures.Of("one", h["one"], used["one"]),
                Percentiles.Of(h["spreadRound"]), Percentiles.Of(h["oneRound"]),
                CallFigures.Of("alone", h["alone"], used["alone"]), CallFigures.Of("bare", h["bare"], used["bare"]), anatomy);
        }
        finally
        {
            await queue.StopAsync(CancellationToken.None);
            queue.Dispose();
        }
    }

    private static async Task MeasureAsync(CpuMeter cpu, Dictionary<string, CpuFigures> used, string key, bool measured, Func<Task> work)
    {
        var before = await cpu.TakeAsync();
        await work();
        if (measured)
        {
            var c = await cpu.SinceAsync(before);
            var u = used[key];
            used[key] = new CpuFigures(u.WallSeconds + c.WallSeconds, u.HostSeconds + c.HostSeconds, u.PostgresSeconds + c.PostgresSeconds, u.MachineBusySeconds + c.MachineBusySeconds);
        }
    }

    // One round: every agent asks at once; checks the answers (the caller checks the table and releases the leases,
    // outside the CPU measured).
    private static async Task AtOnceAsync(CallBackQueue queue, (string Agent, string Campaign)[] agents, HdrHistogram.LongHistogram? calls, HdrHistogram.LongHistogram? rounds)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<(NextCall Answer, long Micros)> Ask((string Agent, string Campaign) who)
        {
            await gate.Task;
            var t0 = Stopwatch.GetTimestamp();
            var answer = await queue.NextAsync(who.Agent, who.Campaign, CancellationToken.None);
            return (answer, (long)Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
        }

        var asks = agents.Select(Ask).ToArray(); // every call waits at the gate before any goes
        var start = Stopwatch.GetTimestamp();
        gate.SetResult();
        var answers = await Task.WhenAll(asks);
        rounds?.RecordValue((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        var ids = new HashSet<Guid>();
        for (var i = 0; i < agents.Length; i++)
        {
            var (answer, micros) = answers[i];
            if (answer.CallBack is not { } cb)
            {
                throw new InvalidOperationException($"Agent {agents[i].Agent} in {agents[i].Campaign} got no call-back ({answer.Reason}) among {agents.Length} agents asking at once.");
            }

            if (cb.CampaignId != agents[i].Campaign || cb.LeasedTo != agents[i].Agent || !ids.Add(cb.Id))
            {
                throw new InvalidOperationException($"Agent {agents[i].Agent} in {agents[i].Campaign} got call-back {cb.Id} of {cb.CampaignId}, leased to {cb.LeasedTo}: another agent's, or another campaign's.");
            }

            calls?.RecordValue(micros);
        }
    }

    // Reference: one agent asking with nobody else asking, through the same queue; each agent a new one.
    private static async Task AloneAsync(CallBackQueue queue, List<string> campaigns, int n, HdrHistogram.LongHistogram? calls)
    {
        for (var k = 0; k < n; k++)
        {
            var campaign = campaigns[k % campaigns.Count];
            var t0 = Stopwatch.GetTimestamp();
            var answer = await queue.NextAsync($"bench-alone-{k:D5}", campaign, CancellationToken.None);
            var micros = (long)Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            if (answer.CallBack?.CampaignId != campaign)
            {
                throw new InvalidOperationException($"One agent asking alone in {campaign} got {answer.CallBack?.Id.ToString() ?? answer.Reason.ToString()}.");
            }

            calls?.RecordValue(micros);
        }
    }

    // Reference: the bare minimum by hand, one row read and its lease written, one transaction, concurrency 1.
    private static async Task BareAsync(NpgsqlDataSource db, List<string> campaigns, int n, DateTimeOffset now, TimeSpan lease, HdrHistogram.LongHistogram? calls)
    {
        for (var k = 0; k < n; k++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await using (var connection = await db.OpenConnectionAsync())
            await using (var tx = await connection.BeginTransactionAsync())
            {
                Guid id;
                await using (var select = new NpgsqlCommand(BareSelect, connection, tx))
                {
                    select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = campaigns[k % campaigns.Count] });
                    select.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
                    id = await select.ExecuteScalarAsync() is Guid g ? g : throw new InvalidOperationException($"The bare transaction found no call-back in {campaigns[k % campaigns.Count]}.");
                }

                await using (var update = new NpgsqlCommand(BareUpdate, connection, tx))
                {
                    update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
                    update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"bench-bare-{k:D5}" });
                    update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
                    update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now + lease });
                    await update.ExecuteNonQueryAsync();
                }

                await tx.CommitAsync();
            }

            calls?.RecordValue((long)Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
        }
    }

    private static async Task CheckHeldAsync(NpgsqlDataSource db, int agents)
    {
        await using var cmd = db.CreateCommand("select count(*), count(distinct agent_id) from callbacks.lease");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (held, holders) = (reader.GetInt64(0), reader.GetInt64(1));
        if (held != agents || holders != agents)
        {
            throw new InvalidOperationException($"After {agents} agents asked at once the table shows {held} call-backs leased to {holders} agents.");
        }
    }
}
