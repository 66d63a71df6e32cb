using System.Diagnostics;
using Helpline.CallBacks.Domain;
using Helpline.CallBacks.Queue;
using Npgsql;

namespace Helpline.LoadTests.CallBackBenchmark;

/// <summary>Milliseconds of each step of one hand-out transaction, at the queue's batch size.</summary>
internal sealed record AnatomyRun(double ReadMs, double LeaseMs, double CommitMs, int Rows);

/// <summary>
/// Diagnostic, not a reference: the module's own statements for a batch (the campaigns' locks and the candidates,
/// then the lease insert, then the commit), run one by one in one transaction for the same agents without the
/// queue around them, so the report shows where a batch's time goes.
/// </summary>
internal static class QueueAnatomy
{
    public static async Task<AnatomyRun> RunAsync(NpgsqlDataSource db, (string Agent, string Campaign)[] agents, DateTimeOffset now, TimeSpan lease)
    {
        var perCampaign = agents.GroupBy(a => a.Campaign, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(a => a.Agent).ToList(), StringComparer.Ordinal);
        var campaigns = perCampaign.Keys.ToArray();
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var sw = Stopwatch.StartNew();
        var picked = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            var locks = new NpgsqlBatchCommand(CampaignLocks.ById);
            locks.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = campaigns });
            var candidates = new NpgsqlBatchCommand(QueueSql.Candidates);
            candidates.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = campaigns });
            candidates.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. campaigns.Select(c => CallBackQueue.FirstLimit(perCampaign[c].Count))] });
            candidates.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            batch.BatchCommands.Add(locks);
            batch.BatchCommands.Add(candidates);
            await using var reader = await batch.ExecuteReaderAsync();
            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                var row = CallBackRow.Read(reader);
                if (!picked.TryGetValue(row.CampaignId!, out var ids))
                {
                    picked[row.CampaignId!] = ids = [];
                }

                ids.Add(row.Id);
            }
        }

        var read = sw.Elapsed.TotalMilliseconds;
        var leases = perCampaign.SelectMany(p => p.Value.Zip(picked.GetValueOrDefault(p.Key) ?? [], (agent, id) => (Id: id, Agent: agent, Campaign: p.Key))).ToList();
        sw.Restart();
        await using (var cmd = new NpgsqlCommand(QueueSql.Lease, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. leases.Select(l => l.Id)] });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. leases.Select(l => l.Agent)] });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. leases.Select(l => l.Campaign)] });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now + lease });
            await cmd.ExecuteNonQueryAsync();
        }

        var leaseMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        await tx.CommitAsync();
        return new AnatomyRun(read, leaseMs, sw.Elapsed.TotalMilliseconds, leases.Count);
    }
}
