using Helpline.Platform.Orleans;
using Npgsql;

namespace Helpline.Tests.OrleansProviders;

/// <summary>
/// The projection outbox is a queue: a row a change, deleted moments later. Its statistics then show a few live rows
/// on many pages, and a plain delete by key is planned as a sequential scan of every page (throughput-bench: 75-91
/// buffers an acknowledgement instead of 3). An acknowledgement must reach its row through the key's index whatever
/// the statistics say.
/// </summary>
public sealed class ProjectionOutboxPlanTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Acknowledgements_use_the_key_index_when_statistics_show_a_bloated_queue()
    {
        await using var database = await OrleansDatabase.CreateMigratedAsync(Ct);
        await using var dataSource = database.CreateDataSource();

        // 20,000 acknowledged rows ahead of two live ones, which keep vacuum from cutting the dead pages off the end.
        await Execute(dataSource, """
            insert into orleans.projection_outbox (state_name, grain_key, version)
            select 'grievance', 'g:done-' || n, 1 from generate_series(1, 20000) n;
            insert into orleans.projection_outbox (state_name, grain_key, version) values ('grievance', 'g:live-1', 1), ('grievance', 'g:live-2', 1);
            delete from orleans.projection_outbox where grain_key like 'g:done-%';
            """);
        await Execute(dataSource, "vacuum analyze orleans.projection_outbox");
        Assert.True(await database.ScalarAsync("select relpages from pg_class where oid = 'orleans.projection_outbox'::regclass") > 50);

        // The key's index is the only one, so an index scan can only be on the key.
        await using (var indexes = dataSource.CreateCommand("select array_agg(indexrelid::regclass::text) from pg_index where indrelid = 'orleans.projection_outbox'::regclass"))
        {
            Assert.Equal(["orleans.projection_outbox_pkey"], (string[])(await indexes.ExecuteScalarAsync(Ct))!);
        }

        // A generic plan is what a prepared statement settles on after its first executions; ask for it at once.
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await Execute(connection, transaction, "set local plan_cache_mode = force_generic_plan");
        var before = await Scans(connection, transaction);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(ProjectionOutbox.AcknowledgeCommand("grievance", "g:live-2", 1));
            batch.BatchCommands.Add(ProjectionOutbox.AcknowledgeCommand("grievance", "g:absent", 1));
            await batch.ExecuteNonQueryAsync(Ct);
        }

        Assert.True(await ProjectionOutbox.AcknowledgeAsync(connection, transaction, "grievance", "g:live-1", 1, Ct));
        Assert.False(await ProjectionOutbox.AcknowledgeAsync(connection, transaction, "grievance", "g:live-1", 1, Ct));

        // Four acknowledgements, four reads of an index, no read of the table's pages.
        var after = await Scans(connection, transaction);
        Assert.Equal((0L, 4L), (after.Sequential - before.Sequential, after.Index - before.Index));

        await transaction.CommitAsync(Ct);
        Assert.Equal(0, await database.ScalarAsync("select count(*) from orleans.projection_outbox"));
    }

    // The session's scans of the table not yet reported to the server's statistics: this transaction's, and those of
    // earlier statements on the same pooled connection, hence a difference of two readings.
    private static async Task<(long Sequential, long Index)> Scans(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var cmd = new NpgsqlCommand(
            "select seq_scan, coalesce(idx_scan, 0) from pg_stat_xact_user_tables where relid = 'orleans.projection_outbox'::regclass", connection, transaction);
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, transaction);
        await cmd.ExecuteNonQueryAsync(Ct);
    }
}
