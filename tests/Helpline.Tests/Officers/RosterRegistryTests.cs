using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Officers.Roster;
using Helpline.Officers.Routing;
using Helpline.Platform.Errors;
using Helpline.Platform.SharedData;
using Helpline.Tests.Infrastructure;
using Helpline.Tests.Jurisdictions;

namespace Helpline.Tests.Officers;

/// <summary>The run-time roster registry against a real, fresh database with UP's roster generated from a small catalogue.</summary>
public sealed class RosterRegistryTests
{
    private const string Works = "boston-public-works";
    private const string City = "city:boston";
    private const string Roxbury = "area:boston:roxbury";
    private const string Dorchester = "area:boston:dorchester";

    private static readonly string[] AreaSlugs = ["roxbury", "dorchester", "back-bay", "charlestown", "south-end"];

    private static readonly Position Commissioner = new($"{Works}@{City}", "Commissioner", Works, City, null);
    private static readonly Position RoxburyManager = new($"{Works}@{Roxbury}", "District Manager", Works, Roxbury, Commissioner.Id);
    private static readonly Position DorchesterManager = new($"{Works}@{Dorchester}", "District Manager", Works, Dorchester, Commissioner.Id);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int FirstImportNumber => FakeCatalogue.StandardPositionCount + 1;

    [Fact]
    public async Task Missing_seats_are_inserted_and_held_by_generated_import_officers_visible_on_return()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await StartAsync(database);
        var directory = host.Get<IOfficerDirectory>();

        // Given in any order: the supervisor may come after the seat it supervises.
        await host.Get<IRosterRegistry>().EnsureSeatsAsync([RoxburyManager, Commissioner, DorchesterManager], Ct);

        var holders = new[] { RoxburyManager, Commissioner, DorchesterManager }.Select(p => directory.HolderOf(p.Id)).ToList();
        for (var i = 0; i < holders.Count; i++)
        {
            var number = FirstImportNumber + i; // numbered after the highest in use, in the order given
            var holder = holders[i];
            Assert.NotNull(holder);
            Assert.Equal((FakeIdentity.OfficerId(number), FakeIdentity.Name(number), FakeIdentity.Mobile(number)), (holder.Id, holder.Name, holder.Mobile));
            Assert.StartsWith("9999", holder.Mobile, StringComparison.Ordinal);
            Assert.Equal(holder, directory.FindOfficer(holder.Id));
        }

        Assert.Equal(RoxburyManager, directory.FindPosition(RoxburyManager.Id));

        // What it read back holds its own change, so the shared-data follower does not read the roster again for it.
        var roster = host.Get<IEnumerable<ISharedDataArea>>().Single(a => a.Area == "roster");
        var change = await host.ScalarAsync<long>("select max(position) from events.event_log where stream = 'shared-data' and stream_key = 'roster'");
        Assert.True(roster.HeldThrough >= change, $"The roster is held through {roster.HeldThrough}, before its change at {change}.");
        Assert.Equal(Commissioner.Id, directory.SupervisorOf(RoxburyManager.Id)!.Position.Id);
        Assert.Null(directory.SupervisorOf(Commissioner.Id));
        Assert.Equal([RoxburyManager.Id], directory.PositionsAt(Roxbury).Select(p => p.Id));
        Assert.Equal("3 import, 3 import", await host.ScalarAsync<string>(
            """
            select (select count(*) || ' ' || string_agg(distinct origin, ',') from officers.position where id like 'boston-%') || ', ' ||
                   (select count(*) || ' ' || string_agg(distinct origin, ',') from officers.officer where position_id like 'boston-%')
            """));
    }

    [Fact]
    public async Task Seats_it_adds_join_its_copy_without_a_read_of_the_whole_roster_while_the_copy_holds_every_earlier_change()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await StartAsync(database);
        var registry = host.Get<IRosterRegistry>();
        var directory = host.Get<OfficerDirectory>();
        await registry.EnsureSeatsAsync([Commissioner], Ct);

        // A seat written into the table with no roster change published: only a read of the whole roster shows it.
        var backBay = new Position($"{Works}@area:boston:back-bay", "District Manager", Works, "area:boston:back-bay", Commissioner.Id);
        await host.ExecuteAsync(
            $"insert into officers.position (id, title, department_id, jurisdiction_id, supervisor_position_id, origin) values ('{backBay.Id}', 'District Manager', '{Works}', '{backBay.JurisdictionId}', '{Commissioner.Id}', 'import')");

        await registry.EnsureSeatsAsync([RoxburyManager], Ct);

        Assert.Null(directory.FindPosition(backBay.Id));
        Assert.Equal(RoxburyManager, directory.FindPosition(RoxburyManager.Id));
        Assert.Equal(FakeIdentity.OfficerId(FirstImportNumber + 1), directory.HolderOf(RoxburyManager.Id)?.Id);
        Assert.Equal([RoxburyManager.Id], directory.SubordinatesOf(Commissioner.Id).Select(p => p.Id));
        var change = await host.ScalarAsync<long>("select max(position) from events.event_log where stream = 'shared-data' and stream_key = 'roster'");
        Assert.Equal(change, directory.HeldThrough);

        // A change it has not read (made elsewhere, through the change after its own): nothing is added to the copy.
        Assert.False(directory.TryAdd(change + 1, change + 2, [DorchesterManager], []));
        Assert.True(directory.TryAdd(0, change, [DorchesterManager], [])); // held already: nothing to add
        Assert.Null(directory.FindPosition(DorchesterManager.Id));

        // Nor when the rows disagree with the copy: a holder for a seat it holds taken, or for a seat it does not know.
        Assert.False(directory.TryAdd(change, change + 1, [], [new Officer("OFF-999990", "X", "9999999990", RoxburyManager.Id)]));
        Assert.False(directory.TryAdd(change, change + 1, [], [new Officer("OFF-999991", "Y", "9999999991", backBay.Id)]));
        Assert.Equal(change, directory.HeldThrough);

        // So a copy that misses a change is read again whole by the next addition, the unpublished seat with it.
        await using (var connection = await host.DataSource.OpenConnectionAsync(Ct))
        await using (var tx = await connection.BeginTransactionAsync(Ct))
        {
            await SharedDataChanges.PublishAsync(connection, tx, "roster", "a change made on another silo", DateTimeOffset.UtcNow, Ct);
            await tx.CommitAsync(Ct);
        }

        await registry.EnsureSeatsAsync([DorchesterManager], Ct);

        Assert.Equal(backBay, directory.FindPosition(backBay.Id));
        Assert.NotNull(directory.HolderOf(DorchesterManager.Id));
        Assert.Equal(
            await host.ScalarAsync<long>("select max(position) from events.event_log where stream = 'shared-data' and stream_key = 'roster'"),
            directory.HeldThrough);
    }

    [Fact]
    public async Task A_second_call_writes_nothing_existing_seats_are_left_as_they_are_and_vacant_ones_are_filled()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await StartAsync(database);
        var registry = host.Get<IRosterRegistry>();
        var directory = host.Get<IOfficerDirectory>();
        await registry.EnsureSeatsAsync([Commissioner, RoxburyManager, DorchesterManager], Ct);
        var positions = await host.RowVersionsAsync("officers.position");
        var officers = await host.RowVersionsAsync("officers.officer");

        await registry.EnsureSeatsAsync([Commissioner, RoxburyManager, DorchesterManager], Ct);
        await registry.EnsureSeatsAsync([Commissioner with { Title = "Chief Engineer" }, RoxburyManager with { SupervisorPositionId = null }], Ct);
        Assert.Equal(positions, await host.RowVersionsAsync("officers.position"));
        Assert.Equal(officers, await host.RowVersionsAsync("officers.officer"));
        Assert.Equal("Commissioner", directory.FindPosition(Commissioner.Id)!.Title);
        Assert.Equal(Commissioner.Id, directory.FindPosition(RoxburyManager.Id)!.SupervisorPositionId);

        // A seat whose holder left (an imported one, and a generated UP one) gets a new officer with the next number.
        await host.ExecuteAsync($"delete from officers.officer where position_id in ('{RoxburyManager.Id}', 'rural-development@block:1330')");
        await registry.EnsureSeatsAsync([RoxburyManager, FakeBdo()], Ct);
        Assert.Equal(FakeIdentity.OfficerId(FirstImportNumber + 3), directory.HolderOf(RoxburyManager.Id)!.Id);
        Assert.Equal(FakeIdentity.OfficerId(FirstImportNumber + 4), directory.HolderOf("rural-development@block:1330")!.Id);
        Assert.Equal("generated", await host.ScalarAsync<string>("select origin from officers.position where id = 'rural-development@block:1330'"));
        Assert.Equal("import", await host.ScalarAsync<string>("select origin from officers.officer where position_id = 'rural-development@block:1330'"));

        // Another process whose call finds nothing to write still refreshes when its directory does not show the seat.
        await using var other = await StartAsync(database);
        var backBay = new Position($"{Works}@area:boston:back-bay", "District Manager", Works, "area:boston:back-bay", Commissioner.Id);
        await registry.EnsureSeatsAsync([backBay], Ct);
        Assert.Null(other.Get<IOfficerDirectory>().FindPosition(backBay.Id)); // a snapshot, until...
        var otherPositions = await host.RowVersionsAsync("officers.position");
        await other.Get<IRosterRegistry>().EnsureSeatsAsync([backBay], Ct);
        Assert.Equal(otherPositions, await host.RowVersionsAsync("officers.position"));
        Assert.Equal(directory.HolderOf(backBay.Id), other.Get<IOfficerDirectory>().HolderOf(backBay.Id));
    }

    [Fact]
    public async Task A_refused_call_names_the_position_and_stores_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await StartAsync(database);
        var registry = host.Get<IRosterRegistry>();
        await registry.EnsureSeatsAsync([Commissioner], Ct);
        var positions = await host.RowVersionsAsync("officers.position");
        var officers = await host.RowVersionsAsync("officers.officer");

        async Task RefusedAsync(string named, params Position[] given)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => registry.EnsureSeatsAsync(given, Ct));
            Assert.Contains($"'{named}'", error.Message, StringComparison.Ordinal);
        }

        // Each call also carries a valid new seat, so that "nothing stored" means something.
        await RefusedAsync("", RoxburyManager, DorchesterManager with { Id = "" });
        await RefusedAsync(" ", RoxburyManager, DorchesterManager with { Id = " " });
        await RefusedAsync(DorchesterManager.Id, RoxburyManager, DorchesterManager with { Title = " " });
        await RefusedAsync(DorchesterManager.Id, RoxburyManager, DorchesterManager with { DepartmentId = "" });
        await RefusedAsync("boston-works-dorchester", RoxburyManager, DorchesterManager with { Id = "boston-works-dorchester" });
        await RefusedAsync(DorchesterManager.Id, RoxburyManager, DorchesterManager, DorchesterManager);
        await RefusedAsync(DorchesterManager.Id, RoxburyManager, DorchesterManager with { SupervisorPositionId = DorchesterManager.Id });
        await RefusedAsync("boston-public-works@city:nowhere", RoxburyManager, DorchesterManager with { SupervisorPositionId = "boston-public-works@city:nowhere" });
        var a = new Position($"{Works}@area:boston:a", "A", Works, "area:boston:a", $"{Works}@area:boston:b");
        var b = new Position($"{Works}@area:boston:b", "B", Works, "area:boston:b", $"{Works}@area:boston:a");
        await RefusedAsync(a.Id, RoxburyManager, a, b);
        await Assert.ThrowsAsync<ArgumentException>(() => registry.EnsureSeatsAsync([RoxburyManager, null!], Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => registry.EnsureSeatsAsync(null!, Ct));

        Assert.Equal(positions, await host.RowVersionsAsync("officers.position"));
        Assert.Equal(officers, await host.RowVersionsAsync("officers.officer"));
        Assert.Null(host.Get<IOfficerDirectory>().FindPosition(RoxburyManager.Id));
    }

    [Fact]
    public async Task The_UP_loader_never_touches_import_rows_and_numbers_its_new_officers_after_theirs()
    {
        await using var database = await TestDatabase.CreateAsync();
        var health = new Department("health", "Medical Health", null, new Dictionary<JurisdictionKind, string>
        {
            [JurisdictionKind.State] = "Director General, Medical Health",
            [JurisdictionKind.District] = "Chief Medical Officer",
        });
        string importRows;
        await using (var before = await StartAsync(database))
        {
            var registry = before.Get<IRosterRegistry>();
            await registry.EnsureSeatsAsync([Commissioner, RoxburyManager, DorchesterManager], Ct);

            // An imported seat that the generator will also produce later, and an import officer in a generated seat
            // that the generator will drop.
            await registry.EnsureSeatsAsync([new Position("health@district:162", "CMO (imported)", "health", "district:162", null)], Ct);
            await before.ExecuteAsync("delete from officers.officer where position_id = 'rural-development@block:1330'");
            await registry.EnsureSeatsAsync([FakeBdo()], Ct);
            importRows = await ImportRowsAsync(before);
        }

        // Next start: health added, rural development gone.
        var catalogue = new FakeCatalogue(
            [FakeCatalogue.Energy, FakeCatalogue.Revenue, FakeCatalogue.UrbanDevelopment, health, BostonWorks],
            [.. FakeCatalogue.StandardCategories.Where(c => c.DepartmentId != "rural-development")]);
        await using var after = await StartAsync(database, catalogue, load: false);
        await after.Get<Helpline.Jurisdictions.Loading.JurisdictionsLoader>().LoadAsync(Ct);
        var result = await after.Get<OfficersLoader>().LoadWithResultAsync(Ct);

        Assert.False(result.Write.Skipped);
        Assert.Equal(importRows, await ImportRowsAsync(after)); // same rows, same xmin: never rewritten
        Assert.Equal(75, result.Write.NewOfficers); // 76 health seats, one of them already held by its import officer
        var newNumbers = await after.ScalarAsync<string>(
            "select min(id) || '..' || max(id) from officers.officer where position_id like 'health@%' and origin = 'generated'");
        Assert.Equal($"{FakeIdentity.OfficerId(FirstImportNumber + 5)}..{FakeIdentity.OfficerId(FirstImportNumber + 5 + 74)}", newNumbers);

        var directory = after.Get<IOfficerDirectory>();
        Assert.Equal("CMO (imported)", directory.FindPosition("health@district:162")!.Title);
        Assert.Equal(FakeIdentity.OfficerId(FirstImportNumber + 3), directory.HolderOf("health@district:162")!.Id);
        Assert.Equal("health@state:9", directory.FindPosition("health@district:118")!.SupervisorPositionId);

        // Rural development's generated seats went, except the one an import officer holds and the chain above it.
        Assert.Equal(
            ["rural-development@block:1330", "rural-development@district:162", "rural-development@division:lucknow", "rural-development@state:9"],
            await ListAsync(after, "select id from officers.position where department_id = 'rural-development' order by id"));
        Assert.Equal(
            [FakeIdentity.OfficerId(FirstImportNumber + 4)],
            await ListAsync(after, "select id from officers.officer where position_id like 'rural-development@%'"));
        Assert.Equal(directory.HolderOf(Commissioner.Id), directory.SupervisorOf(RoxburyManager.Id)!.Officer);

        // Loading again changes nothing.
        var again = await after.Get<OfficersLoader>().LoadWithResultAsync(Ct);
        Assert.True(again.Write.Skipped);
        await after.ExecuteAsync("delete from officers.roster_load");
        var forced = await after.Get<OfficersLoader>().LoadWithResultAsync(Ct);
        Assert.Equal((0, 0, 0), (forced.Write.NewOfficers, forced.Write.DeletedOfficers, forced.Write.DeletedPositions));
        Assert.Equal(importRows, await ImportRowsAsync(after));
    }

    [Fact]
    public async Task Concurrent_calls_for_overlapping_seats_from_two_processes_give_one_holder_per_seat()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var first = await StartAsync(database);
        await using var second = await StartAsync(database, load: false);
        await second.LoadAllAsync();
        var seats = AreaSlugs
            .Select(a => new Position($"{Works}@area:boston:{a}", "District Manager", Works, $"area:boston:{a}", Commissioner.Id))
            .Prepend(Commissioner)
            .ToList();

        // Sixteen calls, each for the city seat and two or three areas, half of them in each process.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(
            async () =>
            {
                var process = i % 2 == 0 ? first : second;
                List<Position> mine = [seats[1 + (i % 5)], seats[1 + ((i + 1) % 5)], .. i % 3 == 0 ? new[] { seats[1 + ((i + 3) % 5)] } : [], Commissioner];
                await process.Get<IRosterRegistry>().EnsureSeatsAsync(mine, Ct);
                Assert.All(mine, p => Assert.NotNull(process.Get<IOfficerDirectory>().HolderOf(p.Id)));
            },
            Ct)));

        Assert.Equal(6L, await first.ScalarAsync<long>($"select count(*) from officers.position where department_id = '{Works}'"));
        Assert.Equal(
            "6 holders for 6 seats",
            await first.ScalarAsync<string>(
                $"select count(*) || ' holders for ' || count(distinct position_id) || ' seats' from officers.officer where position_id like '{Works}@%'"));
        Assert.Equal(
            Enumerable.Range(FirstImportNumber, 6).Select(FakeIdentity.OfficerId).ToList(),
            await ListAsync(first, $"select id from officers.officer where position_id like '{Works}@%' order by id"));
    }

    [Fact]
    public async Task Routing_in_an_imported_world_goes_to_the_area_seat_or_from_the_city_to_the_city_seat()
    {
        // The real modules end to end, as an import uses them: jurisdictions, catalogue and roster registries, then routing.
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await ReferenceDataHost.StartAsync(database, services => services.AddCatalogueModule().AddOfficersModule());
        await host.LoadAllAsync();
        await host.Get<IJurisdictionRegistry>().UpsertAsync(
            [
                new Jurisdiction(City, "Boston", JurisdictionKind.City, null, null),
                new Jurisdiction(Roxbury, "Roxbury", JurisdictionKind.Area, City, null),
                new Jurisdiction(Dorchester, "Dorchester", JurisdictionKind.Area, City, null),
            ],
            Ct);
        await host.Get<ICatalogueRegistry>().UpsertAsync([BostonWorks], [Pothole], Ct);
        await host.Get<IRosterRegistry>().EnsureSeatsAsync([Commissioner, RoxburyManager], Ct); // no Dorchester seat
        var routing = host.Get<IRoutingService>();

        var fromArea = routing.Route(Pothole.Id, Roxbury);
        Assert.Equal(RoxburyManager.Id, fromArea.Position.Id);
        Assert.Equal("District Manager", fromArea.Position.Title);
        Assert.Equal(host.Get<IOfficerDirectory>().HolderOf(RoxburyManager.Id), fromArea.Officer);
        Assert.Equal(Commissioner.Id, host.Get<IOfficerDirectory>().SupervisorOf(fromArea.Position.Id)!.Position.Id);

        Assert.Equal(Commissioner.Id, routing.Route(Pothole.Id, City).Position.Id); // the root lies above the Area level
        Assert.Equal(Commissioner.Id, routing.Route(Pothole.Id, Dorchester).Position.Id); // no seat in the area: up to the city

        // The two worlds do not mix.
        Assert.Equal(OfficerErrorCodes.NoRoute, Assert.Throws<HelplineException>(() => routing.Route(Pothole.Id, "district:162")).Code);
        Assert.Equal(OfficerErrorCodes.NoRoute, Assert.Throws<HelplineException>(() => routing.Route("rev-mutation-delay", Roxbury)).Code);
        Assert.Equal("revenue@tehsil:820", routing.Route("rev-mutation-delay", "tehsil:820").Position.Id);
    }

    [Fact]
    public void Routing_ranks_an_imported_city_with_the_state_and_an_area_with_the_division()
    {
        Assert.True(RoutingService.Rank(JurisdictionKind.City) < RoutingService.Rank(JurisdictionKind.Area));
        Assert.Equal(RoutingService.Rank(JurisdictionKind.State), RoutingService.Rank(JurisdictionKind.City));
        Assert.Equal(RoutingService.Rank(JurisdictionKind.Division), RoutingService.Rank(JurisdictionKind.Area));
    }

    [Fact]
    public async Task The_module_registers_the_registry_as_a_singleton()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await StartAsync(database, load: false);
        Assert.Same(host.Get<IRosterRegistry>(), host.Get<IRosterRegistry>());
        Assert.IsType<RosterRegistry>(host.Get<IRosterRegistry>());
        await host.Get<IRosterRegistry>().EnsureSeatsAsync([], Ct);
    }

    private static Department BostonWorks { get; } = new(Works, "Public Works Department", null, new Dictionary<JurisdictionKind, string>
    {
        [JurisdictionKind.City] = "Commissioner",
        [JurisdictionKind.Area] = "District Manager",
    });

    private static Category Pothole { get; } =
        new("boston-pothole-a1b2c3", "Request for Pothole Repair", Works, JurisdictionKind.Area, new SlaPolicy([3, 7, 7, 7]), "Boston 311");

    /// <summary>The generated BDO seat of Chinhat block, as the generator makes it.</summary>
    private static Position FakeBdo() =>
        new("rural-development@block:1330", "Block Development Officer", "rural-development", "block:1330", "rural-development@district:162");

    /// <summary>UP's jurisdictions and the roster of <paramref name="catalogue"/> (default: the standard fake one and Boston's works department).</summary>
    private static async Task<ReferenceDataHost> StartAsync(TestDatabase database, ICatalogue? catalogue = null, bool load = true)
    {
        catalogue ??= new FakeCatalogue([.. FakeCatalogue.Standard().Departments, BostonWorks], [.. FakeCatalogue.StandardCategories, Pothole]);
        var host = await LoadedRoster.StartAsync(database, catalogue);
        if (load)
        {
            await host.LoadAllAsync();
        }

        return host;
    }

    private static Task<string> ImportRowsAsync(ReferenceDataHost host) => host.ScalarAsync<string>(
        """
        select coalesce((select string_agg(concat_ws('|', id, title, department_id, jurisdiction_id, supervisor_position_id, xmin::text), ',' order by id)
                         from officers.position where origin = 'import'), '')
               || ' / ' ||
               coalesce((select string_agg(concat_ws('|', id, name, mobile, position_id, xmin::text), ',' order by id)
                         from officers.officer where origin = 'import'), '')
        """);

    private static async Task<List<string>> ListAsync(ReferenceDataHost host, string sql)
    {
        var rows = new List<string>();
        await using var command = host.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
