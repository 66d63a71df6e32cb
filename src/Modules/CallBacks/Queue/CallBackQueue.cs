using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Helpline.CallBacks.Domain;
using Helpline.Platform.Errors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.CallBacks.Queue;

/// <summary>
/// Hands call-backs to agents: the oldest due call-back of the campaign that nobody holds, never one the same agent
/// registered, only in calling hours, under a lease. An agent who asks again while holding a call gets that call.
/// Each silo serves every request waiting at a moment in one transaction, under the locks of the campaigns asked for
/// (<see cref="CampaignLocks"/>): what it reads of those campaigns stays true until it commits, whichever silo serves
/// the same campaign next, so a thousand agents asking at once cost two round trips and a commit, and no call-back row
/// is written or locked. A lease is a row keyed by the call-back.
/// </summary>
internal sealed partial class CallBackQueue(NpgsqlDataSource dataSource, IOptions<CallBackOptions> options, TimeProvider clock, ILogger<CallBackQueue> logger)
    : BackgroundService
{
    // At most this many requests are served in one transaction; the rest wait for the next.
    private const int MaxBatch = 2_000;

    // The longest a batch waits for requests still being started before it is served.
    private static readonly TimeSpan MaxGather = TimeSpan.FromMilliseconds(1);

    // Candidates read beyond one per agent, for agents who may not take some (those they registered): one in this
    // many more, and at least two. Agents rarely meet their own registrations among the oldest due, and a batch short
    // of candidates reads more in the same transaction.
    private const int SlackShare = 16;

    // Transactions waiting for campaigns another transaction held at the moment, one per campaign, served side by side
    // with the rest: a campaign held for long (a silo frozen mid-batch) delays its own agents, not everyone's.
    private const int MaxContended = 8;

    // How long a request for a held campaign waits in all, for a place among those and for the lock.
    private static readonly TimeSpan ApartWait = TimeSpan.FromSeconds(5);

    private readonly Channel<Ask> _asks = Channel.CreateUnbounded<Ask>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _contended = new(MaxContended);
    private readonly Dictionary<string, List<(Ask Ask, long Since)>> _apart = new(StringComparer.Ordinal);
    private long _batches;
    private CancellationToken _stopping;

    /// <summary>Transactions served so far (how requests arriving together were grouped: a benchmark's diagnostic).</summary>
    internal long BatchesServed => Interlocked.Read(ref _batches);

    /// <summary>The agent's next call in <paramref name="campaignId"/>, or why there is none.</summary>
    /// <exception cref="HelplineException">UNKNOWN_CAMPAIGN; CALL_BACK_QUEUE_UNAVAILABLE (retry: a retry returns the call handed out, if one was).</exception>
    public async Task<NextCall> NextAsync(string agentId, string campaignId, CancellationToken cancellationToken)
    {
        var ask = new Ask(agentId, campaignId, new TaskCompletionSource<NextCall>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_asks.Writer.TryWrite(ask))
        {
            throw Unavailable(null);
        }

        return await ask.Answer.Task.WaitAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _contended.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var batch = new List<Ask>();
        try
        {
            while (await _asks.Reader.WaitToReadAsync(stoppingToken))
            {
                // Requests started together (a shift's agents at the same minute) are queued on the thread pool behind
                // the first, some in other threads' queues: let them write their asks, turn after turn while more come
                // or the pool still has work queued, so they share this batch instead of waiting for the next one. It
                // costs turns of the thread pool, never more than MaxGather, and one turn when one agent asks alone.
                batch.Clear();
                var started = Stopwatch.GetTimestamp();
                do
                {
                    await Task.Yield();
                }
                while (batch.Count < MaxBatch
                       && (Drain(batch) > 0 || ThreadPool.PendingWorkItemCount > 0)
                       && Stopwatch.GetElapsedTime(started) < MaxGather);

                try
                {
                    Interlocked.Increment(ref _batches);
                    await ServeAsync(batch, waitFor: null, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogBatchFailed(ex, batch.Count);
                    foreach (var ask in batch)
                    {
                        ask.Answer.TrySetException(ex is HelplineException ? ex : Unavailable(ex));
                    }
                }
            }
        }
        finally
        {
            _asks.Writer.TryComplete();
            while (_asks.Reader.TryRead(out var ask))
            {
                ask.Answer.TrySetException(Unavailable(null));
            }

            foreach (var ask in batch)
            {
                ask.Answer.TrySetException(Unavailable(null));
            }
        }
    }

    private int Drain(List<Ask> batch)
    {
        var before = batch.Count;
        while (batch.Count < MaxBatch && _asks.Reader.TryRead(out var ask))
        {
            batch.Add(ask);
        }

        return batch.Count - before;
    }

    // One transaction for every agent asking at that moment, on every campaign they ask in. The campaigns are locked
    // first: the queue changes a campaign's leases only under its lock, so what this transaction reads of them (what
    // each agent holds, which call-backs nobody holds) stays true until it commits, whatever another silo is serving.
    // Most batches take two round trips and the commit. Without waiting, a campaign another transaction holds is left
    // to a batch of its own that waits for it (in key order, for a bounded time), beside this one.
    private async Task ServeAsync(List<Ask> asks, TimeSpan? waitFor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var asked = new List<(string Agent, string Campaign)>();
        var seen = new HashSet<(string, string)>();
        foreach (var ask in asks)
        {
            if (seen.Add((ask.AgentId, ask.CampaignId)))
            {
                asked.Add((ask.AgentId, ask.CampaignId)); // the same agent asking twice at once gets one answer
            }
        }

        var answers = new Dictionary<(string Agent, string Campaign), NextCall>();
        HashSet<string> locked;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            (locked, var campaigns, var held, var candidates) = await ReadAsync(connection, tx, asked, waitFor, now, cancellationToken);
            var waiting = new List<(string Agent, string Campaign)>();
            foreach (var key in asked)
            {
                if (!locked.Contains(key.Campaign))
                {
                    continue; // another transaction holds the campaign: served apart, below
                }

                if (!campaigns.TryGetValue(key.Campaign, out var campaign))
                {
                    continue; // answered with an error below
                }

                if (!campaign.Open)
                {
                    answers[key] = new NextCall(null, NoCallReason.CampaignClosed);
                }
                else if (!campaign.Hours.IsOpen(now))
                {
                    answers[key] = new NextCall(null, NoCallReason.OutsideCallingHours, campaign.Hours.NextOpening(now));
                }
                else if (held.TryGetValue(key, out var mine))
                {
                    answers[key] = new NextCall(mine); // asked again while holding a call: that call
                }
                else
                {
                    waiting.Add(key);
                }
            }

            await HandOutAsync(connection, tx, waiting, candidates, answers, now, now + options.Value.Lease, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        var apart = asks.Where(a => !locked.Contains(a.CampaignId)).ToList();
        if (apart.Count > 0)
        {
            SetApart(apart);
        }

        foreach (var ask in asks)
        {
            if (answers.TryGetValue((ask.AgentId, ask.CampaignId), out var answer))
            {
                ask.Answer.TrySetResult(answer);
            }
            else if (locked.Contains(ask.CampaignId))
            {
                ask.Answer.TrySetException(new HelplineException(CallBackErrorCodes.UnknownCampaign, $"No campaign has id '{ask.CampaignId}'.", "campaignId"));
            }
        }
    }

    // The requests for campaigns that were held, per campaign: one transaction at a time waits for a campaign, taking
    // every request for it that arrived meanwhile, so a campaign held for long takes one of the places, not all of them,
    // and campaigns held for a moment (another silo's batch) keep being served. Each request waits at most ApartWait in
    // all, from the moment it was set apart.
    private void SetApart(List<Ask> asks)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var group in asks.GroupBy(a => a.CampaignId, StringComparer.Ordinal))
        {
            var apart = group.Select(a => (Ask: a, Since: now)).ToList();
            lock (_apart)
            {
                if (_apart.TryGetValue(group.Key, out var waiting))
                {
                    waiting.AddRange(apart); // the campaign's transaction in flight takes them next
                    continue;
                }

                _apart[group.Key] = [];
            }

            _ = ServeApartAsync(group.Key, apart);
        }
    }

    private async Task ServeApartAsync(string campaign, List<(Ask Ask, long Since)> apart)
    {
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            var left = apart.Count == 0 ? TimeSpan.Zero : ApartWait - apart.Max(a => Stopwatch.GetElapsedTime(a.Since, now));
            var asks = apart.Select(a => a.Ask).ToList();
            try
            {
                if (left <= TimeSpan.FromMilliseconds(1) || !await _contended.WaitAsync(left, _stopping))
                {
                    throw Unavailable(null);
                }

                try
                {
                    left = ApartWait - apart.Max(a => Stopwatch.GetElapsedTime(a.Since));
                    await ServeAsync(asks, left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1), _stopping);
                }
                finally
                {
                    _contended.Release();
                }
            }
            catch (Exception ex)
            {
                if (asks.Count > 0)
                {
                    LogApartFailed(ex, asks.Count);
                }

                foreach (var ask in asks)
                {
                    ask.Answer.TrySetException(ex is HelplineException ? ex : Unavailable(ex));
                }
            }

            lock (_apart)
            {
                apart = _apart[campaign];
                if (apart.Count == 0)
                {
                    _apart.Remove(campaign);
                    return;
                }

                _apart[campaign] = [];
            }
        }
    }

    // Gives each agent the oldest due candidate they may take and takes the leases. An agent who found none among the
    // candidates read while more may exist (others were theirs to skip) is served from more candidates, read in the
    // same transaction, where the leases it took are no longer candidates.
    private static async Task HandOutAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        List<(string Agent, string Campaign)> waiting,
        Candidates candidates,
        Dictionary<(string, string), NextCall> answers,
        DateTimeOffset now,
        DateTimeOffset leaseUntil,
        CancellationToken cancellationToken)
    {
        for (var round = 0; waiting.Count > 0; round++)
        {
            if (round > 0)
            {
                candidates = await CandidatesAsync(connection, tx, Limits(waiting, round), now, cancellationToken);
            }

            var last = round >= 4;
            var picks = Pick(waiting, candidates);
            var taken = await LeaseAsync(connection, tx, picks, now, leaseUntil, cancellationToken);
            var left = new List<(string, string)>();
            foreach (var key in waiting)
            {
                if (picks.TryGetValue(key, out var pick) && taken.Contains(pick.Id))
                {
                    answers[key] = new NextCall(pick with { LeasedTo = key.Item1, LeasedAt = now, LeaseUntil = leaseUntil });
                }
                else if (last || (pick is null && candidates.Exhausted(key.Item2)))
                {
                    answers[key] = new NextCall(null, NoCallReason.NoneDue);
                }
                else
                {
                    left.Add(key);
                }
            }

            waiting = left;
        }
    }

    // Each agent, in the order they asked, gets the oldest candidate of their campaign not yet given and not registered by them.
    private static Dictionary<(string, string), CallBackRow> Pick(List<(string Agent, string Campaign)> waiting, Candidates candidates)
    {
        var picks = new Dictionary<(string, string), CallBackRow>();
        foreach (var group in waiting.GroupBy(w => w.Campaign, StringComparer.Ordinal))
        {
            var pool = candidates.Rows.GetValueOrDefault(group.Key) ?? [];
            var used = new bool[pool.Count];
            var next = 0; // every candidate before it is used: most agents take the first free one
            foreach (var key in group)
            {
                while (next < pool.Count && used[next])
                {
                    next++;
                }

                var at = next;
                while (at < pool.Count && (used[at] || pool[at].RegisteredBy == key.Agent))
                {
                    at++;
                }

                if (at < pool.Count)
                {
                    used[at] = true;
                    picks[key] = pool[at];
                }
            }
        }

        return picks;
    }

    // One round trip: the transaction's limits, the campaigns locked (waiting for them, or only those nobody holds) and
    // read, the calls the agents hold, and the first candidates (those of a campaign closed, outside its hours or not
    // locked are read for nothing, which is rarer and cheaper than a round trip more).
    private static async Task<(HashSet<string> Locked, Dictionary<string, Campaign> Campaigns, Dictionary<(string, string), CallBackRow> Held, Candidates Candidates)> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<(string Agent, string Campaign)> asked, TimeSpan? waitFor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var limits = Limits(asked, 0);
        var campaignIds = limits.Keys.ToArray();
        await using var batch = new NpgsqlBatch(connection, tx);
        var wait = waitFor is not null;
        foreach (var setting in QueueSql.Settings)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
        }

        if (waitFor is { } bound)
        {
            // What is left of the bound, in whole milliseconds (not prepared: the text changes each time).
            batch.BatchCommands.Add(new NpgsqlBatchCommand(string.Create(CultureInfo.InvariantCulture, $"set local lock_timeout = '{(long)Math.Ceiling(bound.TotalMilliseconds)}ms'")));
        }

        batch.BatchCommands.Add(Command(wait ? CampaignLocks.ById : CampaignLocks.TryById, campaignIds));
        batch.BatchCommands.Add(Command(QueueSql.Campaigns, campaignIds));
        batch.BatchCommands.Add(Command(QueueSql.Held, asked.Select(w => w.Agent).ToArray(), asked.Select(w => w.Campaign).ToArray(), now));
        batch.BatchCommands.Add(Command(QueueSql.Candidates, campaignIds, campaignIds.Select(k => limits[k]).ToArray(), now));
        if (!wait)
        {
            await batch.PrepareAsync(cancellationToken);
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken); // the settings return no result
        var locked = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!wait && reader.GetBoolean(1))
            {
                locked.Add(reader.GetString(0));
            }
        }

        if (wait)
        {
            locked.UnionWith(campaignIds);
        }

        await reader.NextResultAsync(cancellationToken);
        var campaigns = new Dictionary<string, Campaign>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            campaigns[reader.GetString(0)] = new Campaign(reader.GetString(1) == "open", new CallingHours(reader.GetFieldValue<TimeOnly>(2), reader.GetFieldValue<TimeOnly>(3)));
        }

        await reader.NextResultAsync(cancellationToken);
        var held = new Dictionary<(string, string), CallBackRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = CallBackRow.Read(reader);
            held.TryAdd((row.LeasedTo!, row.CampaignId!), row);
        }

        await reader.NextResultAsync(cancellationToken);
        return (locked, campaigns, held, await ReadCandidatesAsync(reader, limits, cancellationToken));
    }

    private static async Task<Candidates> CandidatesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Dictionary<string, int> limits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(Command(QueueSql.Candidates, limits.Keys.ToArray(), limits.Keys.Select(k => limits[k]).ToArray(), now));
        await batch.PrepareAsync(cancellationToken);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadCandidatesAsync(reader, limits, cancellationToken);
    }

    // Takes the leases of the picks still pending and callable in their campaign; returns the call-backs it took.
    private static async Task<HashSet<Guid>> LeaseAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Dictionary<(string Agent, string Campaign), CallBackRow> picks, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var taken = new HashSet<Guid>();
        if (picks.Count == 0)
        {
            return taken;
        }

        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(Command(
            QueueSql.Lease, picks.Values.Select(p => p.Id).ToArray(), picks.Keys.Select(k => k.Agent).ToArray(), picks.Keys.Select(k => k.Campaign).ToArray(), now, until));
        await batch.PrepareAsync(cancellationToken);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            taken.Add(reader.GetGuid(0));
        }

        return taken;
    }

    // How many candidates to read per campaign: one per agent asking and some room, four times more in each later round.
    private static Dictionary<string, int> Limits(List<(string Agent, string Campaign)> waiting, int round) =>
        waiting.GroupBy(w => w.Campaign, StringComparer.Ordinal).ToDictionary(g => g.Key, g => FirstLimit(g.Count()) << Math.Min(round * 2, 10), StringComparer.Ordinal);

    /// <summary>How many candidates a batch first reads for <paramref name="agents"/> agents asking in one campaign.</summary>
    internal static int FirstLimit(int agents) => agents + Math.Max(2, agents / SlackShare);

    private static async Task<Candidates> ReadCandidatesAsync(NpgsqlDataReader reader, Dictionary<string, int> limits, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, List<CallBackRow>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = CallBackRow.Read(reader);
            if (!rows.TryGetValue(row.CampaignId!, out var list))
            {
                rows[row.CampaignId!] = list = [];
            }

            list.Add(row);
        }

        return new Candidates(rows, limits);
    }

    private static NpgsqlBatchCommand Command<T1>(string sql, T1 p1) => With(new NpgsqlBatchCommand(sql), p1);

    private static NpgsqlBatchCommand Command<T1, T2>(string sql, T1 p1, T2 p2) => With(Command(sql, p1), p2);

    private static NpgsqlBatchCommand Command<T1, T2, T3>(string sql, T1 p1, T2 p2, T3 p3) => With(Command(sql, p1, p2), p3);

    private static NpgsqlBatchCommand Command<T1, T2, T3, T4>(string sql, T1 p1, T2 p2, T3 p3, T4 p4) => With(Command(sql, p1, p2, p3), p4);

    private static NpgsqlBatchCommand Command<T1, T2, T3, T4, T5>(string sql, T1 p1, T2 p2, T3 p3, T4 p4, T5 p5) => With(Command(sql, p1, p2, p3, p4), p5);

    private static NpgsqlBatchCommand With<T>(NpgsqlBatchCommand command, T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        return command;
    }

    private static HelplineException Unavailable(Exception? cause) =>
        new(CallBackErrorCodes.QueueUnavailable, "The call-back queue could not answer now" + (cause is null ? "" : $" ({cause.GetType().Name})") + "; ask again: a call already handed to you is handed to you again.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call-back queue: a batch of {Count} requests failed")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call-back queue: {Count} requests for campaigns another transaction held could not be served")]
    private partial void LogApartFailed(Exception exception, int count);

    private sealed record Ask(string AgentId, string CampaignId, TaskCompletionSource<NextCall> Answer);

    private sealed record Campaign(bool Open, CallingHours Hours);

    // Candidates per campaign, oldest due first, and how many were asked for: a campaign that gave fewer has no more.
    private sealed record Candidates(Dictionary<string, List<CallBackRow>> Rows, Dictionary<string, int> Limits)
    {
        public bool Exhausted(string campaign) => (Rows.GetValueOrDefault(campaign)?.Count ?? 0) < Limits.GetValueOrDefault(campaign);
    }
}
