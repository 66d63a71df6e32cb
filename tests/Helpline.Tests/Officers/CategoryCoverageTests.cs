using Helpline.Catalogue;
using Helpline.Jurisdictions;

namespace Helpline.Tests.Officers;

/// <summary>
/// The Officers module's coverage check for remaps, over UP's jurisdictions and the roster generated from
/// <see cref="FakeCatalogue.Standard"/> (energy has no seats; urban development none at division level).
/// </summary>
public sealed class CategoryCoverageTests(LoadedRoster loaded) : IClassFixture<LoadedRoster>
{
    private readonly ICategoryCoverage _coverage = Assert.Single(loaded.Host.Get<IEnumerable<ICategoryCoverage>>());

    [Fact]
    public void A_department_with_no_seat_on_the_way_up_leaves_every_block_uncovered_and_the_first_are_named()
    {
        var uncovered = _coverage.Uncovered("rd-pension-delay", "rural-development", JurisdictionKind.Block, "energy", JurisdictionKind.District);

        Assert.NotNull(uncovered);
        Assert.StartsWith("828 place(s) where 'rd-pension-delay' is routed today would find no energy seat at District level or above", uncovered, StringComparison.Ordinal);
        Assert.Equal(5, uncovered.Split("(block:").Length - 1);
    }

    [Fact]
    public void A_seat_above_the_new_level_on_the_way_up_covers_a_place()
    {
        // Blocks lie beside tehsils: a block matter moved to revenue's tehsil level reaches the district magistrate.
        Assert.Null(_coverage.Uncovered("rd-pension-delay", "rural-development", JurisdictionKind.Block, "revenue", JurisdictionKind.Tehsil));
        // Urban development has no division seat: the walk goes on to its state seat.
        Assert.Null(_coverage.Uncovered("rev-mutation-delay", "revenue", JurisdictionKind.Tehsil, "urban-development", JurisdictionKind.Division));
        Assert.Null(_coverage.Uncovered("urb-sanitation", "urban-development", JurisdictionKind.UrbanLocalBody, "rural-development", JurisdictionKind.Block));
    }

    [Fact]
    public void Only_the_places_of_the_current_level_count()
    {
        // Energy has no seats anywhere, so a category of it routes nowhere today and nothing can become uncovered.
        Assert.Null(_coverage.Uncovered("energy-billing", "energy", JurisdictionKind.District, "urban-development", JurisdictionKind.UrbanLocalBody));
        // Revenue's district seats are not where a tehsil matter is routed: only its tehsils are checked.
        Assert.Null(_coverage.Uncovered("rev-mutation-delay", "revenue", JurisdictionKind.Tehsil, "rural-development", JurisdictionKind.District));
    }
}
