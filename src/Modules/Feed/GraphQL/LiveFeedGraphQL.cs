using GraphQL;
using GraphQL.Types;
using Helpline.Catalogue;
using Helpline.Feed.Live;
using Helpline.Grievances;
using Helpline.Grievances.GraphQL;
using Helpline.Jurisdictions;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Feed.GraphQL;

/// <summary>The <c>grievanceEvents</c> subscription: grievance events as they are committed, on any silo.</summary>
internal static class LiveFeedGraphQL
{
    private const int MaxKeyLength = 128;

    public static void Add(ObjectGraphType subscription) =>
        subscription.Field<NonNullGraphType<GrievanceEventGraphType>>("grievanceEvents")
            .AllowedTo(Role.Officer, Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner)
            .Description(
                "Grievance events as they are committed, through whichever silo (over WebSocket, graphql-transport-ws). " +
                "Every given filter must match; each event is checked against your scope where and when it happened (an officer " +
                "hears of the grievances they hold, a supervisor of their team's, a scoped token of its departments and places). " +
                "Nothing is replayed: to catch up after a disconnection, page the grievanceEvents query.")
            .Argument<StringGraphType>("referenceNumber", "Only this grievance's events (spaces and hyphens allowed).")
            .Argument<StringGraphType>("departmentId", "Only events of grievances of this department (when they happened).")
            .Argument<StringGraphType>("jurisdictionId", "Only events of grievances at this place or below it, e.g. district:162.")
            .Argument<StringGraphType>("officerId", "Only events after which this officer held the grievance.")
            .Argument<ListGraphType<NonNullGraphType<TimelineEventTypeGraphType>>>("types", "Only these kinds of event, e.g. [REGISTERED, BREACHED, ESCALATED, RESOLVED, REOPENED, CLOSED].")
            .ResolveStreamAsync(async c =>
            {
                var wanted = Filter(c);
                var feed = c.RequestServices!.GetRequiredService<LiveGrievanceFeed>();
                await feed.EnsureTailingAsync(c.CancellationToken);
                return feed.Follow(wanted);
            });

    private static Func<LiveGrievanceEvent, bool> Filter(IResolveFieldContext c)
    {
        var caller = Caller.Of(c);
        var reference = Key(c, "referenceNumber")?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var departmentId = Key(c, "departmentId");
        if (departmentId is not null && c.RequestServices!.GetRequiredService<ICatalogue>().FindDepartment(departmentId) is null)
        {
            throw new HelplineException(CatalogueErrorCodes.UnknownDepartment, $"No department has id '{departmentId}'.", "departmentId");
        }

        caller.RequireInScope(departmentId, null, "departmentId");
        var jurisdictionId = Key(c, "jurisdictionId");
        if (jurisdictionId is not null)
        {
            var path = c.RequestServices!.GetRequiredService<IJurisdictionDirectory>().PathToRoot(jurisdictionId);
            if (path.Count == 0)
            {
                throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has id '{jurisdictionId}'.", "jurisdictionId");
            }

            caller.RequireInScope(null, [.. path.Select(j => j.Id)], "jurisdictionId");
        }

        var officerId = Key(c, "officerId");
        var types = c.GetArgument<List<TimelineEventType>?>("types")?.ToHashSet();
        return e =>
            caller.Sees(e.Coordinates)
            && (reference is null || e.Event.ReferenceNumber == reference)
            && (departmentId is null || e.Event.DepartmentId == departmentId)
            && (jurisdictionId is null || e.Coordinates.JurisdictionPath.Contains(jurisdictionId))
            && (officerId is null || e.Event.OfficerId == officerId)
            && (types is null || types.Contains(e.Event.Type));
    }

    private static string? Key(IResolveFieldContext c, string name)
    {
        var value = c.GetArgument<string?>(name);
        return value is { Length: > MaxKeyLength }
            ? throw new HelplineException(ErrorCodes.TooLong, $"{name} is at most {MaxKeyLength} characters.", name)
            : value;
    }
}
