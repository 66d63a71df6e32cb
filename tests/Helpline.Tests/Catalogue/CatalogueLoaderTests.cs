using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Database;
using Helpline.Platform.SharedData;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Helpline.Tests.Catalogue;

/// <summary>The loader against a real, fresh PostgreSQL database migrated with the catalogue schema alone.</summary>
public sealed class CatalogueLoaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Loading_into_a_fresh_database_writes_every_row_and_the_catalogue_matches_the_files()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var (store, loader) = await MigrateAsync(dataSource);
        var files = CatalogueFiles.ReadEmbedded();
        var seatCount = files.Departments.Sum(d => d.SeatTitles.Count);

        var result = await loader.LoadAsync(files, Ct);

        Assert.Equal(new CatalogueLoadResult(files.Departments.Count, 0, seatCount, 0, 0, files.Categories.Count, 0), result);
        Assert.Equal(files.Departments.Count, await CountAsync(dataSource, "catalogue.departments"));
        Assert.Equal(seatCount, await CountAsync(dataSource, "catalogue.department_seats"));
        Assert.Equal(files.Categories.Count, await CountAsync(dataSource, "catalogue.categories"));

        Assert.Equal(files.Departments.Count, store.Departments.Count);
        Assert.Equal(files.Categories.Count, store.Categories.Count);
        foreach (var expected in files.Departments)
        {
            var actual = store.FindDepartment(expected.Id);
            Assert.NotNull(actual);
            Assert.Equal(expected.Name, actual.Name);
            Assert.Equal(expected.NameHindi, actual.NameHindi);
            Assert.Equal(expected.SeatTitles.OrderBy(s => s.Key), actual.SeatTitles.OrderBy(s => s.Key));
        }

        foreach (var expected in files.Categories)
        {
            var actual = store.FindCategory(expected.Id);
            Assert.NotNull(actual);
            Assert.Equal((expected.Name, expected.DepartmentId, expected.ResolutionLevel, expected.Source), (actual.Name, actual.DepartmentId, actual.ResolutionLevel, actual.Source));
            Assert.Equal(expected.Sla.LevelDays, actual.Sla.LevelDays);
        }

        Assert.Equal(store.Departments.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).Select(d => d.Id), store.Departments.Select(d => d.Id));
        Assert.Null(store.FindCategory("no-such-category"));
        Assert.Null(store.FindDepartment("no-such-department"));
    }

    [Fact]
    public async Task Loading_twice_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var (store, loader) = await MigrateAsync(dataSource);
        await loader.LoadAsync(Ct);
        var before = await RowVersionsAsync(dataSource);

        var second = await loader.LoadAsync(CatalogueFiles.ReadEmbedded(), Ct);

        Assert.True(second.Unchanged, second.ToString());
        var after = await RowVersionsAsync(dataSource);
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before, after); // same rows, same xmin (never rewritten), same updated_at
        Assert.Equal(CatalogueFiles.ReadEmbedded().Categories.Count, store.Categories.Count);
    }

    [Fact]
    public async Task A_changed_file_updates_only_the_changed_rows_and_keeps_database_only_state()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var (store, loader) = await MigrateAsync(dataSource);
        var files = CatalogueFiles.ReadEmbedded();
        await loader.LoadAsync(files, Ct);
        await dataSource.ExecuteAsync("update catalogue.categories set retired_at = now(), replaced_by = 'ud-sewer' where id = 'ud-sewage-discharge'");
        await dataSource.ExecuteAsync("""
            insert into catalogue.categories (id, name, department_id, resolution_level, sla_l1_days, sla_l2_days, sla_l3_days, sla_l4_days, source)
            values ('ud-hoarding', 'Unauthorised hoarding', 'urban-development', 'UrbanLocalBody', 7, 7, 7, 7, 'admin')
            """);
        var changed = files with
        {
            Categories = [.. files.Categories.Select(c => c.Id == "ud-streetlight" ? c with { Sla = new SlaPolicy([3, 3, 3, 3]) } : c)],
        };

        var result = await loader.LoadAsync(changed, Ct);

        Assert.Equal(new CatalogueLoadResult(0, 0, 0, 0, 0, 0, 1), result);
        Assert.Equal([3, 3, 3, 3], store.FindCategory("ud-streetlight")!.Sla.LevelDays);
        Assert.True(store.IsRetired("ud-sewage-discharge"));
        Assert.DoesNotContain(store.Categories, c => c.Id == "ud-sewage-discharge");
        Assert.NotNull(store.FindCategory("ud-sewage-discharge")); // in-flight grievances can still be escalated
        Assert.Contains(store.Categories, c => c.Id == "ud-hoarding");
    }

    [Fact]
    public async Task The_catalogue_follows_the_database_when_refreshed()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var (store, loader) = await MigrateAsync(dataSource);
        await loader.LoadAsync(Ct);
        var before = store.Categories.Count;

        await dataSource.ExecuteAsync("update catalogue.categories set name = 'Street light dark' where id = 'ud-streetlight'");
        await dataSource.ExecuteAsync("update catalogue.department_seats set title = 'Sub-Divisional Magistrate' where department_id = 'revenue' and kind = 'Tehsil'");
        await dataSource.ExecuteAsync("update catalogue.categories set retired_at = now() where id = 'ud-weeds'");
        Assert.Equal("Street light not working", store.FindCategory("ud-streetlight")!.Name); // a snapshot until refreshed
        await store.RefreshAsync(Ct);

        Assert.Equal("Street light dark", store.FindCategory("ud-streetlight")!.Name);
        Assert.Equal("Sub-Divisional Magistrate", store.FindDepartment("revenue")!.SeatTitles[JurisdictionKind.Tehsil]);
        Assert.Equal(before - 1, store.Categories.Count);
        var updatedAt = await dataSource.ScalarAsync<DateTime>("select updated_at from catalogue.categories where id = 'ud-streetlight'");
        var createdAt = await dataSource.ScalarAsync<DateTime>("select created_at from catalogue.categories where id = 'ud-streetlight'");
        Assert.True(updatedAt > createdAt, "updated_at follows edits");
    }

    [Fact]
    public async Task A_seat_dropped_from_the_files_is_deleted_but_not_while_a_category_resolves_there()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var (store, loader) = await MigrateAsync(dataSource);
        var files = CatalogueFiles.ReadEmbedded();
        await loader.LoadAsync(files, Ct);

        // The energy department loses its urban seat while en-outage-urban still resolves there: the load is refused whole.
        var withoutUrbanSeat = WithoutSeat(files, "energy", JurisdictionKind.UrbanLocalBody);
        await Assert.ThrowsAsync<PostgresException>(() => loader.LoadAsync(withoutUrbanSeat, Ct));
        Assert.True(store.FindDepartment("energy")!.SeatTitles.ContainsKey(JurisdictionKind.UrbanLocalBody));

        // Once the category moves to the tehsil seat, the seat goes.
        var moved = withoutUrbanSeat with
        {
            Categories = [.. withoutUrbanSeat.Categories.Select(c => c.Id == "en-outage-urban" ? c with { ResolutionLevel = JurisdictionKind.Tehsil } : c)],
        };
        var result = await loader.LoadAsync(moved, Ct);

        Assert.Equal(new CatalogueLoadResult(0, 0, 0, 0, 1, 0, 1), result);
        Assert.False(store.FindDepartment("energy")!.SeatTitles.ContainsKey(JurisdictionKind.UrbanLocalBody));
        Assert.Equal(JurisdictionKind.Tehsil, store.FindCategory("en-outage-urban")!.ResolutionLevel);
    }

    [Fact]
    public async Task The_module_registers_schema_loader_and_catalogue_once()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused"));
        services.AddCatalogueModule().AddCatalogueModule();
        await using var provider = services.BuildServiceProvider();

        // Its changes are shared data: the event log's schema and the shared-data follower (loader 0) come with it.
        Assert.Equal([("events", 1), ("catalogue", 20)], provider.GetServices<IModuleSchema>().Select(s => (s.Schema, s.Order)).OrderBy(s => s.Order));
        Assert.Equal([0, 20], provider.GetServices<IReferenceDataLoader>().Select(l => l.Order).Order());
        Assert.Equal(["catalogue"], provider.GetServices<ISharedDataArea>().Select(a => a.Area));
        Assert.Same(provider.GetRequiredService<ICatalogue>(), provider.GetRequiredService<ICatalogue>());
        Assert.Empty(provider.GetRequiredService<ICatalogue>().Departments);
    }

    private static async Task<(CatalogueStore Store, CatalogueLoader Loader)> MigrateAsync(NpgsqlDataSource dataSource)
    {
        await new DatabaseMigrator(dataSource, [new Helpline.Platform.Events.EventsSchema(), new CatalogueSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
        var store = new CatalogueStore(dataSource);
        return (store, new CatalogueLoader(dataSource, store, NullLogger<CatalogueLoader>.Instance));
    }

    private static CatalogueData WithoutSeat(CatalogueData data, string departmentId, JurisdictionKind kind) => data with
    {
        Departments =
        [
            .. data.Departments.Select(d => d.Id != departmentId
                ? d
                : d with { SeatTitles = d.SeatTitles.Where(s => s.Key != kind).ToDictionary(s => s.Key, s => s.Value) }),
        ],
    };

    private static async Task<List<string>> RowVersionsAsync(NpgsqlDataSource dataSource)
    {
        const string sql = """
            select 'department ' || id || ' ' || xmin::text || ' ' || updated_at::text from catalogue.departments
            union all
            select 'seat ' || department_id || '/' || kind || ' ' || xmin::text || ' ' || updated_at::text from catalogue.department_seats
            union all
            select 'category ' || id || ' ' || xmin::text || ' ' || updated_at::text from catalogue.categories
            order by 1
            """;
        var rows = new List<string>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string table) =>
        await dataSource.ScalarAsync<long>($"select count(*) from {table}");

}
