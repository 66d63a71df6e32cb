using System.Globalization;
using GraphQL;
using GraphQL.Types;
using Helpline.Grievances.GraphQL;
using Helpline.Jurisdictions;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Feed.GraphQL;

/// <summary>The feed's root fields: the <c>grievanceEvents</c> query (the stored feed) and subscription (live).</summary>
internal sealed class FeedGraphQL : GraphQLPart
{
    public override void AddSubscriptionFields(ObjectGraphType subscription) => LiveFeedGraphQL.Add(subscription);

    public override void AddQueryFields(ObjectGraphType query) =>
        query.Field<NonNullGraphType<GrievanceEventPageGraphType>>("grievanceEvents")
            .AllowedTo(Role.Administrator, Role.Auditor, Role.Partner)
            .Description(
                $"The change feed: every grievance event in the order the feed received it (for one grievance, timeline order). " +
                $"Page forward with `after: endCursor`; a page is at most {FeedQueries.MaxPage} events.")
            .Argument<StringGraphType>("referenceNumber", "Only this grievance's events (digits as issued; spaces and hyphens allowed).")
            .Argument<StringGraphType>("after", "The endCursor of the previous page; none for the beginning.")
            .Argument<IntGraphType>("first", $"How many (1..{FeedQueries.MaxPage}, default 100).")
            .MaxPage(FeedQueries.MaxPage)
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument("first", 100);
                if (first is < 1 or > FeedQueries.MaxPage)
                {
                    throw new HelplineException(ErrorCodes.Invalid, $"first must be 1..{FeedQueries.MaxPage}, not {first}.", "first");
                }

                var after = 0L;
                if (c.GetArgument<string?>("after") is { } cursor && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
                {
                    throw new HelplineException(ErrorCodes.Invalid, "after must be an endCursor returned by grievanceEvents.", "after");
                }

                var reference = c.GetArgument<string?>("referenceNumber")?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
                // A scoped caller sees the events that happened inside their scope (the department and place at that moment).
                var scope = Caller.Of(c).Scope;
                var rows = await c.RequestServices!.GetRequiredService<FeedQueries>().ListAsync(
                    reference, after, first + 1, c.CancellationToken, scope.Departments?.ToArray(), PlacesWithin(c, scope.Jurisdictions));
                var page = rows.Take(first).ToList();
                return new EventPage(page, page.Count > 0 ? page[^1].Arrival.ToString(CultureInfo.InvariantCulture) : After(c), rows.Count > first);
            });

    private static string? After(IResolveFieldContext c) => c.GetArgument<string?>("after");

    /// <summary>The jurisdictions and everything below them, as ids; null for no limit.</summary>
    private static string[]? PlacesWithin(IResolveFieldContext c, IReadOnlySet<string>? roots)
    {
        if (roots is null)
        {
            return null;
        }

        var directory = c.RequestServices!.GetRequiredService<IJurisdictionDirectory>();
        var all = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots);
        while (pending.TryPop(out var id))
        {
            if (all.Add(id))
            {
                foreach (var child in directory.ChildrenOf(id))
                {
                    pending.Push(child.Id);
                }
            }
        }

        return [.. all];
    }
}

/// <summary>A page of the feed.</summary>
internal sealed record EventPage(IReadOnlyList<FeedEntry> Nodes, string? EndCursor, bool HasNextPage);

internal sealed class GrievanceEventPageGraphType : ObjectGraphType<EventPage>
{
    public GrievanceEventPageGraphType()
    {
        Name = "GrievanceEventPage";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GrievanceEventGraphType>>>>("nodes").Resolve(c => c.Source.Nodes);
        Field(x => x.EndCursor, nullable: true).Description("Pass as `after` for the next page; stays where it was when the page is empty.");
        Field(x => x.HasNextPage).Description("True when more events were already there.");
    }
}

internal sealed class GrievanceEventGraphType : ObjectGraphType<FeedEntry>
{
    public GrievanceEventGraphType()
    {
        Name = "GrievanceEvent";
        Description = "A fact of a grievance's life as other systems receive it, with who held the grievance at that moment.";
        Field<NonNullGraphType<IdGraphType>>("eventId").Description("Stable id: the same fact always has the same id.").Resolve(c => c.Source.Event.EventId);
        Field<NonNullGraphType<TimelineEventTypeGraphType>>("type").Resolve(c => c.Source.Event.Type);
        Field<NonNullGraphType<StringGraphType>>("referenceNumber").Resolve(c => c.Source.Event.ReferenceNumber);
        Field<NonNullGraphType<IntGraphType>>("sequence").Description("Its place in the grievance's timeline.").Resolve(c => c.Source.Event.Sequence);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Description("When it happened (UTC).").Resolve(c => c.Source.Event.At);
        Field<NonNullGraphType<StringGraphType>>("actor").Resolve(c => c.Source.Event.Actor);
        Field<StringGraphType>("note").Resolve(c => c.Source.Event.Note);
        Field<NonNullGraphType<GrievanceKindGraphType>>("kind").Resolve(c => c.Source.Event.Kind);
        Field<StringGraphType>("officerId").Description("The officer holding it once it happened.").Resolve(c => c.Source.Event.OfficerId);
        Field<StringGraphType>("positionId").Resolve(c => c.Source.Event.PositionId);
        Field<IntGraphType>("level").Resolve(c => c.Source.Event.Level);
        Field<StringGraphType>("departmentId").Resolve(c => c.Source.Event.DepartmentId);
        Field<StringGraphType>("categoryId").Resolve(c => c.Source.Event.CategoryId);
        Field<StringGraphType>("jurisdictionId").Resolve(c => c.Source.Event.JurisdictionId);
        Field<DateTimeOffsetGraphType>("dueAt").Resolve(c => c.Source.Event.DueAt);
    }
}
