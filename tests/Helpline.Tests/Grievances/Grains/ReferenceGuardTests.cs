using Helpline.Grievances;
using Helpline.Grievances.Grains;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Grievances.Grains;

/// <summary>
/// A grievance grain acts only on reference data its silo has loaded: a silo behind the data the grievance was stored
/// with, or one that does not know an id, catches up first; an id of the grievance still unknown afterwards stops it
/// loudly (a deadline is retried) instead of letting it breach "at the top" or route nowhere.
/// </summary>
public sealed class ReferenceGuardTests
{
    private static readonly TestWorld World = new();

    private static GrievanceState Stored(string category = TestWorld.WaterCategory, long sharedDataPosition = 7) => new()
    {
        ReferenceNumber = "260000000017",
        Request = new RegisterGrievance("req-1", GrievanceKind.Complaint, new Complainant("Asha", "9415012345"), "lucknow", category, "No water", Channel.Phone, "agent-1"),
        PositionId = TestWorld.PositionOf("water", 1, "lucknow"),
        SharedDataPosition = sharedDataPosition,
    };

    [Fact]
    public async Task A_silo_as_current_as_the_grievance_that_knows_every_id_acts_at_once()
    {
        var shared = new FakeSharedData { AppliedPosition = 7 };
        await new ReferenceGuard(World, World, World, shared).EnsureAsync(Stored());
        Assert.Equal(0, shared.CatchUps);
    }

    [Fact]
    public async Task A_silo_behind_the_data_the_grievance_was_stored_with_catches_up_first()
    {
        var shared = new FakeSharedData { AppliedPosition = 3, HeadPosition = 9 };
        await new ReferenceGuard(World, World, World, shared).EnsureAsync(Stored());
        Assert.Equal((1, 9L), (shared.CatchUps, shared.AppliedPosition));
    }

    [Fact]
    public async Task An_id_a_command_brings_that_the_silo_does_not_know_makes_it_catch_up_and_the_rules_judge_it()
    {
        var shared = new FakeSharedData { AppliedPosition = 7 };
        var guard = new ReferenceGuard(World, World, World, shared);
        await guard.EnsureAsync(Stored(), positionId: "imported-seat@city:elsewhere");
        await guard.EnsureAsync(Stored(), categoryId: "added-on-another-silo");
        Assert.Equal(2, shared.CatchUps);
    }

    [Fact]
    public async Task An_id_of_the_grievance_still_unknown_after_catching_up_is_refused_loudly()
    {
        var shared = new FakeSharedData { AppliedPosition = 7 };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new ReferenceGuard(World, World, World, shared).EnsureAsync(Stored(category: "imported-category")));
        Assert.Equal(1, shared.CatchUps);
        Assert.Contains("category 'imported-category'", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was done", error.Message, StringComparison.Ordinal);
    }
}
