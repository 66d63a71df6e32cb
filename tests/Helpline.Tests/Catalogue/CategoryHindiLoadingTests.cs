using Helpline.Catalogue;
using Helpline.Platform.Database;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Helpline.Tests.Catalogue;

/// <summary>
/// The shipped Hindi names against a real PostgreSQL database with the catalogue schema alone: loaded for every shipped
/// category, written once, and never over an administrator's Hindi name, also on a database loaded before the
/// categories had Hindi names.
/// </summary>
public sealed class CategoryHindiLoadingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_loading_every_shipped_category_has_its_hindi_name_and_loading_again_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var (store, loader, _) = await StartAsync(dataSource);
        var files = CatalogueFiles.ReadEmbedded();

        foreach (var expected in files.Categories)
        {
            Assert.Equal(expected.NameHindi, store.FindCategory(expected.Id)?.NameHindi);
        }

        Assert.Equal(files.Categories.Count, await CountAsync(dataSource, "select count(*) from catalogue.categories where name_hindi is not null"));
        Assert.True((await loader.LoadAsync(files, Ct)).Unchanged);
    }

    [Fact]
    public async Task On_a_database_loaded_without_hindi_names_the_shipped_names_arrive_and_an_administrators_stays()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var (store, loader, admin) = await StartAsync(dataSource, withHindi: false);
        Assert.All(store.Categories, c => Assert.Null(c.NameHindi));
        // Changes recorded while the categories had no Hindi name: a rename that gives one, and a remap that cannot.
        await admin.RenameAsync("rev-mutation-delay", "Mutation delayed", "दाखिल खारिज में देरी", null, null, "admin-1", "Plain words", Ct);
        await admin.RemapAsync("rd-pmayg-not-sanctioned", "panchayati-raj", null, null, "admin-1", null, Ct);

        var files = CatalogueFiles.ReadEmbedded();
        var result = await loader.LoadAsync(files, Ct);

        Assert.Equal(files.Categories.Count, result.CategoriesUpdated);
        var otherSilo = new CatalogueStore(dataSource, new FakeTimeProvider(T0));
        await otherSilo.RefreshAsync(Ct);
        foreach (var catalogue in new[] { store, otherSilo })
        {
            Assert.Equal("दाखिल खारिज में देरी", catalogue.FindCategory("rev-mutation-delay")!.NameHindi);
            var remapped = catalogue.FindCategory("rd-pmayg-not-sanctioned")!;
            Assert.Equal("panchayati-raj", remapped.DepartmentId);
            Assert.Equal(files.Categories.Single(c => c.Id == "rd-pmayg-not-sanctioned").NameHindi, remapped.NameHindi);
            Assert.All(catalogue.Categories, c => Assert.False(string.IsNullOrWhiteSpace(c.NameHindi), c.Id));
        }

        Assert.True((await loader.LoadAsync(files, Ct)).Unchanged);
        Assert.Equal("दाखिल खारिज में देरी", store.FindCategory("rev-mutation-delay")!.NameHindi);
    }

    [Fact]
    public async Task A_newer_shipped_hindi_name_replaces_the_shipped_one_but_not_an_administrators()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var (store, loader, admin) = await StartAsync(dataSource);
        await admin.RenameAsync("rev-mutation-delay", "Mutation delayed", "दाखिल खारिज में देरी", null, null, "admin-1", null, Ct);
        var files = CatalogueFiles.ReadEmbedded();
        var newer = files with
        {
            Categories = [.. files.Categories.Select(c => c.Id is "rev-mutation-delay" or "rev-varasat-entry" ? c with { NameHindi = c.NameHindi + " (संशोधित)" } : c)],
        };

        var result = await loader.LoadAsync(newer, Ct);

        Assert.Equal(2, result.CategoriesUpdated); // both base rows follow the file...
        Assert.Equal("दाखिल खारिज में देरी", store.FindCategory("rev-mutation-delay")!.NameHindi); // ...the administrator's name stays in force
        Assert.Equal("खतौनी में वरासत दर्ज नहीं हुई (संशोधित)", store.FindCategory("rev-varasat-entry")!.NameHindi);
    }

    private static async Task<(CatalogueStore Store, CatalogueLoader Loader, CategoryAdministration Admin)> StartAsync(NpgsqlDataSource dataSource, bool withHindi = true)
    {
        await new DatabaseMigrator(dataSource, [new Helpline.Platform.Events.EventsSchema(), new CatalogueSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
        var clock = new FakeTimeProvider(T0);
        var store = new CatalogueStore(dataSource, clock);
        var loader = new CatalogueLoader(dataSource, store, NullLogger<CatalogueLoader>.Instance);
        var files = CatalogueFiles.ReadEmbedded();
        await loader.LoadAsync(withHindi ? files : files with { Categories = [.. files.Categories.Select(c => c with { NameHindi = null })] }, Ct);
        return (store, loader, new CategoryAdministration(dataSource, store, [], NullLogger<CategoryAdministration>.Instance, clock));
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
