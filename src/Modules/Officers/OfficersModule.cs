using Helpline.Officers.GraphQL;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>The module's codes with their descriptions.</summary>
    public static IReadOnlyList<HelplineErrorCode> All { get; } =
    [
        new(UnknownOfficer, "No officer has the given id."),
        new(NoRoute, "No position is responsible for the category in that jurisdiction."),
        new(UnknownPosition, "No position (seat) has the given id."),
        new(NoRouteRule, "No routing rule is set for the category at that jurisdiction, so there is none to clear; nothing was changed."),
    ];
}
