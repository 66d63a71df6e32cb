using System.Text;
using Helpline.Platform.Orleans;
using Helpline.Tests.OrleansProviders.After;
using Helpline.Tests.OrleansProviders.Before;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;

namespace Helpline.Tests.OrleansProviders;

/// <summary>
/// The real Orleans ADO.NET providers (clustering, grain storage, reminders) against PostgreSQL, configured only by
/// <see cref="HelplineOrleansPostgres.UseHelplinePostgres"/>. One two-silo cluster serves the whole class.
/// </summary>
public sealed class OrleansPostgresTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private static readonly GrainType TestType = GrainType.Create("helpline-test");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_silos_form_one_cluster_through_the_membership_table()
    {
        var clusterId = fixture.Cluster.Options.ClusterId;
        var expected = fixture.Cluster.Silos.Select(s => s.SiloAddress).OrderBy(a => a.Endpoint.Port).ToList();
        Assert.Equal(2, expected.Count);

        // Both silos are Active in the table (poll briefly: the second silo's status write may trail its start-up).
        List<(string Address, int Port, int Generation, int Status)> rows = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            rows = await MembershipRows(clusterId);
            if (rows.Count == 2 && rows.All(r => r.Status == (int)SiloStatus.Active))
            {
                break;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((int)SiloStatus.Active, r.Status));
        Assert.Equal(
            expected.Select(a => (a.Endpoint.Address.ToString(), a.Endpoint.Port, a.Generation)),
            rows.Select(r => (r.Address, r.Port, r.Generation)));

        // Every insert and update of a member row added one to the version: at least join + activate per silo.
        await using (var cmd = fixture.DataSource.CreateCommand("select version from orleans.membership_version where deployment_id = $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
            Assert.True((int)(await cmd.ExecuteScalarAsync(Ct))! >= 4);
        }

        // And the silos agree: one cluster of two active hosts.
        var hosts = await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(true, Ct);
        Assert.Equal(expected, hosts.Keys.OrderBy(a => a.Endpoint.Port));
    }

    [Fact]
    public async Task Persistent_state_survives_deactivation_on_the_named_and_default_providers()
    {
        var grain = fixture.Cluster.Client.GetGrain<IStoredNotesGrain>("g-round-trip");
        await grain.Add("first");
        await grain.Add("second");
        Assert.Equal("2", await grain.GetETag());

        await fixture.Cluster.DeactivateAsync(grain);

        Assert.Equal(["first", "second"], await grain.GetNotes());
        Assert.Equal(2, await grain.GetVisits());
        Assert.Equal("2", await grain.GetETag());

        // One row per state: "notes" through the provider "helpline", "visits" through the default provider.
        await using var cmd = fixture.DataSource.CreateCommand(
            "select state_name, version from orleans.grain_state where grain_id_extension = 'g-round-trip' order by state_name");
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        var rows = new List<(string, int)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        Assert.Equal([("notes", 2), ("visits", 2)], rows);
    }

    [Fact]
    public async Task Storage_rejects_stale_etags_and_clears_without_losing_the_version()
    {
        var storage = fixture.Storage(HelplineOrleansPostgres.StorageName);
        var id = GrainId.Create(TestType, "g-occ");

        var current = new GrainState<NotesState>(new NotesState { Notes = ["a"] });
        await storage.WriteStateAsync("notes", id, current);
        Assert.Equal("1", current.ETag);
        var stale = new GrainState<NotesState>(new NotesState { Notes = ["stale"] }, current.ETag) { RecordExists = true };

        current.State!.Notes.Add("b");
        await storage.WriteStateAsync("notes", id, current);
        Assert.Equal("2", current.ETag);

        // A writer still holding version 1 loses, and so does a second "first" write.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("notes", id, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync("notes", id, new GrainState<NotesState>(new NotesState())));

        var read = new GrainState<NotesState>();
        await storage.ReadStateAsync("notes", id, read);
        Assert.Equal(["a", "b"], read.State!.Notes);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);

        // Clear: stale ETag refused; current ETag keeps the record with a new version and no payload.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("notes", id, stale));
        await storage.ClearStateAsync("notes", id, read);
        Assert.Equal("3", read.ETag);
        Assert.False(read.RecordExists);

        var cleared = new GrainState<NotesState>();
        await storage.ReadStateAsync("notes", id, cleared);
        Assert.Equal("3", cleared.ETag);
        Assert.False(cleared.RecordExists);
        Assert.Empty(cleared.State!.Notes);

        // The next write continues from the cleared record's version.
        cleared.State.Notes.Add("again");
        await storage.WriteStateAsync("notes", id, cleared);
        Assert.Equal("4", cleared.ETag);

        // Nothing stored: the read reports no record and no ETag.
        var none = new GrainState<NotesState>();
        await storage.ReadStateAsync("notes", GrainId.Create(TestType, "g-never-written"), none);
        Assert.Null(none.ETag);
        Assert.False(none.RecordExists);
    }

    [Fact]
    public async Task Concurrent_first_writes_store_one_record_and_report_conflicts_to_the_rest()
    {
        var storage = fixture.Storage(HelplineOrleansPostgres.StorageName);
        var id = GrainId.Create(TestType, "g-race");

        var writes = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await storage.WriteStateAsync("notes", id, new GrainState<NotesState>(new NotesState { Notes = [$"w{i}"] }));
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        });

        Assert.Equal(1, (await Task.WhenAll(writes)).Count(won => won));
        await using var cmd = fixture.DataSource.CreateCommand(
            "select count(*) from orleans.grain_state where grain_id_extension = 'g-race'");
        Assert.Equal(1L, await cmd.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Writes_of_a_projected_state_are_journaled_with_their_version_until_acknowledged()
    {
        var storage = fixture.Storage(HelplineOrleansPostgres.StorageName);
        var id = GrainId.Create(TestType, "g-outbox");
        var state = new GrainState<NotesState>(new NotesState { Notes = ["v1"] });

        await storage.WriteStateAsync("grievance", id, state);
        Assert.Equal([1], await OutboxVersions("g-outbox"));
        await storage.WriteStateAsync("grievance", id, state);
        Assert.Equal([2], await OutboxVersions("g-outbox"));

        // A state name not listed in orleans.projected_state is not journaled.
        await storage.WriteStateAsync("notes", id, new GrainState<NotesState>(new NotesState()));
        Assert.Empty(await OutboxRows("notes"));

        // A failed (conflicting) write journals nothing new.
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync("grievance", id, new GrainState<NotesState>(new NotesState(), "1")));
        Assert.Equal([2], await OutboxVersions("g-outbox"));

        // The healer sees the row once it is older than its cut-off.
        var outbox = new ProjectionOutbox(fixture.DataSource);
        Assert.DoesNotContain(await outbox.ListStaleAsync("grievance", DateTimeOffset.UtcNow.AddMinutes(-5), 100, Ct), p => p.GrainKey == "g-outbox");
        var pending = Assert.Single(await outbox.ListStaleAsync("grievance", DateTimeOffset.UtcNow.AddMinutes(5), 100, Ct), p => p.GrainKey == "g-outbox");
        Assert.Equal(("grievance", 2), (pending.StateName, pending.Version));

        // Acknowledging an older version keeps the row; a rolled-back acknowledgement keeps it too.
        Assert.False(await Acknowledge("g-outbox", 1, commit: true));
        Assert.True(await Acknowledge("g-outbox", 2, commit: false));
        Assert.Equal([2], await OutboxVersions("g-outbox"));
        Assert.True(await Acknowledge("g-outbox", 2, commit: true));
        Assert.Empty(await OutboxVersions("g-outbox"));

        // Clearing a projected state is journaled like a write.
        await storage.ClearStateAsync("grievance", id, state);
        Assert.Equal([3], await OutboxVersions("g-outbox"));
        Assert.True(await Acknowledge("g-outbox", 3, commit: true));
    }

    [Fact]
    public async Task Journal_keys_match_GrainKeyOf_for_string_integer_and_guid_keys()
    {
        var storage = fixture.Storage(HelplineOrleansPostgres.StorageName);
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        GrainId[] ids =
        [
            GrainId.Create(TestType, "g-key-string"),
            GrainId.Create(TestType, GrainIdKeyExtensions.CreateIntegerKey(42)),
            GrainId.Create(TestType, GrainIdKeyExtensions.CreateIntegerKey(-7, "ext")),
            GrainId.Create(TestType, GrainIdKeyExtensions.CreateGuidKey(guid)),
            GrainId.Create(TestType, GrainIdKeyExtensions.CreateGuidKey(guid, "ext")),
            // The trap: a string key made only of hex digits is decomposed as the integer 0x1234.
            GrainId.Create(TestType, "1234"),
        ];

        foreach (var id in ids)
        {
            await storage.WriteStateAsync("grievance", id, new GrainState<NotesState>(new NotesState()));
        }

        var keys = (await OutboxRows("grievance")).Select(r => r.GrainKey).ToHashSet();
        Assert.Equal(
            ["g-key-string", "42", "-7+ext", "00112233445566778899aabbccddeeff", "00112233445566778899aabbccddeeff+ext", "4660"],
            ids.Select(ProjectionOutbox.GrainKeyOf));
        Assert.All(ids, id => Assert.Contains(ProjectionOutbox.GrainKeyOf(id), keys));
        Assert.Equal(guid.ToString("N"), ProjectionOutbox.GrainKeyOf(GrainId.Create(TestType, GrainIdKeyExtensions.CreateGuidKey(guid))));
    }

    [Fact]
    public async Task Reminders_round_trip_through_the_reminder_table_with_ring_range_reads()
    {
        var table = fixture.Silo.GetRequiredService<IReminderTable>();
        var start = new DateTime(2026, 3, 1, 10, 30, 15, 123, DateTimeKind.Utc);
        var grains = Enumerable.Range(0, 12).Select(i => GrainId.Create(TestType, $"g-reminder-{i}")).ToList();
        var etags = new Dictionary<GrainId, string>();
        foreach (var grain in grains)
        {
            etags[grain] = (await table.UpsertRow(new ReminderEntry
            {
                GrainId = grain,
                ReminderName = "due",
                StartAt = start,
                Period = TimeSpan.FromDays(30), // beyond Int32 milliseconds: bound as a long
            }, Ct))!;
        }

        var one = await table.ReadRow(grains[0], "due", Ct);
        Assert.NotNull(one);
        Assert.Equal(grains[0], one.GrainId);
        Assert.Equal(start, one.StartAt);
        Assert.Equal(TimeSpan.FromDays(30), one.Period);
        Assert.Equal(etags[grains[0]], one.ETag);
        Assert.Null(await table.ReadRow(grains[0], "other", Ct));

        // Upsert again: unconditional, with a new ETag.
        var second = await table.UpsertRow(new ReminderEntry { GrainId = grains[0], ReminderName = "due", StartAt = start, Period = TimeSpan.FromMinutes(1) }, Ct);
        Assert.NotEqual(etags[grains[0]], second);
        await table.UpsertRow(new ReminderEntry { GrainId = grains[0], ReminderName = "follow-up", StartAt = start, Period = TimeSpan.FromMinutes(5) }, Ct);
        var ofGrain = await table.ReadRows(grains[0], Ct);
        Assert.Equal(["due", "follow-up"], ofGrain.Reminders.Select(r => r.ReminderName).Order());
        Assert.Equal(TimeSpan.FromMinutes(1), ofGrain.Reminders.Single(r => r.ReminderName == "due").Period);

        // Ring ranges: begin exclusive, end inclusive; begin >= end wraps around (begin == end is the whole ring).
        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToList();
        async Task AssertRange(uint begin, uint end)
        {
            var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order();
            var actual = (await table.ReadRows(begin, end, Ct)).Reminders
                .Where(r => r.ReminderName == "due" && grains.Contains(r.GrainId)).Select(r => r.GrainId.ToString()).Order();
            Assert.Equal(expected, actual);
        }

        await AssertRange(hashes[2], hashes[8]);          // includes hashes[8], excludes hashes[2]
        await AssertRange(hashes[8], hashes[2]);          // wraps around
        await AssertRange(hashes[5], hashes[5]);          // the whole ring
        await AssertRange(0, uint.MaxValue);
        await AssertRange(int.MaxValue, (uint)int.MaxValue + 100); // across the signed boundary
        await AssertRange(uint.MaxValue - 5, 5);

        // Remove: a stale ETag is refused, the current one removes it.
        Assert.False(await table.RemoveRow(grains[0], "due", etags[grains[0]], Ct));
        Assert.True(await table.RemoveRow(grains[0], "due", second!, Ct));
        Assert.Null(await table.ReadRow(grains[0], "due", Ct));
        Assert.False(await table.RemoveRow(grains[0], "due", second!, Ct));
        Assert.Single((await table.ReadRows(grains[0], Ct)).Reminders);
    }

    [Fact]
    public async Task Stored_state_survives_a_rename_of_its_type_which_the_default_json_would_not()
    {
        // Both storage providers use Orleans' binary serializer, not the silo-wide default.
        var options = fixture.Silo.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>();
        Assert.IsType<OrleansGrainStorageSerializer>(options.Get(HelplineOrleansPostgres.StorageName).GrainStorageSerializer);
        Assert.IsType<OrleansGrainStorageSerializer>(options.Get(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME).GrainStorageSerializer);

        // Written by the old code as Before.ComplaintRecord, read by the new code as After.GrievanceSnapshot, through
        // the real provider and database. The state name ("complaint") is what identifies the record; the CLR type
        // name is never stored, and members are matched by [Id].
        var storage = fixture.Storage(HelplineOrleansPostgres.StorageName);
        var id = GrainId.Create(TestType, "g-renamed");
        var due = new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(5.5));
        var old = new ComplaintRecord { Title = "Streetlight out", Level = 2, Notes = ["called", "visited"], DueAt = due };
        await storage.WriteStateAsync("complaint", id, new GrainState<ComplaintRecord>(old));

        var renamed = new GrainState<GrievanceSnapshot>();
        await storage.ReadStateAsync("complaint", id, renamed);
        Assert.True(renamed.RecordExists);
        Assert.Equal("Streetlight out", renamed.State!.Title);
        Assert.Equal(2, renamed.State.Level);
        Assert.Equal(["called", "visited"], renamed.State.Notes);
        Assert.Equal(due, renamed.State.DueAt);
        Assert.Null(renamed.State.AddedLater);

        // The silo-wide default, which the ADO.NET provider would use unless told otherwise, is Newtonsoft JSON with
        // $type names: the payload names the old CLR type, so reading it as the renamed type fails...
        var json = fixture.Silo.GetRequiredService<IGrainStorageSerializer>();
        Assert.IsType<JsonGrainStorageSerializer>(json);
        var payload = json.Serialize(old);
        var text = payload.ToString();
        Assert.Contains("\"$type\"", text, StringComparison.Ordinal);
        Assert.Contains(typeof(ComplaintRecord).FullName!, text, StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => { _ = json.Deserialize<GrievanceSnapshot>(payload); });

        // ...and once the old type is gone (here: the name in the payload no longer resolves), nothing can read it.
        var orphaned = new BinaryData(Encoding.UTF8.GetBytes(text.Replace(
            typeof(ComplaintRecord).FullName!, "Helpline.Tests.OrleansProviders.Removed.ComplaintRecord", StringComparison.Ordinal)));
        Assert.ThrowsAny<Exception>(() => { _ = json.Deserialize<GrievanceSnapshot>(orphaned); });
    }

    // RingRange.InRange: begin exclusive, end inclusive; begin >= end wraps (begin == end is the full ring).
    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private async Task<List<(string Address, int Port, int Generation, int Status)>> MembershipRows(string clusterId)
    {
        await using var cmd = fixture.DataSource.CreateCommand(
            "select address, port, generation, status from orleans.membership where deployment_id = $1 order by port");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        var rows = new List<(string, int, int, int)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return rows;
    }

    private async Task<List<(string GrainKey, int Version)>> OutboxRows(string stateName)
    {
        await using var cmd = fixture.DataSource.CreateCommand(
            "select grain_key, version from orleans.projection_outbox where state_name = $1 order by grain_key");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        var rows = new List<(string, int)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return rows;
    }

    private async Task<List<int>> OutboxVersions(string grainKey) =>
        (await OutboxRows("grievance")).Where(r => r.GrainKey == grainKey).Select(r => r.Version).ToList();

    private async Task<bool> Acknowledge(string grainKey, int version, bool commit)
    {
        await using var connection = await fixture.DataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var removed = await ProjectionOutbox.AcknowledgeAsync(connection, transaction, "grievance", grainKey, version, Ct);
        if (commit)
        {
            await transaction.CommitAsync(Ct);
        }
        else
        {
            await transaction.RollbackAsync(Ct);
        }

        return removed;
    }
}
