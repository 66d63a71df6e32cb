using Helpline.Jurisdictions;
using Helpline.Jurisdictions.Loading;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Jurisdictions;

public sealed class JurisdictionLoadTests
{
    private static readonly Jurisdiction[] Boston =
    [
        new("area:boston-dorchester", "Dorchester", JurisdictionKind.Area, "city:boston", null),
        new("city:boston", "Boston", JurisdictionKind.City, null, null),
        new("area:boston-roxbury", "Roxbury", JurisdictionKind.Area, "city:boston", null),
    ];

    [Fact]
    public async Task Loading_twice_writes_nothing_the_second_time()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await ReferenceDataHost.StartAsync(database);
        var loader = host.Get<JurisdictionsLoader>();

        var first = await loader.LoadWithResultAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2036, first.Write.Inserted);
        Assert.Equal(0, first.Write.Updated);
        var rejected = Assert.Single(first.Rejected);
        Assert.Equal("lgd_up_urban_local_bodies.csv", rejected.File);
        Assert.Contains("297046", rejected.Reason, StringComparison.Ordinal);
        var versions = await host.RowVersionsAsync("jurisdictions.jurisdiction");

        var second = await loader.LoadWithResultAsync(TestContext.Current.CancellationToken);
        Assert.False(second.Write.Changed);
        Assert.Equal(versions, await host.RowVersionsAsync("jurisdictions.jurisdiction"));
        Assert.Equal(2036L, await host.ScalarAsync<long>("select count(*) from jurisdictions.jurisdiction"));
    }

    [Fact]
    public async Task A_changed_or_stray_row_is_put_back_to_match_the_files()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await ReferenceDataHost.StartAsync(database);
        await host.LoadAllAsync();

        await host.ExecuteAsync(
            """
            update jurisdictions.jurisdiction set name = 'WRONG' where id = 'district:162';
            insert into jurisdictions.jurisdiction (id, name, kind, parent_id, path)
              values ('block:999999', 'Gone', 'Block', 'district:162', array['state:9', 'division:lucknow', 'district:162', 'block:999999']);
            """);

        var result = await host.Get<JurisdictionsLoader>().LoadWithResultAsync(TestContext.Current.CancellationToken);
        Assert.Equal(new(0, 1, 1), result.Write);
        Assert.Equal("LUCKNOW", host.Get<IJurisdictionDirectory>().Find("district:162")!.Name);
        Assert.Null(host.Get<IJurisdictionDirectory>().Find("block:999999"));
    }

    [Fact]
    public async Task The_directory_is_read_back_from_the_database()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var first = await ReferenceDataHost.StartAsync(database))
        {
            await first.LoadAllAsync();
            await first.Get<IJurisdictionRegistry>().UpsertAsync(Boston, TestContext.Current.CancellationToken);
        }

        // A second process: its loader only knows the UP files, yet its directory also has Boston, from the database.
        await using var second = await ReferenceDataHost.StartAsync(database);
        Assert.Empty(second.Get<IJurisdictionDirectory>().Roots);
        await second.LoadAllAsync();
        var directory = second.Get<IJurisdictionDirectory>();
        Assert.Equal(["state:9", "city:boston"], directory.Roots.Select(r => r.Id));
        Assert.Equal(["Dorchester", "Roxbury"], directory.ChildrenOf("city:boston").Select(a => a.Name));
        Assert.Equal(2036L + 3, await second.ScalarAsync<long>("select count(*) from jurisdictions.jurisdiction"));
    }

    [Fact]
    public async Task The_registry_adds_and_updates_an_imported_city()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await ReferenceDataHost.StartAsync(database);
        await host.LoadAllAsync();
        var registry = host.Get<IJurisdictionRegistry>();
        var directory = host.Get<IJurisdictionDirectory>();

        await registry.UpsertAsync(Boston, TestContext.Current.CancellationToken);
        Assert.Equal(JurisdictionKind.City, directory.Find("city:boston")!.Kind);
        Assert.Equal(["area:boston-roxbury", "city:boston"], directory.PathToRoot("area:boston-roxbury").Select(j => j.Id));
        Assert.True(directory.IsWithin("area:boston-dorchester", "city:boston"));
        var versions = await host.RowVersionsAsync("jurisdictions.jurisdiction");

        await registry.UpsertAsync(Boston, TestContext.Current.CancellationToken);
        Assert.Equal(versions, await host.RowVersionsAsync("jurisdictions.jurisdiction"));

        await registry.UpsertAsync(
            [new Jurisdiction("area:boston-roxbury", "Roxbury Crossing", JurisdictionKind.Area, "city:boston", null)],
            TestContext.Current.CancellationToken);
        Assert.Equal("Roxbury Crossing", directory.Find("area:boston-roxbury")!.Name);
        Assert.Equal(
            "Roxbury Crossing",
            await host.ScalarAsync<string>("select name from jurisdictions.jurisdiction where id = 'area:boston-roxbury'"));

        // Reloading Uttar Pradesh leaves other roots alone.
        await host.LoadAllAsync();
        Assert.NotNull(directory.Find("city:boston"));
        Assert.Equal(2, directory.ChildrenOf("city:boston").Count);
    }

    [Fact]
    public async Task The_registry_refuses_what_would_not_be_a_tree()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await ReferenceDataHost.StartAsync(database);
        await host.LoadAllAsync();
        var registry = host.Get<IJurisdictionRegistry>();
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<InvalidDataException>(() => registry.UpsertAsync(
            [new Jurisdiction("area:nowhere", "Nowhere", JurisdictionKind.Area, "city:unknown", null)], ct));
        await Assert.ThrowsAsync<InvalidDataException>(() => registry.UpsertAsync(
            [
                new Jurisdiction("area:a", "A", JurisdictionKind.Area, "area:b", null),
                new Jurisdiction("area:b", "B", JurisdictionKind.Area, "area:a", null),
            ], ct));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.UpsertAsync([Boston[1], Boston[1]], ct));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.UpsertAsync(
            [new Jurisdiction(" ", "Blank", JurisdictionKind.City, null, null)], ct));

        Assert.Equal(2036L, await host.ScalarAsync<long>("select count(*) from jurisdictions.jurisdiction"));
        Assert.Null(host.Get<IJurisdictionDirectory>().Find("area:nowhere"));
    }

    [Fact]
    public async Task Embedded_files_are_the_published_ones()
    {
        var published = Path.GetFullPath(Path.Combine(ShippedFiles.RepositoryRoot, "..", "shared", "data", "lgd"));
        if (!Directory.Exists(published))
        {
            Assert.Skip("the shared data directory is not present on this machine: " + published);
        }

        foreach (var file in new[] { "lgd_up_districts.csv", "lgd_up_subdistricts_tehsils.csv", "lgd_up_blocks.csv", "lgd_up_urban_local_bodies.csv", "up_divisions.csv" })
        {
            var shipped = await File.ReadAllBytesAsync(Path.Combine(ShippedFiles.DataDirectory, file), TestContext.Current.CancellationToken);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(published, file), TestContext.Current.CancellationToken), shipped);
        }
    }
}
