using Npgsql;
using static Helpline.Tests.OrleansProviders.OrleansDatabase;

namespace Helpline.Tests.OrleansProviders;

/// <summary>
/// The stored query texts checked against the providers' contract directly, for the cases a live cluster rarely
/// reaches (stale versions, duplicates, the empty table). Parameters are bound with the names and .NET types the
/// providers use.
/// </summary>
public sealed class OrleansQueryContractTests
{
    private static readonly string[] RequiredKeys =
    [
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey",
        "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "UpsertReminderRowKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Orleansquery_holds_every_key_once_and_is_found_through_the_search_path()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await CreateMigratedAsync(ct);

        // Exactly what the providers run at start-up: unqualified, on their own connection string.
        var builder = new NpgsqlConnectionStringBuilder(Helpline.Platform.Orleans.HelplineOrleansPostgres.ProviderConnectionString(db.ConnectionString));
        Assert.Equal("orleans", builder.SearchPath);
        Assert.Equal("-c enable_seqscan=off -c jit=off", builder.Options);
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await using var cmd = dataSource.CreateCommand("SELECT QueryKey, QueryText FROM OrleansQuery");
        var keys = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                keys.Add(reader.GetString(reader.GetOrdinal("QueryKey")));
            }
        }

        Assert.Equal(RequiredKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Membership_queries_follow_the_version_rules()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await CreateMigratedAsync(ct);
        await using var ds = db.CreateDataSource();
        const string cluster = "c1";
        var now = DateTime.UtcNow;

        NpgsqlParameter[] Silo(int port) => [P("DeploymentId", cluster), P("Address", "127.0.0.1"), P("Port", port), P("Generation", 7)];

        NpgsqlParameter[] Insert(int port, int version, int status = 3, int proxyPort = 30000) =>
        [
            .. Silo(port), P("SiloName", $"silo-{port}"), P("HostName", "host"), P("Status", status), P("ProxyPort", proxyPort),
            P("StartTime", now), P("IAmAliveTime", now), P("Version", version),
        ];

        async Task<bool> Bool(string key, params NpgsqlParameter[] ps)
        {
            var rows = await RunAsync(ds, key, ct, ps);
            var row = Assert.Single(rows);
            return (bool)Assert.Single(row.Values)!;
        }

        async Task<List<Dictionary<string, object?>>> ReadAll() => await RunAsync(ds, "MembershipReadAllKey", ct, P("DeploymentId", cluster));

        Assert.True(await Bool("InsertMembershipVersionKey", P("DeploymentId", cluster)));
        Assert.False(await Bool("InsertMembershipVersionKey", P("DeploymentId", cluster)));

        // No members: one row carrying the version, StartTime NULL.
        var empty = Assert.Single(await ReadAll());
        Assert.Null(empty["starttime"]);
        Assert.Equal(0, empty["version"]);

        Assert.True(await Bool("InsertMembershipKey", Insert(11111, version: 0)));
        Assert.False(await Bool("InsertMembershipKey", Insert(11111, version: 1)));  // duplicate silo
        Assert.False(await Bool("InsertMembershipKey", Insert(22222, version: 0)));  // stale version
        Assert.True(await Bool("InsertMembershipKey", Insert(22222, version: 1, proxyPort: 0)));

        NpgsqlParameter[] Update(int port, int version, string? suspects) =>
            [.. Silo(port), P("Status", 6), P<string?>("SuspectTimes", suspects), P("IAmAliveTime", now), P("Version", version)];
        Assert.False(await Bool("UpdateMembershipKey", Update(11111, version: 1, "x")));  // stale version
        Assert.False(await Bool("UpdateMembershipKey", Update(33333, version: 2, null))); // no such silo
        Assert.True(await Bool("UpdateMembershipKey", Update(11111, version: 2, "127.0.0.1:22222@7,2026-01-01 00:00:00.000 GMT")));

        var row = Assert.Single(await RunAsync(ds, "MembershipReadRowKey", ct, Silo(11111)));
        Assert.Equal(6, row["status"]);
        Assert.Equal(3, row["version"]);
        Assert.Equal("silo-11111", row["siloname"]);
        Assert.Equal(30000, row["proxyport"]);
        Assert.StartsWith("127.0.0.1:22222@7", (string)row["suspecttimes"]!);

        // A silo without a row still gets the version row.
        var missing = Assert.Single(await RunAsync(ds, "MembershipReadRowKey", ct, Silo(44444)));
        Assert.Null(missing["starttime"]);
        Assert.Equal(3, missing["version"]);

        // I-am-alive touches only the timestamp, never the version.
        await RunAsync(ds, "UpdateIAmAlivetimeKey", ct, [.. Silo(22222), P("IAmAliveTime", now.AddMinutes(1))]);
        var all = await ReadAll();
        Assert.Equal(2, all.Count);
        Assert.All(all, r => Assert.Equal(3, r["version"]));

        // Gateways: Active and a proxy port. 11111 is Dead now, 22222 has proxy port 0.
        Assert.Empty(await RunAsync(ds, "GatewaysQueryKey", ct, P("DeploymentId", cluster), P("Status", 3)));
        Assert.True(await Bool("InsertMembershipKey", Insert(33333, version: 3)));
        var gateway = Assert.Single(await RunAsync(ds, "GatewaysQueryKey", ct, P("DeploymentId", cluster), P("Status", 3)));
        Assert.Equal(30000, gateway["proxyport"]);

        // Cleanup removes old rows that are not Active: 11111 (Dead); 22222 and 33333 are Active.
        await RunAsync(ds, "CleanupDefunctSiloEntriesKey", ct, P("DeploymentId", cluster), P("IAmAliveTime", now.AddSeconds(30)));
        Assert.Equal([22222, 33333], (await ReadAll()).Select(r => (int)r["port"]!).Order());

        // The per-row cleanup (10.4.2) deletes a Dead row only while it still holds the values the provider read.
        Assert.True(await Bool("UpdateMembershipKey", Update(22222, version: 4, suspects: null)));
        var dead = Assert.Single(await RunAsync(ds, "MembershipReadRowKey", ct, Silo(22222)));
        NpgsqlParameter[] Captured(DateTime iAmAlive) =>
            [.. Silo(22222), P<string?>("SuspectTimes", null), P("StartTime", (DateTime)dead["starttime"]!), P("IAmAliveTime", iAmAlive)];
        await RunAsync(ds, "CleanupDefunctSiloEntryKey", ct, Captured(((DateTime)dead["iamalivetime"]!).AddSeconds(1)));
        Assert.Equal([22222, 33333], (await ReadAll()).Select(r => (int)r["port"]!).Order());
        await RunAsync(ds, "CleanupDefunctSiloEntryKey", ct, Captured((DateTime)dead["iamalivetime"]!));
        Assert.Equal([33333], (await ReadAll()).Select(r => (int)r["port"]!));

        await RunAsync(ds, "DeleteMembershipTableEntriesKey", ct, P("DeploymentId", cluster));
        Assert.Empty(await ReadAll());
    }

    // The providers' sessions never prefer a table scan and never compile to machine code, unless the operator's own
    // options set either; another setting that merely starts with the same letters does not count.
    [Theory]
    [InlineData(null, "-c enable_seqscan=off -c jit=off")]
    [InlineData("-c jit_above_cost=500000", "-c jit_above_cost=500000 -c enable_seqscan=off -c jit=off")]
    [InlineData("-c jit=on", "-c jit=on -c enable_seqscan=off")]
    [InlineData("-c enable_seqscan=on -c jit=on", "-c enable_seqscan=on -c jit=on")]
    [InlineData("-cjit=on --enable-seqscan=on", "-cjit=on --enable-seqscan=on")]
    [InlineData("-c JIT=on -c Enable_SeqScan=on", "-c JIT=on -c Enable_SeqScan=on")]
    [InlineData("-c my.jit=on", "-c my.jit=on -c enable_seqscan=off -c jit=off")]
    public void The_providers_sessions_rule_out_table_scans_and_compilation_unless_told_otherwise(string? options, string expected)
    {
        var given = new NpgsqlConnectionStringBuilder("Host=db;Database=helpline") { Options = options };
        var built = new NpgsqlConnectionStringBuilder(Helpline.Platform.Orleans.HelplineOrleansPostgres.ProviderConnectionString(given.ConnectionString, environmentOptions: null));
        Assert.Equal(expected, built.Options);
    }

    // Npgsql reads PGOPTIONS only when the string has no Options: the providers' settings join the operator's there
    // instead of replacing them, and a string's own Options still win over the environment as Npgsql has it.
    [Theory]
    [InlineData(null, "-c statement_timeout=5s", "-c statement_timeout=5s -c enable_seqscan=off -c jit=off")]
    [InlineData(null, "-c enable_seqscan=on", "-c enable_seqscan=on -c jit=off")]
    [InlineData("-c work_mem=8MB", "-c statement_timeout=5s", "-c work_mem=8MB -c enable_seqscan=off -c jit=off")]
    public void The_providers_sessions_keep_the_operators_PGOPTIONS(string? options, string environment, string expected)
    {
        var given = new NpgsqlConnectionStringBuilder("Host=db;Database=helpline") { Options = options };
        var built = new NpgsqlConnectionStringBuilder(Helpline.Platform.Orleans.HelplineOrleansPostgres.ProviderConnectionString(given.ConnectionString, environment));
        Assert.Equal(expected, built.Options);
    }

    // An operator's "never prepare" stays; a string that does not say gets the providers' number.
    [Theory]
    [InlineData("Host=db", 32)]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;maxautoprepare=0", 0)]
    [InlineData("Host=db;Max Auto Prepare=5", 5)]
    [InlineData("Host=db;Password='x;Max Auto Prepare=0'", 32)]
    public void The_providers_prepare_their_statements_unless_the_string_says_otherwise(string connectionString, int expected)
    {
        var built = new NpgsqlConnectionStringBuilder(Helpline.Platform.Orleans.HelplineOrleansPostgres.ProviderConnectionString(connectionString));
        Assert.Equal(expected, built.MaxAutoPrepare);
    }

    [Fact]
    public async Task Membership_version_lets_exactly_one_of_concurrent_writers_win()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await CreateMigratedAsync(ct);
        await using var ds = db.CreateDataSource();
        var now = DateTime.UtcNow;
        await RunAsync(ds, "InsertMembershipVersionKey", ct, P("DeploymentId", "c"));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => RunAsync(ds, "InsertMembershipKey", ct,
            P("DeploymentId", "c"), P("Address", "127.0.0.1"), P("Port", 20000 + i), P("Generation", 1), P("SiloName", "s"),
            P("HostName", "h"), P("Status", 3), P("ProxyPort", 0), P("StartTime", now), P("IAmAliveTime", now), P("Version", 0))));

        Assert.Equal(1, results.Count(r => (bool)r.Single()["exists"]!));
        var rows = await RunAsync(ds, "MembershipReadAllKey", ct, P("DeploymentId", "c"));
        Assert.Equal(1, Assert.Single(rows)["version"]);
    }

    // Every storage statement finds its row by coalesce(extension, ''), n1, n0, state and service. With a second
    // index bounded by n1 alone (0 for every string key), sessions that planned while the table was new chose it and
    // kept it as the table grew (146 buffers a read in throughput-bench). One index, on exactly that key, leaves no
    // such plan; and it is unique, so two first writes of one grain cannot both insert.
    [Fact]
    public async Task Grain_state_has_one_index_the_unique_key_the_storage_statements_match()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await CreateMigratedAsync(ct);
        await using var ds = NpgsqlDataSource.Create(db.ConnectionString);
        await using var cmd = ds.CreateCommand("select indexdef from pg_indexes where schemaname = 'orleans' and tablename = 'grain_state'");
        var indexes = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                indexes.Add(reader.GetString(0));
            }
        }

        Assert.Equal(
            ["CREATE UNIQUE INDEX grain_state_key ON orleans.grain_state USING btree (COALESCE(grain_id_extension, ''::text), grain_id_n1, grain_id_n0, state_name, service_id)"],
            indexes);
    }

    private static readonly string[] StorageParameters =
        ["GrainIdExtensionString", "GrainIdN1", "GrainIdN0", "GrainTypeString", "ServiceId", "GrainStateVersion", "PayloadBinary"];

    // The host has Npgsql prepare frequent statements, so after five runs PostgreSQL may plan a storage statement
    // once for any values: its key lookup must use the key's whole index in such a plan too, on the providers' own
    // sessions. A plan made while the table is small is kept as it grows, so every size is checked: a table scan was
    // seen, and in a new database never analysed, an index bounded only by grain_id_n1 (0 for every string key).
    [Theory]
    [InlineData("ReadFromStorageKey", 20000)]
    [InlineData("WriteToStorageKey", 20000)]
    [InlineData("ReadFromStorageKey", 30)]
    [InlineData("WriteToStorageKey", 30)]
    [InlineData("ReadFromStorageKey", 0)]
    [InlineData("WriteToStorageKey", 0)]
    public async Task A_storage_statement_planned_for_any_values_still_finds_its_row_by_index(string key, int rows)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await CreateMigratedAsync(ct);
        await using var ds = NpgsqlDataSource.Create(Helpline.Platform.Orleans.HelplineOrleansPostgres.ProviderConnectionString(db.ConnectionString));
        await using (var seed = ds.CreateCommand(
            "insert into orleans.grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, payload_binary, version) " +
            $"select 'svc', 'grievance', 0, 0, 'g:' || i, '\\x00', 1 from generate_series(1, {rows}) i" + (rows > 0 ? "; analyze orleans.grain_state" : "")))
        {
            await seed.ExecuteNonQueryAsync(ct);
        }

        var text = await QueryTextAsync(ds, key, ct);
        var positional = StorageParameters
            .Select((name, i) => (name, i))
            .Aggregate(text, (t, p) => t.Replace("@" + p.name, "$" + (p.i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await using var conn = await ds.OpenConnectionAsync(ct);
        await using (var prepare = new NpgsqlCommand($"set plan_cache_mode = force_generic_plan; prepare s(text, bigint, bigint, text, text, int, bytea) as {positional}", conn))
        {
            await prepare.ExecuteNonQueryAsync(ct);
        }

        await using var explain = new NpgsqlCommand("explain execute s('g:17', 0, 0, 'grievance', 'svc', 1, '\\x01')", conn);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                plan.Add(reader.GetString(0));
            }
        }

        var all = string.Join('\n', plan);
        Assert.Contains("Index Cond: ((COALESCE(grain_id_extension, ''::text) = COALESCE($1, ''::text)) AND (grain_id_n1 = $2) AND (grain_id_n0 = $3) AND (state_name = $4) AND (service_id = $5))", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan on grain_state", all, StringComparison.Ordinal);
    }
}
