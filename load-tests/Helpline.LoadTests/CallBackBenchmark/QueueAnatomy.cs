using System.Diagnostics;
using Npgsql;

namespace Helpline.LoadTests.CallBackBenchmark;

/// <summary>Milliseconds of each step of one hand-out transaction, at the queue's batch size.</summary>
internal sealed record AnatomyRun(double CandidatesMs, double LeaseMs, double CommitMs, int Rows);

/// <summary>
/// Diagnostic, not a reference: the statements a batch of the queue runs (its candidates query and its lease insert,
/// copied from CallBackQueue as of its lease table, so they may drift from the module), timed one by one in one
/// transaction for the same agents, so the report shows where a batch's time goes.
/// </summary>
internal static class QueueAnatomy
{
    private const string CandidatesSql = """
        select r.campaign_id, c.id
        from unnest($1::text[], $2::int[]) as r(campaign_id, n)
        cross join lateral (
            select * from callbacks.call_back q
            where q.campaign_id = r.campaign_id and q.state = 'pending' and q.callable_from <= $3 and q.id <> all($4)
              and not exists (select 1 from callbacks.lease h where h.call_back_id = q.id and h.lease_until > $3)
            order by q.due_at, q.id
            limit r.n
        ) c
        """;

    private const string LeaseSql = """
        insert into callbacks.lease (call_back_id, agent_id, campaign_id, leased_at, lease_until)
        select u.id, u.agent, 'anatomy', $3, $4
        from unnest($1::uuid[], $2::text[]) as u(id, agent)
        join callbacks.call_back c on c.id = u.id and c.state = 'pending' and c.callable_from <= $3
        order by u.id
        on conflict (call_back_id) do update
            set agent_id = excluded.agent_id, campaign_id = excluded.campaign_id, leased_at = excluded.leased_at, lease_until = excluded.lease_until
            where callbacks.lease.lease_until <= excluded.leased_at
        returning call_back_id
        """;

    public static async Task<AnatomyRun> RunAsync(NpgsqlDataSource db, (string Agent, string Campaign)[] agents, DateTimeOffset now, TimeSpan lease)
    {
        var perCampaign = agents.GroupBy(a => a.Campaign, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(a => a.Agent).ToList(), StringComparer.Ordinal);
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var sw = Stopwatch.StartNew();
        var picked = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand(CandidatesSql, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. perCampaign.Keys] });
            cmd.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. perCampaign.Values.Select(v => v.Count + 8)] }); // the queue's first-round limit
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [] });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var campaign = reader.GetString(0);
                if (!picked.TryGetValue(campaign, out var ids))
                {
                    picked[campaign] = ids = [];
                }

                ids.Add(reader.GetGuid(1));
            }
        }

        var candidates = sw.Elapsed.TotalMilliseconds;
        var leases = perCampaign.SelectMany(p => p.Value.Zip(picked.GetValueOrDefault(p.Key) ?? [], (agent, id) => (Id: id, Agent: agent))).ToList();
        sw.Restart();
        await using (var cmd = new NpgsqlCommand(LeaseSql, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. leases.Select(l => l.Id)] });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. leases.Select(l => l.Agent)] });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now + lease });
            await cmd.ExecuteNonQueryAsync();
        }

        var leaseMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        await tx.CommitAsync();
        return new AnatomyRun(candidates, leaseMs, sw.Elapsed.TotalMilliseconds, leases.Count);
    }
}
