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
/// The database decides who holds what: a lease is a row keyed by the call-back, so when two silos pick the same
/// call-back the second insert meets the first's lease and takes nothing (that agent is served from the next
/// candidates). Each silo serves every request waiting at a moment in one transaction: a thousand agents asking at
/// once cost a few statements, not a thousand transactions, and no call-back row is written or locked.
/// </summary>
internal sealed partial class CallBackQueue(NpgsqlDataSource dataSource, IOptions<CallBackOptions> options, TimeProvider clock, ILogger<CallBackQueue> logger)
    : BackgroundService
{
    // At most this many requests are served in one transaction; the rest wait for the next.
    private const int MaxBatch = 2_000;

    // Candidates read beyond one per agent, for agents who may not take some (those they registered).
    private const int Slack = 8;

    private readonly Channel<Ask> _asks = Channel.CreateUnbounded<Ask>(new UnboundedChannelOptions { SingleReader = true });
    private long _batches;

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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Ask>();
        try
        {
            while (await _asks.Reader.WaitToReadAsync(stoppingToken))
            {
                // Requests started together (a shift's agents at the same minute) are queued on the thread pool behind
                // the first: let them write their asks before draining, so they share this batch instead of waiting
                // for the next one. It costs a turn of the thread pool, not a fixed wait.
                await Task.Yield();
                batch.Clear();
                while (batch.Count < MaxBatch && _asks.Reader.TryRead(out var ask))
                {
                    batch.Add(ask);
                }

                try
                {
                    Interlocked.Increment(ref _batches);
                    await ServeAsync(batch, stoppingToken);
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

    private async Task ServeAsync(List<Ask> asks, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var campaigns = await CampaignsAsync(connection, tx, asks, cancellationToken);
        var answers = new Dictionary<(string Agent, string Campaign), NextCall>();
        var waiting = new List<(string Agent, string Campaign)>();
        var seen = new HashSet<(string, string)>();
        foreach (var ask in asks)
        {
            var key = (ask.AgentId, ask.CampaignId);
            if (!seen.Add(key))
            {
                continue; // the same agent asking twice at once gets one answer
            }

            if (!campaigns.TryGetValue(ask.CampaignId, out var campaign))
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
            else
            {
                waiting.Add(key);
            }
        }

        if (waiting.Count > 0)
        {
            await using (var lockAgents = new NpgsqlCommand(QueueSql.LockAgents, connection, tx))
            {
                lockAgents.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. waiting.Select(w => w.Agent)] });
                lockAgents.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. waiting.Select(w => w.Campaign)] });
                await lockAgents.ExecuteScalarAsync(cancellationToken);
            }

            await HeldAsync(connection, tx, waiting, answers, now, cancellationToken);
            waiting.RemoveAll(answers.ContainsKey);
            await HandOutAsync(connection, tx, waiting, answers, now, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        foreach (var ask in asks)
        {
            if (answers.TryGetValue((ask.AgentId, ask.CampaignId), out var answer))
            {
                ask.Answer.TrySetResult(answer);
            }
            else
            {
                ask.Answer.TrySetException(new HelplineException(CallBackErrorCodes.UnknownCampaign, $"No campaign has id '{ask.CampaignId}'.", "campaignId"));
            }
        }
    }

    private static async Task<Dictionary<string, Campaign>> CampaignsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<Ask> asks, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(QueueSql.Campaigns, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. asks.Select(a => a.CampaignId).Distinct(StringComparer.Ordinal)] });
        var campaigns = new Dictionary<string, Campaign>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            campaigns[reader.GetString(0)] = new Campaign(reader.GetString(1) == "open", new CallingHours(reader.GetFieldValue<TimeOnly>(2), reader.GetFieldValue<TimeOnly>(3)));
        }

        return campaigns;
    }

    // A retried request: the agent already holds a live lease in that campaign.
    private static async Task HeldAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<(string Agent, string Campaign)> waiting, Dictionary<(string, string), NextCall> answers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(QueueSql.Held, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. waiting.Select(w => w.Agent).Distinct(StringComparer.Ordinal)] });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. waiting.Select(w => w.Campaign).Distinct(StringComparer.Ordinal)] });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var asked = waiting.ToHashSet();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = CallBackRow.Read(reader);
            var key = (row.LeasedTo!, row.CampaignId!);
            if (asked.Contains(key) && !answers.ContainsKey(key))
            {
                answers[key] = new NextCall(row);
            }
        }
    }

    // Reads enough candidates per campaign for the agents asking (with room for those an agent registered), gives each
    // agent the oldest due one they may take, and takes the leases; an agent whose pick another silo took a moment
    // earlier, or who found none while more may exist, is served again from fresh candidates.
    private async Task HandOutAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        List<(string Agent, string Campaign)> waiting,
        Dictionary<(string, string), NextCall> answers,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var leaseUntil = now + options.Value.Lease;
        var passedOver = new HashSet<Guid>();
        for (var round = 0; waiting.Count > 0; round++)
        {
            var perCampaign = waiting.GroupBy(w => w.Campaign, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(w => w.Agent).ToList(), StringComparer.Ordinal);
            var limits = perCampaign.ToDictionary(p => p.Key, p => (p.Value.Count + Slack) << Math.Min(round * 2, 10), StringComparer.Ordinal);
            var candidates = await CandidatesAsync(connection, tx, limits, passedOver, now, cancellationToken);
            var picks = new List<(Candidate Row, string Agent, string Campaign)>();
            var left = new List<(string, string)>();
            var last = round >= 4;
            foreach (var (campaign, agents) in perCampaign)
            {
                var pool = candidates.GetValueOrDefault(campaign) ?? [];
                var used = new bool[pool.Count];
                var next = 0; // every candidate before it is used: most agents take the first free one
                foreach (var agent in agents)
                {
                    while (next < pool.Count && used[next])
                    {
                        next++;
                    }

                    var at = next;
                    while (at < pool.Count && (used[at] || pool[at].RegisteredBy == agent))
                    {
                        at++;
                    }

                    if (at < pool.Count)
                    {
                        used[at] = true;
                        picks.Add((pool[at], agent, campaign));
                    }
                    else if (pool.Count < limits[campaign] || last)
                    {
                        answers[(agent, campaign)] = new NextCall(null, NoCallReason.NoneDue);
                    }
                    else
                    {
                        left.Add((agent, campaign));
                    }
                }
            }

            var taken = await LeaseAsync(connection, tx, picks, now, leaseUntil, cancellationToken);
            foreach (var (row, agent, campaign) in picks)
            {
                if (taken.TryGetValue(row.Id, out var held))
                {
                    answers[(agent, campaign)] = new NextCall(held with { LeasedTo = agent, LeasedAt = now, LeaseUntil = leaseUntil });
                }
                else if (last)
                {
                    answers[(agent, campaign)] = new NextCall(null, NoCallReason.NoneDue);
                }
                else
                {
                    passedOver.Add(row.Id); // taken elsewhere a moment ago
                    left.Add((agent, campaign));
                }
            }

            waiting = left;
        }
    }

    // The call-backs leased, as they are (their new lease is filled in by the caller).
    private static async Task<Dictionary<Guid, CallBackRow>> LeaseAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<(Candidate Row, string Agent, string Campaign)> picks, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var taken = new Dictionary<Guid, CallBackRow>();
        if (picks.Count == 0)
        {
            return taken;
        }

        await using var cmd = new NpgsqlCommand(QueueSql.Lease, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. picks.Select(p => p.Row.Id)] });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. picks.Select(p => p.Agent)] });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. picks.Select(p => p.Campaign)] });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = until });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = CallBackRow.Read(reader);
            taken[row.Id] = row;
        }

        return taken;
    }

    private static async Task<Dictionary<string, List<Candidate>>> CandidatesAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Dictionary<string, int> limits, HashSet<Guid> taken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(QueueSql.Candidates, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. limits.Keys] });
        cmd.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. limits.Keys.Select(k => limits[k])] });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. taken] });
        var result = new Dictionary<string, List<Candidate>>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var campaign = reader.GetString(0);
            if (!result.TryGetValue(campaign, out var list))
            {
                result[campaign] = list = [];
            }

            list.Add(new Candidate(reader.GetGuid(1), reader.GetString(2)));
        }

        return result;
    }

    private static HelplineException Unavailable(Exception? cause) =>
        new(CallBackErrorCodes.QueueUnavailable, "The call-back queue could not answer now" + (cause is null ? "" : $" ({cause.GetType().Name})") + "; ask again: a call already handed to you is handed to you again.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call-back queue: a batch of {Count} requests failed")]
    private partial void LogBatchFailed(Exception exception, int count);

    private sealed record Ask(string AgentId, string CampaignId, TaskCompletionSource<NextCall> Answer);

    private sealed record Campaign(bool Open, CallingHours Hours);

    private sealed record Candidate(Guid Id, string RegisteredBy);
}
