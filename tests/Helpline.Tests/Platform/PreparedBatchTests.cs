using Helpline.Platform.Database;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Platform;

/// <summary>Prepared batches on a real server: their plans keep finding rows by index, their settings stay in their transaction, and a batch that is its own transaction ends with its statements.</summary>
public sealed class PreparedBatchTests
{
    // A plan made for any values while the table held 30 rows, then used after it grew a thousandfold without being
    // analysed: without the setting PostgreSQL keeps scanning the whole table on every run.
    [Fact]
    public async Task A_plan_made_on_a_small_table_finds_its_row_by_index_once_the_table_has_grown()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        await using var ds = db.CreateDataSource();
        await Run(ds, "create table t (k text primary key, v int); insert into t select 'k' || i, i from generate_series(1, 30) i; analyze t", ct);
        await using var conn = await ds.OpenConnectionAsync(ct);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(7, await Lookup(conn, "k7", ct));
        }

        await Run(ds, "insert into t select 'k' || i, i from generate_series(31, 30000) i", ct);
        var (value, seqScans, indexScans) = await LookupCountingScans(conn, "k29999", ct);

        Assert.Equal(29999, value);
        Assert.Equal((0L, 1L), (seqScans, indexScans));
    }

    // Scans off, no compilation to machine code (which a scan it cannot avoid would otherwise trigger, at hundreds of
    // milliseconds) and one plan for any values, inside the batch's transaction only: pooled connections are not reset
    // when returned.
    [Fact]
    public async Task Its_settings_hold_in_its_transaction_only_and_it_refuses_to_run_without_one()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        await using var ds = db.CreateDataSource();
        await using var conn = await ds.OpenConnectionAsync(ct);
        const string Settings = "select current_setting('enable_seqscan') || ' ' || current_setting('jit') || ' ' || current_setting('plan_cache_mode')";
        var before = await Scalar(new NpgsqlCommand(Settings, conn), ct);

        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            await using var batch = new NpgsqlBatch(conn, tx);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Settings));
            await batch.PrepareByKeyAsync(ct);
            await batch.PrepareByKeyAsync(ct);
            Assert.Equal(4, batch.BatchCommands.Count);
            Assert.Equal("off off force_generic_plan", (string?)await batch.ExecuteScalarAsync(ct));
            await tx.CommitAsync(ct);
        }

        Assert.Equal(before, await Scalar(new NpgsqlCommand(Settings, conn), ct));
        Assert.StartsWith("on ", before, StringComparison.Ordinal);
        Assert.EndsWith(" auto", before, StringComparison.Ordinal);

        await using var bare = new NpgsqlBatch(conn);
        bare.BatchCommands.Add(new NpgsqlBatchCommand("select 1"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bare.PrepareByKeyAsync(ct));
    }

    // Its own begin and commit travel with its statements, so it ends in the round trip that runs it. A statement that
    // fails keeps nothing, and the pool rolls the transaction back before it hands the connection out again.
    [Fact]
    public async Task A_batch_that_is_its_own_transaction_commits_with_its_statements_and_a_failure_keeps_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        await using var ds = NpgsqlDataSource.Create(db.ConnectionString + ";Maximum Pool Size=1");
        await Run(ds, "create table t (k text primary key)", ct);
        const string Settings = "select current_setting('enable_seqscan') || ' ' || current_setting('jit') || ' ' || current_setting('plan_cache_mode')";

        await using (var conn = await ds.OpenConnectionAsync(ct))
        {
            await using var batch = Batch(conn, "insert into t values ('a')", Settings);
            await batch.PrepareAsTransactionByKeyAsync(ct);
            await batch.PrepareAsTransactionByKeyAsync(ct);
            Assert.Equal(["begin", "set local enable_seqscan = off", "set local jit = off", "set local plan_cache_mode = force_generic_plan", "insert into t values ('a')", Settings, "commit"], batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText));
            Assert.Equal("off off force_generic_plan", (string?)await batch.ExecuteScalarAsync(ct));

            // Ended: its settings are gone on the same connection, and its row is there for another.
            Assert.StartsWith("on ", await Scalar(new NpgsqlCommand(Settings, conn), ct), StringComparison.Ordinal);
        }

        await using var other = NpgsqlDataSource.Create(db.ConnectionString);
        Assert.Equal("a", await Scalar(other.CreateCommand("select string_agg(k, ',') from t"), ct));

        await using (var conn = await ds.OpenConnectionAsync(ct))
        {
            await using var failing = Batch(conn, "insert into t values ('b')", "insert into t values ('a')");
            await failing.PrepareAsTransactionByKeyAsync(ct);
            Assert.Equal(PostgresErrorCodes.UniqueViolation, (await Assert.ThrowsAsync<PostgresException>(() => failing.ExecuteNonQueryAsync(ct))).SqlState);
        }

        // The pool's one connection again: not left in the failed transaction, and 'b' was never kept.
        await using (var conn = await ds.OpenConnectionAsync(ct))
        {
            await using var insert = new NpgsqlCommand("insert into t values ('c')", conn);
            await insert.ExecuteNonQueryAsync(ct);
        }

        Assert.Equal("a,c", await Scalar(other.CreateCommand("select string_agg(k, ',' order by k) from t"), ct));

        await using (var conn = await ds.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            await using var inTransaction = new NpgsqlBatch(conn, tx);
            inTransaction.BatchCommands.Add(new NpgsqlBatchCommand("select 1"));
            await Assert.ThrowsAsync<InvalidOperationException>(() => inTransaction.PrepareAsTransactionByKeyAsync(ct));
        }
    }

    private static NpgsqlBatch Batch(NpgsqlConnection conn, params string[] statements)
    {
        var batch = new NpgsqlBatch(conn);
        foreach (var sql in statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        }

        return batch;
    }

    private static async Task<string?> Scalar(NpgsqlCommand command, CancellationToken ct)
    {
        await using (command)
        {
            return (string?)await command.ExecuteScalarAsync(ct);
        }
    }

    private static async Task<int> Lookup(NpgsqlConnection conn, string key, CancellationToken ct) => (await LookupCountingScans(conn, key, ct)).Value;

    private static async Task<(int Value, long SeqScans, long IndexScans)> LookupCountingScans(NpgsqlConnection conn, string key, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await Scans(conn, tx, ct);
        await using var batch = new NpgsqlBatch(conn, tx);
        var lookup = new NpgsqlBatchCommand("select v from t where k = $1");
        lookup.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        batch.BatchCommands.Add(lookup);
        await batch.PrepareByKeyAsync(ct);
        var value = (int)(await batch.ExecuteScalarAsync(ct))!;
        var after = await Scans(conn, tx, ct);
        await tx.CommitAsync(ct);
        return (value, after.Seq - before.Seq, after.Index - before.Index);
    }

    // The scans of the table this session has made and not yet reported, as the server counts them.
    private static async Task<(long Seq, long Index)> Scans(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var scans = new NpgsqlCommand("select seq_scan, idx_scan from pg_stat_xact_user_tables where relname = 't'", conn, tx);
        await using var reader = await scans.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }

    private static async Task Run(NpgsqlDataSource ds, string sql, CancellationToken ct)
    {
        await using var cmd = ds.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
