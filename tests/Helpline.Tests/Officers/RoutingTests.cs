using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Platform.Errors;

namespace Helpline.Tests.Officers;

public sealed class RoutingTests(LoadedRoster loaded) : IClassFixture<LoadedRoster>
{
    private readonly IRoutingService _routing = loaded.Host.Get<IRoutingService>();
    private readonly IOfficerDirectory _officers = loaded.Host.Get<IOfficerDirectory>();

    [Fact]
    public void A_block_matter_raised_in_a_block_goes_to_that_block()
    {
        var assignment = _routing.Route("rd-pension-delay", "block:1330");
        Assert.Equal("rural-development@block:1330", assignment.Position.Id);
        Assert.Equal("Block Development Officer", assignment.Position.Title);
        Assert.Equal("block:1330", assignment.Position.JurisdictionId);
        Assert.Equal(assignment.Position.Id, assignment.Officer.PositionId);
        Assert.Equal(_officers.HolderOf(assignment.Position.Id), assignment.Officer);
    }

    [Fact]
    public void A_tehsil_matter_raised_in_a_tehsil_goes_to_the_tehsildar()
    {
        var assignment = _routing.Route("rev-mutation-delay", "tehsil:820");
        Assert.Equal("revenue@tehsil:820", assignment.Position.Id);
        Assert.Equal("Tehsildar", assignment.Position.Title);
    }

    [Fact]
    public void A_tehsil_matter_given_a_block_goes_up_to_the_nearest_seat_the_district()
    {
        // Chinhat block lies beside the tehsils, not under one: the nearest revenue seat up its path is the DM's.
        var assignment = _routing.Route("rev-mutation-delay", "block:1330");
        Assert.Equal("revenue@district:162", assignment.Position.Id);
        Assert.Equal("District Magistrate", assignment.Position.Title);
    }

    [Fact]
    public void A_block_matter_given_a_district_goes_to_the_district_seat()
    {
        var assignment = _routing.Route("rd-pension-delay", "district:162");
        Assert.Equal("rural-development@district:162", assignment.Position.Id);
        Assert.Equal("Chief Development Officer", assignment.Position.Title);
    }

    [Fact]
    public void A_block_matter_given_a_division_goes_to_the_division_seat()
    {
        Assert.Equal("rural-development@division:lucknow", _routing.Route("rd-pension-delay", "division:lucknow").Position.Id);
        Assert.Equal("rural-development@state:9", _routing.Route("rd-pension-delay", "state:9").Position.Id);
    }

    [Fact]
    public void A_district_matter_given_a_block_goes_up_to_the_district_not_to_the_block()
    {
        Assert.Equal("rural-development@district:162", _routing.Route("rd-district-scheme", "block:1330").Position.Id);
    }

    [Fact]
    public void An_urban_matter_goes_to_the_body_or_from_a_block_up_to_the_district()
    {
        Assert.Equal("urban-development@ulb:249059", _routing.Route("urb-sanitation", "ulb:249059").Position.Id);
        Assert.Equal("urban-development@district:162", _routing.Route("urb-sanitation", "block:1330").Position.Id);
        // No division seat in urban development: from a division the nearest seat up is the state's.
        Assert.Equal("urban-development@state:9", _routing.Route("urb-sanitation", "division:lucknow").Position.Id);
    }

    [Fact]
    public void An_unknown_category_is_refused_with_its_code_and_field()
    {
        var error = Assert.Throws<HelplineException>(() => _routing.Route("no-such-category", "block:1330"));
        Assert.Equal(CatalogueErrorCodes.UnknownCategory, error.Code);
        Assert.Equal("categoryId", error.Field);
        Assert.Equal(CatalogueErrorCodes.UnknownCategory, Assert.Throws<HelplineException>(() => _routing.Route("", "block:1330")).Code);
    }

    [Fact]
    public void An_unknown_jurisdiction_is_refused_with_its_code_and_field()
    {
        var error = Assert.Throws<HelplineException>(() => _routing.Route("rd-pension-delay", "block:999999"));
        Assert.Equal(JurisdictionErrorCodes.UnknownJurisdiction, error.Code);
        Assert.Equal("jurisdictionId", error.Field);
        Assert.Equal(JurisdictionErrorCodes.UnknownJurisdiction, Assert.Throws<HelplineException>(() => _routing.Route("rd-pension-delay", " ")).Code);
    }

    [Fact]
    public void A_department_without_a_seat_on_the_path_has_no_route()
    {
        var error = Assert.Throws<HelplineException>(() => _routing.Route("energy-billing", "district:162"));
        Assert.Equal((OfficerErrorCodes.NoRoute, "jurisdictionId"), (error.Code, error.Field)); // issue 8, defect 7: it had no field
    }

    [Fact]
    public void The_supervisor_chain_from_a_block_seat_reaches_the_state_seat_in_three_steps()
    {
        var chain = new List<string>();
        var current = _routing.Route("rd-pension-delay", "block:1330").Position.Id;
        while (_officers.SupervisorOf(current) is { } supervisor)
        {
            Assert.Equal(supervisor.Position.Id, supervisor.Officer.PositionId);
            chain.Add(supervisor.Position.Id);
            current = supervisor.Position.Id;
            Assert.True(chain.Count <= 10, "the chain does not end");
        }

        Assert.Equal(
            ["rural-development@district:162", "rural-development@division:lucknow", "rural-development@state:9"],
            chain);
        Assert.Null(_officers.FindPosition("rural-development@state:9")!.SupervisorPositionId);
    }

    [Fact]
    public void Supervisors_skip_levels_where_the_department_has_no_seat()
    {
        Assert.Equal("urban-development@district:118", _officers.SupervisorOf("urban-development@ulb:249059")!.Position.Id);
        Assert.Equal("urban-development@state:9", _officers.SupervisorOf("urban-development@district:118")!.Position.Id);
        Assert.Equal("revenue@district:162", _officers.FindPosition("revenue@tehsil:820")!.SupervisorPositionId);
    }
}
