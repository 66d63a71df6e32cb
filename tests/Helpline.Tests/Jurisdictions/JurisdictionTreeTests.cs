using Helpline.Jurisdictions;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Jurisdictions;

/// <summary>One database loaded once; the tests read it.</summary>
public sealed class LoadedJurisdictions : IAsyncLifetime
{
    private TestDatabase? _database;

    internal ReferenceDataHost Host { get; private set; } = null!;

    public IJurisdictionDirectory Directory => Host.Get<IJurisdictionDirectory>();

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Host = await ReferenceDataHost.StartAsync(_database);
        await Host.LoadAllAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class JurisdictionTreeTests(LoadedJurisdictions loaded) : IClassFixture<LoadedJurisdictions>
{
    private readonly IJurisdictionDirectory _directory = loaded.Directory;

    /// <summary>Expected nodes per kind, counted straight from the shipped files.</summary>
    private static Dictionary<JurisdictionKind, int> CountedFromFiles()
    {
        var districts = ShippedFiles.Rows("lgd_up_districts.csv");
        var mappedBodies = ShippedFiles.Rows("lgd_up_ulb_districts.csv").Select(r => r[0]).ToHashSet();
        return new Dictionary<JurisdictionKind, int>
        {
            [JurisdictionKind.State] = districts.Select(r => r[0]).Distinct().Count(),
            [JurisdictionKind.Division] = ShippedFiles.Rows("up_divisions.csv").Select(r => r[0]).Distinct().Count(),
            [JurisdictionKind.District] = districts.Count,
            [JurisdictionKind.Tehsil] = ShippedFiles.Rows("lgd_up_subdistricts_tehsils.csv").Count,
            [JurisdictionKind.Block] = ShippedFiles.Rows("lgd_up_blocks.csv").Count,
            // Column 2 of the ULB file is the LGD code; bodies without a district in the derived mapping are not loaded.
            [JurisdictionKind.UrbanLocalBody] = ShippedFiles.Rows("lgd_up_urban_local_bodies.csv").Count(r => mappedBodies.Contains(r[1])),
        };
    }

    private List<Jurisdiction> All()
    {
        var all = new List<Jurisdiction>();
        var queue = new Queue<Jurisdiction>(_directory.Roots);
        while (queue.TryDequeue(out var node))
        {
            all.Add(node);
            foreach (var child in _directory.ChildrenOf(node.Id))
            {
                queue.Enqueue(child);
            }
        }

        return all;
    }

    [Fact]
    public void Shipped_files_have_the_published_row_counts()
    {
        Assert.Equal(75, ShippedFiles.Rows("lgd_up_districts.csv").Count);
        Assert.Equal(352, ShippedFiles.Rows("lgd_up_subdistricts_tehsils.csv").Count);
        Assert.Equal(828, ShippedFiles.Rows("lgd_up_blocks.csv").Count);
        Assert.Equal(763, ShippedFiles.Rows("lgd_up_urban_local_bodies.csv").Count);
        Assert.Equal(75, ShippedFiles.Rows("up_divisions.csv").Count);
        Assert.Equal(762, ShippedFiles.Rows("lgd_up_ulb_districts.csv").Count);
        Assert.Equal(new Dictionary<JurisdictionKind, int>
        {
            [JurisdictionKind.State] = 1,
            [JurisdictionKind.Division] = 18,
            [JurisdictionKind.District] = 75,
            [JurisdictionKind.Tehsil] = 352,
            [JurisdictionKind.Block] = 828,
            [JurisdictionKind.UrbanLocalBody] = 762,
        }, CountedFromFiles());
    }

    [Fact]
    public async Task Directory_and_database_hold_as_many_nodes_of_each_kind_as_the_files()
    {
        var expected = CountedFromFiles();
        var inMemory = All().GroupBy(j => j.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected, inMemory);

        foreach (var (kind, count) in expected)
        {
            var stored = await loaded.Host.ScalarAsync<long>($"select count(*) from jurisdictions.jurisdiction where kind = '{kind}'");
            Assert.Equal(count, stored);
        }
    }

    [Fact]
    public void The_one_unplaceable_urban_local_body_is_left_out()
    {
        var mapped = ShippedFiles.Rows("lgd_up_ulb_districts.csv").Select(r => r[0]).ToHashSet();
        var unmapped = ShippedFiles.Rows("lgd_up_urban_local_bodies.csv").Where(r => !mapped.Contains(r[1])).ToList();
        var body = Assert.Single(unmapped);
        Assert.Equal("297046", body[1]);
        Assert.Null(_directory.Find("ulb:297046"));
    }

    [Fact]
    public void Uttar_Pradesh_is_the_root_with_eighteen_divisions_and_every_district_under_one()
    {
        var root = Assert.Single(_directory.Roots);
        Assert.Equal("state:9", root.Id);
        Assert.Equal(JurisdictionKind.State, root.Kind);
        Assert.Equal("9", root.LgdCode);
        Assert.Null(root.ParentId);

        var divisions = _directory.ChildrenOf("state:9");
        Assert.Equal(18, divisions.Count);
        Assert.All(divisions, d => Assert.Equal(JurisdictionKind.Division, d.Kind));

        var districtsUnderDivisions = divisions.SelectMany(d => _directory.ChildrenOf(d.Id)).ToList();
        Assert.All(districtsUnderDivisions, d => Assert.Equal(JurisdictionKind.District, d.Kind));
        Assert.Equal(75, districtsUnderDivisions.Select(d => d.Id).Distinct().Count());
        Assert.Equal(75, districtsUnderDivisions.Count);

        // Every row of up_divisions.csv: the district's parent is the division of that name.
        foreach (var row in ShippedFiles.Rows("up_divisions.csv"))
        {
            var district = _directory.Find("district:" + row[1]);
            Assert.NotNull(district);
            Assert.Equal(row[0], _directory.Find(district.ParentId!)!.Name);
        }
    }

    [Fact]
    public void Lucknow_district_is_in_Lucknow_division()
    {
        var lucknow = _directory.Find("district:162");
        Assert.NotNull(lucknow);
        Assert.Equal("LUCKNOW", lucknow.Name);
        Assert.Equal("division:lucknow", lucknow.ParentId);

        var division = _directory.Find("division:lucknow");
        Assert.NotNull(division);
        Assert.Equal("Lucknow", division.Name);
        Assert.Equal(
            ["HARDOI", "KHERI", "LUCKNOW", "RAE BARELI", "SITAPUR", "UNNAO"],
            _directory.ChildrenOf("division:lucknow").Select(d => d.Name));
        Assert.NotNull(_directory.Find("division:chitrakoot-dham-banda"));
    }

    [Fact]
    public void Tehsils_blocks_and_urban_local_bodies_sit_under_their_district()
    {
        foreach (var (file, prefix) in new[] { ("lgd_up_subdistricts_tehsils.csv", "tehsil:"), ("lgd_up_blocks.csv", "block:") })
        {
            foreach (var row in ShippedFiles.Rows(file))
            {
                // Column 4 is the district's LGD code, column 6 the unit's.
                var node = _directory.Find(prefix + row[5]);
                Assert.NotNull(node);
                Assert.Equal("district:" + row[3], node.ParentId);
            }
        }

        foreach (var row in ShippedFiles.Rows("lgd_up_ulb_districts.csv"))
        {
            var body = _directory.Find("ulb:" + row[0]);
            Assert.NotNull(body);
            Assert.Equal(JurisdictionKind.UrbanLocalBody, body.Kind);
            Assert.Equal("district:" + row[2], body.ParentId);
        }

        var lucknowChildren = _directory.ChildrenOf("district:162");
        Assert.Contains(lucknowChildren, c => c is { Id: "block:1330", Name: "CHINHAT", Kind: JurisdictionKind.Block });
        Assert.Contains(lucknowChildren, c => c is { Id: "tehsil:820", Name: "Bakshi Ka Talab", Kind: JurisdictionKind.Tehsil });
    }

    [Fact]
    public void Blocks_read_their_names_despite_the_messy_header()
    {
        var block = _directory.Find("block:803");
        Assert.NotNull(block);
        Assert.Equal("ACHHNERA", block.Name);
        Assert.Equal("803", block.LgdCode);
        Assert.All(All(), j => Assert.False(string.IsNullOrWhiteSpace(j.Name), j.Id));
    }

    [Fact]
    public void Paths_lead_from_a_block_to_the_state()
    {
        Assert.Equal(
            ["block:1330", "district:162", "division:lucknow", "state:9"],
            _directory.PathToRoot("block:1330").Select(j => j.Id));
        Assert.True(_directory.IsWithin("block:1330", "division:lucknow"));
        Assert.True(_directory.IsWithin("block:1330", "block:1330"));
        Assert.False(_directory.IsWithin("block:1330", "division:agra"));
        Assert.False(_directory.IsWithin("district:162", "block:1330"));
        Assert.Empty(_directory.PathToRoot("block:999999"));
        Assert.Empty(_directory.ChildrenOf("block:999999"));
        Assert.Null(_directory.Find("block:999999"));
        Assert.False(_directory.IsWithin("block:999999", "state:9"));
    }

    [Fact]
    public void Children_are_ordered_by_name()
    {
        var names = _directory.ChildrenOf("district:162").Select(c => c.Name).ToList();
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
    }

    [Fact]
    public async Task Stored_paths_run_from_the_root_to_the_node()
    {
        var path = await loaded.Host.ScalarAsync<string[]>("select path from jurisdictions.jurisdiction where id = 'block:1330'");
        Assert.Equal(["state:9", "division:lucknow", "district:162", "block:1330"], path);
        var withinLucknow = await loaded.Host.ScalarAsync<long>(
            "select count(*) from jurisdictions.jurisdiction where path @> array['division:lucknow']");
        Assert.Equal(_directory.ChildrenOf("division:lucknow").Sum(d => 1 + _directory.ChildrenOf(d.Id).Count) + 1, withinLucknow);
    }
}
