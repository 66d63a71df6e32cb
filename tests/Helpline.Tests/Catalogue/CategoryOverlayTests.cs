using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Database;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Helpline.Tests.Catalogue;

/// <summary>
/// Administrative changes against the loader of the shipped files, on a database with the catalogue schema alone:
/// loading again, even files that say something else about a changed category, never overwrites them; another silo's
/// refresh sees them; and the in-memory view follows the clock.
/// </summary>
public sealed class CategoryOverlayTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Loading_the_shipped_files_again_leaves_administrative_changes_in_force()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var clock = new FakeTimeProvider(T0);
        var (store, loader, admin) = await StartAsync(dataSource, clock);
        // Files that gave panchayati raj a tehsil seat, which the administrator then uses (a remap and an added category).
        var files = CatalogueFiles.ReadEmbedded();
        await loader.LoadAsync(files with { Departments = [.. files.Departments.Select(d => d.Id != "panchayati-raj" ? d : d with { SeatTitles = new Dictionary<JurisdictionKind, string>(d.SeatTitles) { [JurisdictionKind.Tehsil] = "Tehsil Panchayat Officer" } })] }, Ct);
        await admin.RemapAsync("rev-varasat-entry", "panchayati-raj", null, null, "admin-1", null, Ct);
        await admin.AddAsync(new NewCategory("pr-pond-encroached", "Village pond encroached", "तालाब पर कब्जा", "panchayati-raj", JurisdictionKind.Tehsil, [7, 7, 7, 7], null), null, "admin-1", null, Ct);
        await admin.RenameAsync("rev-mutation-delay", "Mutation delayed", "दाखिल खारिज में देरी", ["dakhil kharij"], null, "admin-1", "Plain words", Ct);
        await admin.RemapAsync("rd-pmayg-not-sanctioned", "panchayati-raj", null, null, "admin-1", null, Ct);
        await admin.RetireAsync("rev-land-demarcation", null, null, "admin-1", null, Ct);
        await admin.AddAsync(new NewCategory("pr-handpump", "Hand pump", "हैंडपंप", "panchayati-raj", JurisdictionKind.Block, [7, 7, 7, 7], null), null, "admin-1", null, Ct);

        // Newer shipped files: other names and levels for the changed categories, and panchayati raj without the
        // tehsil seat that the administrator's remap and added category use.
        var changed = files with
        {
            Categories =
            [
                .. files.Categories.Select(c => c.Id switch
                {
                    "rev-mutation-delay" => c with { Name = "Shipped name" },
                    "rd-pmayg-not-sanctioned" => c with { ResolutionLevel = JurisdictionKind.District },
                    _ => c,
                }),
            ],
        };
        var result = await loader.LoadAsync(changed, Ct);
        Assert.Equal((2, 0), (result.CategoriesUpdated, result.SeatsDeleted)); // the base rows follow the files...

        // ...but what the administrator decided stays in force, here and on another silo reading the same database.
        var otherSilo = new CatalogueStore(dataSource, clock);
        await otherSilo.RefreshAsync(Ct);
        foreach (var catalogue in new[] { store, otherSilo })
        {
            var renamed = catalogue.FindCategory("rev-mutation-delay")!;
            Assert.Equal(("Mutation delayed", "दाखिल खारिज में देरी"), (renamed.Name, renamed.NameHindi));
            Assert.Equal(["dakhil kharij"], renamed.Keywords!);
            var remapped = catalogue.FindCategory("rd-pmayg-not-sanctioned")!;
            Assert.Equal(("panchayati-raj", JurisdictionKind.Block), (remapped.DepartmentId, remapped.ResolutionLevel));
            Assert.True(catalogue.IsRetired("rev-land-demarcation"));
            Assert.DoesNotContain(catalogue.Categories, c => c.Id == "rev-land-demarcation");
            Assert.Equal("Hand pump", catalogue.FindCategory("pr-handpump")!.Name);
            Assert.Equal("panchayati-raj", catalogue.FindCategory("rev-varasat-entry")!.DepartmentId);
            Assert.Equal("Village pond encroached", catalogue.FindCategory("pr-pond-encroached")!.Name);
            Assert.True(catalogue.FindDepartment("panchayati-raj")!.SeatTitles.ContainsKey(JurisdictionKind.Tehsil)); // kept: in use
        }

        Assert.True((await loader.LoadAsync(changed, Ct)).Unchanged);
    }

    [Fact]
    public async Task The_view_follows_the_clock_without_a_refresh()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var clock = new FakeTimeProvider(T0);
        var (store, _, admin) = await StartAsync(dataSource, clock);
        await admin.AddAsync(new NewCategory("pr-handpump", "Hand pump", "हैंडपंप", "panchayati-raj", JurisdictionKind.Block, [7, 7, 7, 7], null), T0.AddHours(1), "admin-1", null, Ct);
        await admin.RenameAsync("pr-handpump", "Hand pump broken", "हैंडपंप खराब", null, T0.AddHours(2), "admin-1", null, Ct);
        await admin.RetireAsync("pr-handpump", null, T0.AddHours(3), "admin-1", null, Ct);

        Assert.Null(store.FindCategory("pr-handpump"));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("Hand pump", store.FindCategory("pr-handpump")!.Name);
        Assert.Contains(store.Categories, c => c.Id == "pr-handpump");
        clock.Advance(TimeSpan.FromHours(1).Subtract(TimeSpan.FromTicks(10)));
        Assert.Equal("Hand pump", store.FindCategory("pr-handpump")!.Name);
        clock.Advance(TimeSpan.FromTicks(10));
        Assert.Equal("Hand pump broken", store.FindCategory("pr-handpump")!.Name);
        Assert.False(store.IsRetired("pr-handpump"));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(store.IsRetired("pr-handpump"));
        Assert.Equal("Hand pump broken", store.FindCategory("pr-handpump")!.Name); // still resolved for grievances under it
        Assert.DoesNotContain(store.Categories, c => c.Id == "pr-handpump");

        var history = await admin.ChangesAsync("pr-handpump", 10, Ct);
        Assert.Equal([CategoryChangeKind.Retire, CategoryChangeKind.Rename, CategoryChangeKind.Add], history.Select(h => h.Kind));
        Assert.Equal("Hand pump", history[1].Before!.Name);
        Assert.Equal("Hand pump broken", history[1].After.Name);
    }

    [Fact]
    public async Task Each_change_is_published_to_every_silo_in_its_transaction_and_a_retry_publishes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var (_, _, admin) = await StartAsync(dataSource, new FakeTimeProvider(T0));
        const string published = "select count(*) from events.event_log where stream = 'shared-data' and stream_key = 'catalogue'";
        var before = await dataSource.ScalarAsync<long>(published);

        await admin.RemapAsync("rd-pmayg-not-sanctioned", "panchayati-raj", null, null, "admin-1", null, Ct);
        await admin.RemapAsync("rd-pmayg-not-sanctioned", "panchayati-raj", null, null, "admin-1", null, Ct);
        await Assert.ThrowsAsync<Helpline.Platform.Errors.HelplineException>(
            () => admin.RemapAsync("rd-pmayg-not-sanctioned", "no-such-department", null, null, "admin-1", null, Ct));

        Assert.Equal(before + 1, await dataSource.ScalarAsync<long>(published));
        Assert.Equal(1L, await dataSource.ScalarAsync<long>("select count(*) from catalogue.category_change"));
    }

    private static async Task<(CatalogueStore Store, CatalogueLoader Loader, CategoryAdministration Admin)> StartAsync(NpgsqlDataSource dataSource, TimeProvider clock)
    {
        await new DatabaseMigrator(dataSource, [new Helpline.Platform.Events.EventsSchema(), new CatalogueSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
        var store = new CatalogueStore(dataSource, clock);
        var loader = new CatalogueLoader(dataSource, store, NullLogger<CatalogueLoader>.Instance);
        await loader.LoadAsync(Ct);
        return (store, loader, new CategoryAdministration(dataSource, store, [], NullLogger<CategoryAdministration>.Instance, clock));
    }
}
