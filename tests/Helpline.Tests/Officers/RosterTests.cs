using System.Diagnostics;
using System.Text.RegularExpressions;
using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Jurisdictions.Loading;
using Helpline.Officers;
using Helpline.Officers.Roster;
using Helpline.Platform.Errors;
using Helpline.Tests.Infrastructure;
using Helpline.Tests.Jurisdictions;

namespace Helpline.Tests.Officers;

public sealed partial class RosterTests
{
    [GeneratedRegex("^OFF-[0-9]{6}$")]
    private static partial Regex OfficerIdPattern();

    [GeneratedRegex("^[6-9][0-9]{9}$")]
    private static partial Regex MobilePattern();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<string>> OfficerRowsAsync(ReferenceDataHost host)
    {
        var rows = new List<string>();
        await using var cmd = host.DataSource.CreateCommand("select id, name, mobile, position_id from officers.officer order by id");
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add($"{reader.GetString(0)}|{reader.GetString(1)}|{reader.GetString(2)}|{reader.GetString(3)}");
        }

        return rows;
    }

    [Fact]
    public async Task One_position_per_department_seat_and_one_fake_officer_per_position()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await LoadedRoster.StartAsync(database, FakeCatalogue.Standard());
        await host.LoadAllAsync();

        // Expected seats from the tree itself: for each department, the nodes whose kind has a seat title.
        var jurisdictions = host.Get<IJurisdictionDirectory>();
        var nodes = new List<Jurisdiction>();
        for (var queue = new Queue<Jurisdiction>(jurisdictions.Roots); queue.TryDequeue(out var node);)
        {
            nodes.Add(node);
            foreach (var child in jurisdictions.ChildrenOf(node.Id))
            {
                queue.Enqueue(child);
            }
        }

        var expected = FakeCatalogue.Standard().Departments
            .SelectMany(d => nodes.Where(n => d.SeatTitles.ContainsKey(n.Kind)).Select(n => $"{d.Id}@{n.Id}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(FakeCatalogue.StandardPositionCount, expected.Count);

        var roster = host.Get<OfficerDirectory>().Current;
        Assert.Equal(expected, roster.Positions.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count, roster.OfficerCount);
        Assert.Equal((long)expected.Count, await host.ScalarAsync<long>("select count(*) from officers.position"));
        Assert.Equal((long)expected.Count, await host.ScalarAsync<long>("select count(*) from officers.officer"));

        var officers = roster.Officers.OrderBy(o => o.Id, StringComparer.Ordinal).ToList();
        Assert.All(officers, o =>
        {
            Assert.Matches(OfficerIdPattern(), o.Id);
            Assert.Matches(MobilePattern(), o.Mobile);
            Assert.StartsWith("9999", o.Mobile, StringComparison.Ordinal);
            Assert.Equal(2, o.Name.Split(' ').Length);
            Assert.Equal(o, roster.PostedHolderOf(o.PositionId!));
        });
        Assert.Equal(officers.Count, officers.Select(o => o.Mobile).Distinct().Count());
        Assert.Equal("OFF-000001", officers[0].Id);
        Assert.Equal($"OFF-{expected.Count:D6}", officers[^1].Id);
        Assert.True(officers.Select(o => o.Name).Distinct().Count() > 500, "names should vary");

        var directory = host.Get<IOfficerDirectory>();
        Assert.Equal(
            ["revenue@district:162", "rural-development@district:162", "urban-development@district:162"],
            directory.PositionsAt("district:162").Select(p => p.Id));
        Assert.Empty(directory.PositionsAt("nowhere"));
        Assert.Equal(officers[0], directory.FindOfficer("OFF-000001"));
        Assert.Null(directory.FindOfficer("OFF-999999"));
        Assert.Null(directory.FindPosition("revenue@block:1330"));
    }

    [Fact]
    public async Task Loading_again_skips_the_write_and_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await LoadedRoster.StartAsync(database, FakeCatalogue.Standard());
        await host.LoadAllAsync();
        var positions = await host.RowVersionsAsync("officers.position");
        var officers = await host.RowVersionsAsync("officers.officer");

        var again = await host.Get<OfficersLoader>().LoadWithResultAsync(Ct);
        Assert.True(again.Write.Skipped);
        Assert.Equal(FakeCatalogue.StandardPositionCount, again.PositionsInDirectory);
        Assert.Equal(positions, await host.RowVersionsAsync("officers.position"));
        Assert.Equal(officers, await host.RowVersionsAsync("officers.officer"));

        // Forcing a full write (hash forgotten) still writes no row: every generated row already matches.
        await host.ExecuteAsync("delete from officers.roster_load");
        var forced = await host.Get<OfficersLoader>().LoadWithResultAsync(Ct);
        Assert.False(forced.Write.Skipped);
        Assert.Equal(0, forced.Write.NewOfficers);
        Assert.Equal(positions, await host.RowVersionsAsync("officers.position"));
        Assert.Equal(officers, await host.RowVersionsAsync("officers.officer"));
    }

    [Fact]
    public async Task Generation_is_deterministic_across_fresh_databases()
    {
        await using var first = await TestDatabase.CreateAsync();
        await using var second = await TestDatabase.CreateAsync();
        await using var a = await LoadedRoster.StartAsync(first, FakeCatalogue.Standard());
        await using var b = await LoadedRoster.StartAsync(second, FakeCatalogue.Standard());
        await a.LoadAllAsync();
        await b.LoadAllAsync();

        var rowsA = await OfficerRowsAsync(a);
        Assert.Equal(FakeCatalogue.StandardPositionCount, rowsA.Count);
        Assert.Equal(rowsA, await OfficerRowsAsync(b));
        Assert.Equal(a.Get<IRoutingService>().Route("rd-pension-delay", "block:1330"), b.Get<IRoutingService>().Route("rd-pension-delay", "block:1330"));
    }

    [Fact]
    public async Task A_new_department_adds_seats_and_officers_without_renumbering_existing_ones()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var before = await LoadedRoster.StartAsync(database, FakeCatalogue.Standard()))
        {
            await before.LoadAllAsync();
        }

        var health = new Department("health", "Medical Health", null, new Dictionary<JurisdictionKind, string>
        {
            [JurisdictionKind.State] = "Director General, Medical Health",
            [JurisdictionKind.District] = "Chief Medical Officer",
        });
        var catalogue = new FakeCatalogue([.. FakeCatalogue.Standard().Departments, health], FakeCatalogue.StandardCategories);
        await using var after = await LoadedRoster.StartAsync(database, catalogue);
        var holdersBefore = await after.ScalarAsync<string>(
            "select string_agg(id || '>' || position_id, ',' order by id) from officers.officer");

        await after.Get<JurisdictionsLoader>().LoadAsync(Ct);
        var result = await after.Get<OfficersLoader>().LoadWithResultAsync(Ct);
        Assert.False(result.Write.Skipped);
        Assert.Equal(76, result.Write.NewOfficers);
        Assert.Equal(FakeCatalogue.StandardPositionCount + 76, result.OfficersInDirectory);
        Assert.Equal(
            holdersBefore,
            await after.ScalarAsync<string>(
                $"select string_agg(id || '>' || position_id, ',' order by id) from officers.officer where id <= 'OFF-{FakeCatalogue.StandardPositionCount:D6}'"));
        var cmo = after.Get<IOfficerDirectory>().HolderOf("health@district:162");
        Assert.NotNull(cmo);
        Assert.True(string.CompareOrdinal(cmo.Id, $"OFF-{FakeCatalogue.StandardPositionCount:D6}") > 0);
        Assert.Equal("health@state:9", after.Get<IOfficerDirectory>().SupervisorOf("health@district:162")!.Position.Id);
    }

    [Fact]
    public async Task A_generated_holder_stays_when_an_administrator_changed_only_the_seat_and_the_roster_is_generated_again()
    {
        await using var database = await TestDatabase.CreateAsync();
        const string seat = "revenue@district:162";
        string holder;
        await using (var before = await LoadedRoster.StartAsync(database, FakeCatalogue.Standard()))
        {
            await before.LoadAllAsync();
            holder = before.Get<IOfficerDirectory>().HolderOf(seat)!.Id;

            // What setOfficePhone writes: the seat becomes the administrators', its holder is left as generated.
            await before.ExecuteAsync($"update officers.position set office_phone = '05222234567', origin = 'admin' where id = '{seat}'");
        }

        var health = new Department("health", "Medical Health", null, new Dictionary<JurisdictionKind, string>
        {
            [JurisdictionKind.District] = "Chief Medical Officer",
        });
        await using var after = await LoadedRoster.StartAsync(database, new FakeCatalogue([.. FakeCatalogue.Standard().Departments, health], FakeCatalogue.StandardCategories));
        await after.Get<JurisdictionsLoader>().LoadAsync(Ct);
        var result = await after.Get<OfficersLoader>().LoadWithResultAsync(Ct);

        Assert.False(result.Write.Skipped); // the roster changed, so it was written again
        Assert.Equal(holder, after.Get<IOfficerDirectory>().HolderOf(seat)?.Id);
        Assert.Equal(seat, await after.ScalarAsync<string>($"select position_id from officers.officer where id = '{holder}'"));
    }

    [Fact]
    public async Task A_vacant_seat_has_no_route_and_escalation_passes_over_it()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await LoadedRoster.StartAsync(database, FakeCatalogue.Standard());
        await host.LoadAllAsync();

        await host.ExecuteAsync(
            "delete from officers.officer where position_id in ('rural-development@block:1330', 'rural-development@district:162')");
        var reload = await host.Get<OfficersLoader>().LoadWithResultAsync(Ct);
        Assert.True(reload.Write.Skipped);

        var directory = host.Get<IOfficerDirectory>();
        Assert.Null(directory.HolderOf("rural-development@block:1330"));
        var error = Assert.Throws<HelplineException>(() => host.Get<IRoutingService>().Route("rd-pension-delay", "block:1330"));
        Assert.Equal(OfficerErrorCodes.NoRoute, error.Code);
        Assert.Equal("rural-development@division:lucknow", directory.SupervisorOf("rural-development@block:1330")!.Position.Id);
    }

    [Fact]
    public async Task Ten_thousand_seats_load_in_a_few_seconds()
    {
        // Five departments with a seat at every UP level: 5 x 2,036 = 10,180 positions and as many officers.
        var everyLevel = new Dictionary<JurisdictionKind, string>
        {
            [JurisdictionKind.State] = "Director",
            [JurisdictionKind.Division] = "Joint Director",
            [JurisdictionKind.District] = "District Officer",
            [JurisdictionKind.Tehsil] = "Tehsil Officer",
            [JurisdictionKind.Block] = "Block Officer",
            [JurisdictionKind.UrbanLocalBody] = "Town Officer",
        };
        var departments = Enumerable.Range(1, 5).Select(i => new Department($"dept-{i}", $"Department {i}", null, everyLevel)).ToList();
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await LoadedRoster.StartAsync(database, new FakeCatalogue(departments, []));

        var clock = Stopwatch.StartNew();
        await host.LoadAllAsync();
        var firstLoad = clock.Elapsed;
        var officers = host.Get<OfficersLoader>();
        var second = await officers.LoadWithResultAsync(Ct);
        Assert.Equal(10_180, second.PositionsInDirectory);
        Assert.Equal(10_180, second.OfficersInDirectory);
        Assert.True(second.Write.Skipped);

        await host.ExecuteAsync("delete from officers.roster_load");
        var forced = await officers.LoadWithResultAsync(Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"roster load timings: first load of jurisdictions + officers {firstLoad.TotalMilliseconds:F0} ms; unchanged officers reload {second.Elapsed.TotalMilliseconds:F0} ms; forced rewrite check {forced.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(firstLoad < TimeSpan.FromSeconds(15), $"first load took {firstLoad}");
        Assert.True(second.Elapsed < TimeSpan.FromSeconds(5), $"unchanged reload took {second.Elapsed}");
    }
}
