using GraphQL;
using GraphQL.Types;
using Helpline.Officers.Routing;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Microsoft.Extensions.DependencyInjection;
using Helpline.Platform.Modules;

namespace Helpline.Officers.GraphQL;

/// <summary>
/// The routing map's root fields: an administrator sets and clears rules (<c>setRoute</c>, <c>clearRoute</c>);
/// administrators and auditors read the map and its history; agents, supervisors and administrators preview where a
/// registration would go, with or without a proposed rule.
/// </summary>
internal static class RoutingFields
{
    /// <summary>Most changes <c>routeChanges</c> answers at once.</summary>
    public const int MaxChanges = 500;

    private static readonly Role[] MapReaders = [Role.Administrator, Role.Auditor, Role.Supervisor];
    private static readonly Role[] HistoryReaders = [Role.Administrator, Role.Auditor];
    private static readonly Role[] Previewers = [Role.Administrator, Role.Agent, Role.Supervisor];

    public static RoutingService Routing(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<RoutingService>();

    public static void AddQueryFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<RouteRuleGraphType>>>>("routingMap")
            .AllowedTo(MapReaders)
            .Description("The rules of the routing map, by category then jurisdiction, lapsed ones included (flagged): of one category, and set at one jurisdiction or below it, when given.")
            .Argument<StringGraphType>("categoryId")
            .Argument<StringGraphType>("jurisdictionId", a => a.Description = "Rules set at this jurisdiction or anywhere below it.")
            .Resolve(c =>
            {
                var administration = Administration(c);
                var categoryId = c.GetArgument<string?>("categoryId");
                var jurisdictionId = c.GetArgument<string?>("jurisdictionId");
                var category = categoryId is null ? null : administration.CheckCategory(categoryId, "categoryId");
                var jurisdiction = jurisdictionId is null ? null : administration.CheckJurisdiction(jurisdictionId, "jurisdictionId");
                var directory = c.RequestServices!.GetRequiredService<Helpline.Jurisdictions.IJurisdictionDirectory>();
                return c.RequestServices!.GetRequiredService<RouteMapStore>().Current.Rules
                    .Where(r => category is null || r.CategoryId == category.Id)
                    .Where(r => jurisdiction is null || directory.IsWithin(r.JurisdictionId, jurisdiction.Id))
                    .ToList();
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<RouteChangeGraphType>>>>("routeChanges")
            .AllowedTo(HistoryReaders)
            .Description($"Changes of the routing map, newest first: who, when, the seat before and after, and why. At most {MaxChanges}.")
            .Argument<StringGraphType>("categoryId", a => a.Description = "Only this category's changes.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .MaxPage(MaxChanges)
            .ResolveAsync(async c =>
            {
                var categoryId = c.GetArgument<string?>("categoryId");
                if (categoryId is not null)
                {
                    Administration(c).CheckCategory(categoryId, "categoryId");
                }

                var first = c.GetArgument<int?>("first") ?? 50;
                if (first is < 1 or > MaxChanges)
                {
                    throw new HelplineException(ErrorCodes.Invalid, $"'first' must be 1 to {MaxChanges}, not {first}.", "first");
                }

                return await c.RequestServices!.GetRequiredService<RouteMapStore>().ChangesAsync(categoryId, first, c.CancellationToken);
            });

        query.Field<NonNullGraphType<RoutePreviewGraphType>>("routePreview")
            .AllowedTo(Previewers)
            .Description("Where a registration of this category in this place goes now (seat, department, officer acting, and the rule or the default that decided it) and, with a proposal, where it would go if that rule were saved. Nothing is stored.")
            .Argument<NonNullGraphType<StringGraphType>>("categoryId")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdictionId")
            .Argument<RouteProposalInputGraphType>("proposal", a => a.Description = "A rule to try: checked as setRoute would check it (errors name proposal.jurisdictionId or proposal.positionId).")
            .Resolve(Preview);
    }

    public static void AddMutationFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RouteRuleGraphType>>("setRoute")
            .AllowedTo(Role.Administrator)
            .Description("Sends new registrations of a category in a jurisdiction, and everything below it where no nearer rule is set, to a seat. Grievances already registered keep their seat. Setting the rule a second time records nothing new and returns the stored rule.")
            .Argument<NonNullGraphType<SetRouteInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var caller = AdministratorOf(c);
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                return await Administration(c).SetAsync(
                    (string)input["categoryId"]!, (string)input["jurisdictionId"]!, (string)input["positionId"]!, caller.Subject, input.GetValueOrDefault("reason") as string, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<RouteRuleGraphType>>("clearRoute")
            .AllowedTo(Role.Administrator)
            .Description("Removes the rule of a category at a jurisdiction, so that the next rule up, or the default, applies there again; returns the rule removed. NO_ROUTE_RULE when none is set.")
            .Argument<NonNullGraphType<ClearRouteInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var caller = AdministratorOf(c);
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                return await Administration(c).ClearAsync(
                    (string)input["categoryId"]!, (string)input["jurisdictionId"]!, caller.Subject, input.GetValueOrDefault("reason") as string, c.CancellationToken);
            });
    }

    private static RoutingAdministration Administration(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<RoutingAdministration>();

    // The map reaches every department and district, so a token limited to some of them may not change it.
    private static Caller AdministratorOf(IResolveFieldContext c)
    {
        var caller = Caller.Of(c);
        caller.RequireUnlimited("the routing map");
        return caller;
    }

    private static RoutePreview Preview(IResolveFieldContext c)
    {
        var administration = Administration(c);
        var routing = Routing(c);
        var category = administration.CheckCategory(c.GetArgument<string>("categoryId"), "categoryId");
        var jurisdiction = administration.CheckJurisdiction(c.GetArgument<string>("jurisdictionId"), "jurisdictionId");
        var proposal = c.GetArgument<Dictionary<string, object?>?>("proposal") is { } p
            ? administration.CheckRule(category, (string)p["jurisdictionId"]!, (string)p["positionId"]!, Caller.Of(c).Subject, "proposal.")
            : null;
        var now = Outcome(routing, category.Id, jurisdiction.Id, null);
        return new RoutePreview(category.Id, jurisdiction.Id, now, proposal is null ? null : Outcome(routing, category.Id, jurisdiction.Id, proposal));
    }

    private static RouteOutcome Outcome(RoutingService routing, string categoryId, string jurisdictionId, RouteRule? proposal)
    {
        try
        {
            var decision = routing.Decide(categoryId, jurisdictionId, proposal);
            var source = decision.Rule is null ? RouteSource.Default : ReferenceEquals(decision.Rule, proposal) ? RouteSource.Proposal : RouteSource.Rule;
            return new RouteOutcome(source, decision.Assignment, decision.Rule, null, null);
        }
        catch (HelplineException ex) when (ex.Code == OfficerErrorCodes.NoRoute)
        {
            return new RouteOutcome(null, null, null, ex.Code, ex.Message);
        }
    }
}
