using GraphQL.Types;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.GraphQL.Composition;

/// <summary>
/// Helpline's GraphQL schema: the root types with the fields of every module's <see cref="GraphQLPart"/>, in the
/// order of the host's list of modules.
/// </summary>
public sealed class HelplineSchema : global::GraphQL.Types.Schema
{
    /// <summary>Creates the schema; graph types come from DI.</summary>
    public HelplineSchema(IServiceProvider services)
        : base(services)
    {
        Query = services.GetRequiredService<QueryType>();
        Mutation = services.GetRequiredService<MutationType>();
        Subscription = services.GetRequiredService<SubscriptionType>();
        Description = "Chief Minister's Helpline: grievances, their routing to officers, SLA and escalation.";
    }
}

/// <summary>The root query type: the parts' query fields.</summary>
internal sealed class QueryType : ObjectGraphType
{
    public QueryType(IEnumerable<GraphQLPart> parts)
    {
        Name = "Query";
        foreach (var part in parts)
        {
            part.AddQueryFields(this);
        }
    }
}

/// <summary>The root mutation type: the parts' mutation fields.</summary>
internal sealed class MutationType : ObjectGraphType
{
    public MutationType(IEnumerable<GraphQLPart> parts)
    {
        Name = "Mutation";
        foreach (var part in parts)
        {
            part.AddMutationFields(this);
        }
    }
}

/// <summary>The root subscription type: the parts' subscription fields.</summary>
internal sealed class SubscriptionType : ObjectGraphType
{
    public SubscriptionType(IEnumerable<GraphQLPart> parts)
    {
        Name = "Subscription";
        foreach (var part in parts)
        {
            part.AddSubscriptionFields(this);
        }
    }
}
