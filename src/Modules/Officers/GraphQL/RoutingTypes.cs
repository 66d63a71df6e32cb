using GraphQL.Types;
using Helpline.Catalogue;
using Helpline.Catalogue.GraphQL;
using Helpline.Jurisdictions;
using Helpline.Jurisdictions.GraphQL;
using Helpline.Officers.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Officers.GraphQL;

/// <summary>Where a registration was sent from: a stored rule, the proposal of a preview, or the default algorithm.</summary>
internal enum RouteSource
{
    /// <summary>A rule of the routing map.</summary>
    Rule = 0,

    /// <summary>The rule proposed in the preview (not stored).</summary>
    Proposal = 1,

    /// <summary>No rule on the way up: the department's seat at the category's resolution level.</summary>
    Default = 2,
}

/// <summary>Where a registration goes, or why it would be refused.</summary>
internal sealed record RouteOutcome(RouteSource? Source, Assignment? Assignment, RouteRule? Rule, string? RefusalCode, string? RefusalMessage);

/// <summary>Where a registration goes now and, with a proposal, where it would go once the proposal were stored.</summary>
internal sealed record RoutePreview(string CategoryId, string JurisdictionId, RouteOutcome Now, RouteOutcome? Proposed);

internal sealed class RouteSourceGraphType : EnumerationGraphType<RouteSource>
{
    public RouteSourceGraphType()
    {
        Name = "RouteSource";
        Description = "RULE: a rule of the routing map; PROPOSAL: the rule proposed in a preview; DEFAULT: no rule applies, the department's seat at the category's resolution level.";
    }
}

internal sealed class RouteRuleGraphType : ObjectGraphType<RouteRule>
{
    public RouteRuleGraphType()
    {
        Name = "RouteRule";
        Description = "A rule of the routing map: grievances of the category raised in the jurisdiction, or below it where no nearer rule is set, go to the seat.";
        Field(x => x.CategoryId);
        Field<CategoryGraphType>("category").Resolve(c => c.RequestServices!.GetRequiredService<ICatalogue>().FindCategory(c.Source.CategoryId));
        Field(x => x.JurisdictionId).Description("Where the rule is set; it covers everything below too.");
        Field<JurisdictionGraphType>("jurisdiction").Resolve(c => c.RequestServices!.GetRequiredService<IJurisdictionDirectory>().Find(c.Source.JurisdictionId));
        Field(x => x.PositionId).Description("The seat; new grievances go to the officer acting for it.");
        Field<PositionGraphType>("position").Description("Null when the seat no longer exists.").Resolve(c => OfficersGraphQL.Directory(c).FindPosition(c.Source.PositionId));
        Field(x => x.SetBy).Description("The administrator who set it.");
        Field(x => x.SetAt).Description("When it was set (UTC).");
        Field<NonNullGraphType<BooleanGraphType>>("lapsed")
            .Description("True when the rule no longer applies: its seat is gone or is of another department than the category's now (the category was remapped). Registrations then follow the next rule up, or the default.")
            .Resolve(c => RoutingFields.Routing(c).LapseOf(c.Source) is not null);
        Field<StringGraphType>("lapsedReason").Description("Why it lapsed; null when it applies.").Resolve(c => RoutingFields.Routing(c).LapseOf(c.Source));
    }
}

internal sealed class RouteChangeGraphType : ObjectGraphType<RouteChange>
{
    public RouteChangeGraphType()
    {
        Name = "RouteChange";
        Description = "A recorded change of the routing map.";
        Field(x => x.Id).Description("Increases with each change.");
        Field(x => x.At).Description("When (UTC).");
        Field(x => x.Actor).Description("The administrator who made it.");
        Field(x => x.CategoryId);
        Field(x => x.JurisdictionId);
        Field(x => x.PositionBefore, nullable: true).Description("The seat before; null when no rule was set.");
        Field(x => x.PositionAfter, nullable: true).Description("The seat after; null when the rule was cleared.");
        Field(x => x.Reason, nullable: true).Description("The reason given.");
    }
}

internal sealed class RouteOutcomeGraphType : ObjectGraphType<RouteOutcome>
{
    public RouteOutcomeGraphType()
    {
        Name = "RouteOutcome";
        Description = "Where a registration goes (the seat, its department and the officer acting for it, and what decided it), or why it would be refused.";
        Field<RouteSourceGraphType>("source").Description("What decided it; null when refused.").Resolve(c => c.Source.Source);
        Field<PositionGraphType>("position").Description("The seat (title, department, jurisdiction); null when refused.").Resolve(c => c.Source.Assignment?.Position);
        Field<DepartmentGraphType>("department")
            .Resolve(c => c.Source.Assignment is { } a ? c.RequestServices!.GetRequiredService<ICatalogue>().FindDepartment(a.Position.DepartmentId) : null);
        Field<OfficerGraphType>("officer").Description("The officer acting for the seat (its holder, or the charge officer while the holder is on leave).").Resolve(c => c.Source.Assignment?.Officer);
        Field<RouteRuleGraphType>("rule").Description("The rule that decided it; null for the default.").Resolve(c => c.Source.Rule);
        Field(x => x.RefusalCode, nullable: true).Description("The error a registration would get (NO_ROUTE); null when it goes through.");
        Field(x => x.RefusalMessage, nullable: true);
    }
}

internal sealed class RoutePreviewGraphType : ObjectGraphType<RoutePreview>
{
    public RoutePreviewGraphType()
    {
        Name = "RoutePreview";
        Description = "Where a registration of the category in the jurisdiction goes now, and where it would go with the proposed rule. Nothing is stored.";
        Field(x => x.CategoryId);
        Field(x => x.JurisdictionId);
        Field<NonNullGraphType<RouteOutcomeGraphType>>("now").Resolve(c => c.Source.Now);
        Field<RouteOutcomeGraphType>("proposed").Description("With the proposed rule stored too; null without a proposal.").Resolve(c => c.Source.Proposed);
    }
}

internal sealed class SetRouteInputGraphType : InputObjectGraphType
{
    public SetRouteInputGraphType()
    {
        Name = "SetRouteInput";
        Field<NonNullGraphType<StringGraphType>>("categoryId");
        Field<NonNullGraphType<StringGraphType>>("jurisdictionId").Description("The rule covers this jurisdiction and everything below it, unless a nearer rule is set.");
        Field<NonNullGraphType<StringGraphType>>("positionId")
            .Description("A seat of the category's department at the jurisdiction, above it or below it, with somebody acting for it.");
        Field<StringGraphType>("reason").Description($"Kept in the history; at most {RoutingAdministration.MaxReasonLength} characters.");
    }
}

internal sealed class ClearRouteInputGraphType : InputObjectGraphType
{
    public ClearRouteInputGraphType()
    {
        Name = "ClearRouteInput";
        Field<NonNullGraphType<StringGraphType>>("categoryId");
        Field<NonNullGraphType<StringGraphType>>("jurisdictionId");
        Field<StringGraphType>("reason").Description($"Kept in the history; at most {RoutingAdministration.MaxReasonLength} characters.");
    }
}

internal sealed class RouteProposalInputGraphType : InputObjectGraphType
{
    public RouteProposalInputGraphType()
    {
        Name = "RouteProposalInput";
        Description = "A rule to try out: checked as setRoute would check it, never stored.";
        Field<NonNullGraphType<StringGraphType>>("jurisdictionId");
        Field<NonNullGraphType<StringGraphType>>("positionId");
    }
}
