using Helpline.Platform.Access;
using Helpline.Platform.Errors;

namespace Helpline.Tests.Platform.Access;

public sealed class CallerTests
{
    private static readonly GrievanceCoordinates InBlock1330 =
        new("rural-development", ["block:1330", "district:162", "division:17", "state:9"], "rural-development@block:1330", "OFF-1");

    private static Caller With(Role role, CallerScope scope) => new("someone", role, scope);

    [Fact]
    public void A_jurisdiction_limit_takes_in_everything_below_it_and_nothing_beside_it()
    {
        Assert.True(With(Role.Partner, new CallerScope(null, new HashSet<string> { "district:162" })).Sees(InBlock1330));
        Assert.True(With(Role.Partner, new CallerScope(null, new HashSet<string> { "block:1330" })).Sees(InBlock1330));
        Assert.False(With(Role.Partner, new CallerScope(null, new HashSet<string> { "district:163" })).Sees(InBlock1330));
        Assert.False(With(Role.Partner, new CallerScope(null, new HashSet<string> { "block:1331" })).Sees(InBlock1330));
    }

    [Fact]
    public void Every_limit_that_is_set_must_hold()
    {
        var places = new HashSet<string> { "district:162" };
        Assert.True(With(Role.Auditor, new CallerScope(new HashSet<string> { "rural-development" }, places)).Sees(InBlock1330));
        Assert.False(With(Role.Auditor, new CallerScope(new HashSet<string> { "revenue" }, places)).Sees(InBlock1330));
        Assert.True(With(Role.Officer, new CallerScope(null, null, HolderOfficerId: "OFF-1")).Sees(InBlock1330));
        Assert.False(With(Role.Officer, new CallerScope(null, null, HolderOfficerId: "OFF-2")).Sees(InBlock1330));
        Assert.True(With(Role.Supervisor, new CallerScope(null, null, Positions: new HashSet<string> { "rural-development@block:1330" })).Sees(InBlock1330));
        Assert.False(With(Role.Supervisor, new CallerScope(null, null, Positions: new HashSet<string> { "rural-development@block:1331" })).Sees(InBlock1330));
    }

    [Theory]
    [InlineData(Role.Public)]
    [InlineData(Role.Importer)]
    [InlineData(Role.CallbackAgent)]
    public void Roles_that_do_not_read_grievances_see_none_even_unlimited(Role role) =>
        Assert.False(With(role, CallerScope.Unlimited).Sees(InBlock1330));

    [Theory]
    [InlineData(Role.Agent, true)]
    [InlineData(Role.Officer, true)]
    [InlineData(Role.Supervisor, true)]
    [InlineData(Role.Partner, false)]
    [InlineData(Role.Auditor, false)]
    [InlineData(Role.Administrator, false)]
    public void Only_those_handling_the_grievance_need_the_complainants_details(Role role, bool needs) =>
        Assert.Equal(needs, With(role, CallerScope.Unlimited).NeedsPersonalData(InBlock1330));

    [Fact]
    public void The_actor_is_the_subject_and_an_argument_naming_another_is_refused()
    {
        var caller = new Caller("OFF-1", Role.Officer, CallerScope.Unlimited);
        Assert.Equal("OFF-1", caller.Actor(null, "officerId"));
        Assert.Equal("OFF-1", caller.Actor("OFF-1", "officerId"));
        var refused = Assert.Throws<HelplineException>(() => caller.Actor("OFF-2", "officerId"));
        Assert.Equal(AccessErrorCodes.NotYourself, refused.Code);
        Assert.Equal("officerId", refused.Field);
    }

    [Fact]
    public void An_argument_outside_the_scope_is_refused_by_name()
    {
        var caller = new Caller("agent-1", Role.Agent, new CallerScope(new HashSet<string> { "revenue" }, new HashSet<string> { "district:162" }));
        caller.RequireInScope("revenue", ["block:1330", "district:162"], "input.jurisdictionId");
        Assert.Equal(AccessErrorCodes.OutOfScope, Assert.Throws<HelplineException>(() => caller.RequireInScope("rural-development", null, "input.categoryId")).Code);
        Assert.Equal(AccessErrorCodes.OutOfScope, Assert.Throws<HelplineException>(() => caller.RequireInScope(null, ["block:9", "district:9"], "input.jurisdictionId")).Code);
        Assert.Equal(AccessErrorCodes.OutOfScope, Assert.Throws<HelplineException>(() => caller.RequireUnlimited("SLA administration")).Code);
    }

    [Fact]
    public void Reads_of_personal_data_are_collected_once_each_from_parallel_resolvers()
    {
        var caller = new Caller("agent-1", Role.Agent, CallerScope.Unlimited);
        Parallel.For(0, 100, i => caller.RecordPersonalDataRead((i % 10).ToString("000000000000", System.Globalization.CultureInfo.InvariantCulture), "complainant.name"));
        Assert.Equal(100, caller.PersonalDataReads.Count);
        Assert.Equal(10, caller.PersonalDataReads.Distinct().Count());
    }
}

public sealed class PersonalDataMaskTests
{
    [Theory]
    [InlineData("9415012345", "94XXXXXX45")]
    [InlineData("6000000001", "60XXXXXX01")]
    [InlineData("123", "XXX")]
    public void Mobiles_keep_two_digits_at_each_end(string mobile, string masked) => Assert.Equal(masked, PersonalDataMask.Mobile(mobile));

    [Theory]
    [InlineData("Sita Devi", "S*** D***")]
    [InlineData("  Ram   Kumar  Yadav ", "R*** K*** Y***")]
    [InlineData("सीता देवी", "सी*** दे***")]
    [InlineData("", "")]
    public void Names_keep_the_first_letter_of_each_word(string name, string masked) => Assert.Equal(masked, PersonalDataMask.Name(name));

    [Fact]
    public void The_public_gives_the_last_four_digits() => Assert.Equal("2345", PersonalDataMask.LastFour("9415012345"));
}
