using Helpline.Officers.GraphQL;
using Helpline.Officers.Postings;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Helpline.Officers;

/// <summary>The Officers module: seats, roster, routing, the officer grain, and their GraphQL part.</summary>
public sealed class OfficersModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Officers";

    /// <inheritdoc />
    public IReadOnlyList<HelplineErrorCode> ErrorCodes => OfficerErrorCodes.All;

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new OfficersGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddOfficersModule();

    /// <summary>Announces the start and end of leave recorded earlier, every minute.</summary>
    public void AddJobs(IQuartzBuilder quartz)
    {
        quartz.AddRecurringJob<LeaveAnnouncementJob>(LeaveAnnouncementJob.Key, "leave-announcements-every-minute", TimeSpan.FromSeconds(60));
    }
}

/// <summary>Error codes owned by the Officers module.</summary>
public static class OfficerErrorCodes
{
    /// <summary>No officer has the given id.</summary>
    public const string UnknownOfficer = "UNKNOWN_OFFICER";

    /// <summary>No position is responsible for the category in that jurisdiction.</summary>
    public const string NoRoute = "NO_ROUTE";

    /// <summary>No position (seat) has the given id.</summary>
    public const string UnknownPosition = "UNKNOWN_POSITION";

    /// <summary>No routing rule is set for the category at the jurisdiction, so there is none to clear.</summary>
    public const string NoRouteRule = "NO_ROUTE_RULE";

    /// <summary>The position already has an officer posted to it.</summary>
    public const string PositionHeld = "POSITION_HELD";

    /// <summary>A pool with more than one officer posted cannot become a single seat.</summary>
    public const string PoolHasMembers = "POOL_HAS_MEMBERS";

    /// <summary>The module's codes with their descriptions.</summary>
    public static IReadOnlyList<HelplineErrorCode> All { get; } =
    [
        new(UnknownOfficer, "No officer has the given id."),
        new(NoRoute, "No position is responsible for the category in that jurisdiction, or the one that is has nobody posted and no officer holding its charge."),
        new(UnknownPosition, "No position has the given id."),
        new(NoRouteRule, "No routing rule is set for the category at that jurisdiction, so there is none to clear; nothing was changed."),
        new(PositionHeld, "The position already has an officer posted to it: end that posting first, or relieve the holder (relieveHolder: true)."),
        new(PoolHasMembers, "The pool has more than one officer posted, so it cannot become a single seat: end the other postings first."),
    ];
}
