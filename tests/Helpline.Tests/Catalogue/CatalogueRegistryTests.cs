using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Database;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Catalogue;

/// <summary>The run-time catalogue registry against a real, fresh PostgreSQL database holding the shipped catalogue.</summary>
public sealed class CatalogueRegistryTests
{
    private static readonly SlaPolicy Week = new([7, 7, 7, 7]);

    private static readonly Department PublicWorks = new("boston-public-works", "Public Works Department", null, new Dictionary<JurisdictionKind, string>
    {
        [JurisdictionKind.City] = "Commissioner of Public Works",
        [JurisdictionKind.Area] = "District Manager",
    });

    private static readonly Department Transportation = new("boston-transportation", "Transportation Department", null, new Dictionary<JurisdictionKind, string>
    {
        [JurisdictionKind.City] = "Commissioner of Transportation",
    });

    private static readonly Category Pothole =
        new("boston-pothole-a1b2c3", "Request for Pothole Repair", "boston-public-works", JurisdictionKind.Area, new SlaPolicy([3, 7, 7, 7]), "Boston 311 case type (boston import)");

    private static readonly Category Streetlight =
        new("boston-streetlight-d4e5f6", "Street Light Outages", "boston-public-works", JurisdictionKind.Area, Week, "Boston 311 case type (boston import)");

    private static readonly Category Parking =
        new("boston-parking-0f9e8d", "Parking Enforcement", "boston-transportation", JurisdictionKind.City, Week, "Boston 311 case type (boston import)");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upserted_departments_and_categories_are_visible_when_the_call_returns()
    {
        await using var host = await Host.StartAsync();
        var catalogue = host.Get<ICatalogue>();
        var shipped = catalogue.Categories.Count;

        await host.Registry.UpsertAsync([PublicWorks, Transportation], [Pothole, Parking], Ct);

        var works = catalogue.FindDepartment("boston-public-works");
        Assert.NotNull(works);
        Assert.Equal("Public Works Department", works.Name);
        Assert.Equal(PublicWorks.SeatTitles.OrderBy(s => s.Key), works.SeatTitles.OrderBy(s => s.Key));
        var pothole = catalogue.FindCategory(Pothole.Id);
        Assert.NotNull(pothole);
        Assert.Equal((Pothole.Name, Pothole.DepartmentId, JurisdictionKind.Area, Pothole.Source), (pothole.Name, pothole.DepartmentId, pothole.ResolutionLevel, pothole.Source));
        Assert.Equal([3, 7, 7, 7], pothole.Sla.LevelDays);
        Assert.Equal(shipped + 2, catalogue.Categories.Count);
        Assert.Equal(
            "boston-public-works=import,boston-transportation=import",
            await host.ScalarAsync<string>("select string_agg(id || '=' || origin, ',' order by id) from catalogue.departments where id like 'boston-%'"));
        Assert.Equal(
            2L, await host.ScalarAsync<long>("select count(*) from catalogue.categories where origin = 'import'"));
        Assert.Equal(
            0L, await host.ScalarAsync<long>("select count(*) from catalogue.departments where origin = 'import' and id not like 'boston-%'"));

        // A later call may add a category to a department stored earlier, or to a shipped one, without naming it.
        var noisyNeighbour = new Category("boston-noise-112233", "Noise complaint", "home-police", JurisdictionKind.District, Week, "Boston 311");
        await host.Registry.UpsertAsync([], [Streetlight, noisyNeighbour], Ct);
        Assert.NotNull(catalogue.FindCategory(Streetlight.Id));
        Assert.Equal("home-police", catalogue.FindCategory(noisyNeighbour.Id)!.DepartmentId);
    }

    [Fact]
    public async Task Upserting_the_same_rows_again_rewrites_nothing_and_a_change_rewrites_only_what_changed()
    {
        await using var host = await Host.StartAsync();
        await host.Registry.UpsertAsync([PublicWorks, Transportation], [Pothole, Streetlight, Parking], Ct);
        var before = await host.RowVersionsAsync();

        await host.Registry.UpsertAsync([PublicWorks, Transportation], [Pothole, Streetlight, Parking], Ct);
        Assert.Equal(before, await host.RowVersionsAsync()); // same rows, same xmin and updated_at

        // Untrimmed names are stored trimmed, so they compare equal too.
        await host.Registry.UpsertAsync([PublicWorks with { Name = "  Public Works Department " }], [], Ct);
        Assert.Equal(before, await host.RowVersionsAsync());

        // The given seat titles replace the department's seats: here the Area seat is renamed and the City seat goes.
        var renamedSeats = PublicWorks with
        {
            SeatTitles = new Dictionary<JurisdictionKind, string> { [JurisdictionKind.Area] = "Area Supervisor" },
        };
        await host.Registry.UpsertAsync([renamedSeats], [Pothole with { Name = "Pothole repair" }], Ct);
        var after = await host.RowVersionsAsync();
        var changed = after.Except(before).Select(r => r.Split(' ')[0] + " " + r.Split(' ')[1]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["category boston-pothole-a1b2c3", "seat boston-public-works/Area"], changed);
        var gone = before.Except(after).Select(r => r.Split(' ')[0] + " " + r.Split(' ')[1]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["category boston-pothole-a1b2c3", "seat boston-public-works/Area", "seat boston-public-works/City"], gone);
        var catalogue = host.Get<ICatalogue>();
        Assert.Equal([JurisdictionKind.Area], catalogue.FindDepartment("boston-public-works")!.SeatTitles.Keys);
        Assert.Equal("Area Supervisor", catalogue.FindDepartment("boston-public-works")!.SeatTitles[JurisdictionKind.Area]);
        Assert.Equal("Pothole repair", catalogue.FindCategory(Pothole.Id)!.Name);
    }

    [Fact]
    public async Task A_refused_call_names_the_offending_id_and_stores_nothing()
    {
        await using var host = await Host.StartAsync();
        await host.Registry.UpsertAsync([Transportation], [Parking], Ct);
        var before = await host.RowVersionsAsync();
        var catalogue = host.Get<ICatalogue>();
        var registry = host.Registry;

        async Task RefusedAsync(string offendingId, IReadOnlyList<Department> departments, IReadOnlyList<Category> categories)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => registry.UpsertAsync(departments, categories, Ct));
            Assert.Contains($"'{offendingId}'", error.Message, StringComparison.Ordinal);
        }

        // Each call also carries a valid department, so that "nothing stored" means something.
        await RefusedAsync("Boston PWD", [PublicWorks, PublicWorks with { Id = "Boston PWD" }], []);
        await RefusedAsync("boston--works", [PublicWorks, PublicWorks with { Id = "boston--works" }], []);
        await RefusedAsync("boston_pothole", [PublicWorks], [Pothole with { Id = "boston_pothole" }]);
        await RefusedAsync("boston-public-works", [PublicWorks, PublicWorks], []);
        await RefusedAsync(Pothole.Id, [PublicWorks], [Pothole, Pothole]);
        await RefusedAsync("boston-public-works", [PublicWorks with { Name = " " }], []);
        await RefusedAsync("boston-public-works", [PublicWorks with { SeatTitles = new Dictionary<JurisdictionKind, string> { [JurisdictionKind.Area] = "" } }], []);
        await RefusedAsync("boston-public-works", [PublicWorks with { SeatTitles = new Dictionary<JurisdictionKind, string> { [(JurisdictionKind)42] = "X" } }], []);
        await RefusedAsync(Pothole.Id, [PublicWorks], [Pothole with { DepartmentId = "boston-parks" }]);
        await RefusedAsync(Pothole.Id, [PublicWorks], [Pothole with { ResolutionLevel = JurisdictionKind.Tehsil }]);
        await RefusedAsync(Parking.Id, [PublicWorks], [Parking with { ResolutionLevel = JurisdictionKind.Area }]); // stored department, no Area seat
        await RefusedAsync(Pothole.Id, [PublicWorks], [Pothole with { Sla = new SlaPolicy([7, 7, 7]) }]);
        await RefusedAsync(Pothole.Id, [PublicWorks], [Pothole with { Sla = new SlaPolicy([7, 0, 7, 7]) }]);
        await RefusedAsync(Pothole.Id, [PublicWorks], [Pothole with { Sla = new SlaPolicy([7, 7, 7, 7, 7]) }]);
        await RefusedAsync(Pothole.Id, [PublicWorks], [Pothole with { Sla = new SlaPolicy([366, 7, 7, 7]) }]);
        await RefusedAsync(Pothole.Id, [PublicWorks], [Pothole with { Name = "" }]);
        await RefusedAsync(Pothole.Id, [PublicWorks], [Pothole with { Source = " " }]);
        await RefusedAsync(Pothole.Id, [PublicWorks], [Pothole with { ResolutionLevel = (JurisdictionKind)42 }]);

        // Shipped rows are not the registry's to change.
        var revenue = catalogue.FindDepartment("revenue")!;
        await RefusedAsync("revenue", [PublicWorks, revenue with { Name = "Revenue (imported)" }], []);
        var mutation = catalogue.FindCategory("rev-mutation-delay")!;
        await RefusedAsync("rev-mutation-delay", [PublicWorks], [mutation with { Sla = Week }]);

        // A seat may not be taken away while a stored category still resolves there (the City seat of Parking).
        await RefusedAsync(
            "boston-transportation",
            [PublicWorks, Transportation with { SeatTitles = new Dictionary<JurisdictionKind, string> { [JurisdictionKind.Area] = "Area Engineer" } }],
            []);

        Assert.Equal(before, await host.RowVersionsAsync());
        Assert.Null(catalogue.FindDepartment("boston-public-works"));
        Assert.Null(catalogue.FindCategory(Pothole.Id));
        Assert.Equal("Revenue Department", catalogue.FindDepartment("revenue")!.Name);

        // ... but it may go when the same call moves the category elsewhere.
        var moved = Transportation with { SeatTitles = new Dictionary<JurisdictionKind, string> { [JurisdictionKind.Area] = "Area Engineer" } };
        await registry.UpsertAsync([moved], [Parking with { ResolutionLevel = JurisdictionKind.Area }], Ct);
        Assert.Equal([JurisdictionKind.Area], catalogue.FindDepartment("boston-transportation")!.SeatTitles.Keys);
        await Assert.ThrowsAsync<ArgumentNullException>(() => registry.UpsertAsync(null!, [], Ct));
    }

    [Fact]
    public async Task The_loader_run_again_leaves_imported_rows_alone()
    {
        await using var host = await Host.StartAsync();
        await host.Registry.UpsertAsync([PublicWorks, Transportation], [Pothole, Streetlight, Parking], Ct);
        var imported = await host.RowVersionsAsync("import");
        var all = await host.RowVersionsAsync();

        var again = await host.Loader.LoadAsync(CatalogueFiles.ReadEmbedded(), Ct);
        Assert.True(again.Unchanged, again.ToString());
        Assert.Equal(all, await host.RowVersionsAsync());

        // Even files that ship the same ids (and a category for that department) do not touch the imported rows.
        var files = CatalogueFiles.ReadEmbedded();
        var clash = files with
        {
            Departments = [.. files.Departments, PublicWorks with { Name = "Shipped Works", SeatTitles = new Dictionary<JurisdictionKind, string> { [JurisdictionKind.District] = "Works Officer" } }],
            Categories =
            [
                .. files.Categories,
                Pothole with { Name = "Shipped pothole", DepartmentId = "revenue", ResolutionLevel = JurisdictionKind.Tehsil },
                new Category("works-shipped", "Shipped works category", "boston-public-works", JurisdictionKind.District, Week, "files"),
            ],
        };
        var clashed = await host.Loader.LoadAsync(clash, Ct);
        Assert.True(clashed.Unchanged, clashed.ToString());
        Assert.Equal(imported, await host.RowVersionsAsync("import"));
        Assert.Equal(all, await host.RowVersionsAsync());
        var catalogue = host.Get<ICatalogue>();
        Assert.Equal("Public Works Department", catalogue.FindDepartment("boston-public-works")!.Name);
        Assert.Equal("boston-public-works", catalogue.FindCategory(Pothole.Id)!.DepartmentId);
        Assert.Null(catalogue.FindCategory("works-shipped"));

        // A fresh process (store empty until loaded) reads the imported rows back from the database.
        await using var second = await Host.StartAsync(host.Database, load: false);
        Assert.Null(second.Get<ICatalogue>().FindDepartment("boston-public-works"));
        await second.Loader.LoadAsync(Ct);
        Assert.NotNull(second.Get<ICatalogue>().FindCategory(Streetlight.Id));
        Assert.Equal(all, await second.RowVersionsAsync());
    }

    [Fact]
    public async Task Concurrent_calls_from_two_processes_all_succeed_and_agree()
    {
        await using var host = await Host.StartAsync();
        await using var other = await Host.StartAsync(host.Database, load: false);
        var categories = Enumerable.Range(0, 24)
            .Select(i => new Category($"boston-case-{i}", $"Case type {i}", "boston-public-works", JurisdictionKind.Area, Week, "Boston 311"))
            .ToList();

        // Every call carries the department (seats replaced each time) and a few categories, some shared with other calls;
        // when a call returns, its process sees what it wrote.
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(
            async () =>
            {
                var process = i % 2 == 0 ? host : other;
                Category[] mine = [categories[2 * i], categories[(2 * i + 1) % 24], categories[(2 * i + 2) % 24]];
                await process.Registry.UpsertAsync([PublicWorks], mine, Ct);
                Assert.All(mine, c => Assert.NotNull(process.Get<ICatalogue>().FindCategory(c.Id)));
            },
            Ct)));

        Assert.Equal(24L, await host.ScalarAsync<long>("select count(*) from catalogue.categories where department_id = 'boston-public-works'"));
        Assert.Equal(2L, await host.ScalarAsync<long>("select count(*) from catalogue.department_seats where department_id = 'boston-public-works'"));
        foreach (var process in new[] { host, other })
        {
            await process.Get<CatalogueStore>().RefreshAsync(Ct); // another process's writes arrive at the next refresh
            Assert.All(categories, c => Assert.NotNull(process.Get<ICatalogue>().FindCategory(c.Id)));
        }
    }

    [Fact]
    public async Task The_module_registers_the_registry_once_as_a_singleton()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused"));
        services.AddCatalogueModule().AddCatalogueModule();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.Single(services, s => s.ServiceType == typeof(ICatalogueRegistry));
        Assert.Same(provider.GetRequiredService<ICatalogueRegistry>(), provider.GetRequiredService<ICatalogueRegistry>());
        await provider.GetRequiredService<ICatalogueRegistry>().UpsertAsync([], [], Ct); // nothing to do: no database touched
    }

    /// <summary>The catalogue module over one test database, migrated and (unless told otherwise) loaded.</summary>
    private sealed class Host : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly NpgsqlDataSource _dataSource;
        private readonly bool _ownsDatabase;

        private Host(TestDatabase database, bool ownsDatabase, ServiceProvider services, NpgsqlDataSource dataSource)
        {
            Database = database;
            _ownsDatabase = ownsDatabase;
            _services = services;
            _dataSource = dataSource;
        }

        public TestDatabase Database { get; }

        public ICatalogueRegistry Registry => Get<ICatalogueRegistry>();

        public CatalogueLoader Loader => _services.GetServices<IReferenceDataLoader>().OfType<CatalogueLoader>().Single();

        public static async Task<Host> StartAsync(TestDatabase? database = null, bool load = true)
        {
            var owns = database is null;
            database ??= await TestDatabase.CreateAsync();
            var dataSource = database.CreateDataSource();
            var services = new ServiceCollection()
                .AddLogging()
                .AddSingleton(dataSource)
                .AddSingleton<DatabaseMigrator>()
                .AddCatalogueModule()
                .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
            var host = new Host(database, owns, services, dataSource);
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
            if (load)
            {
                await host.Loader.LoadAsync(Ct);
            }

            return host;
        }

        public T Get<T>()
            where T : notnull => _services.GetRequiredService<T>();

        public Task<T> ScalarAsync<T>(string sql) => _dataSource.ScalarAsync<T>(sql);

        /// <summary>Every catalogue row with its xmin and updated_at: equal before and after means nothing was rewritten.</summary>
        /// <param name="origin">Only rows of this origin (seats: of departments of this origin); null for all.</param>
        public async Task<List<string>> RowVersionsAsync(string? origin = null)
        {
            const string sql = """
                select 'department ' || id || ' ' || xmin::text || ' ' || updated_at::text from catalogue.departments
                where $1::text is null or origin = $1
                union all
                select 'seat ' || s.department_id || '/' || s.kind || ' ' || s.xmin::text || ' ' || s.updated_at::text
                from catalogue.department_seats s join catalogue.departments d on d.id = s.department_id
                where $1::text is null or d.origin = $1
                union all
                select 'category ' || id || ' ' || xmin::text || ' ' || updated_at::text from catalogue.categories
                where $1::text is null or origin = $1
                order by 1
                """;
            var rows = new List<string>();
            await using var command = _dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = origin });
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                rows.Add(reader.GetString(0));
            }

            return rows;
        }

        public async ValueTask DisposeAsync()
        {
            await _services.DisposeAsync();
            await _dataSource.DisposeAsync();
            if (_ownsDatabase)
            {
                await Database.DisposeAsync();
            }
        }
    }
}
