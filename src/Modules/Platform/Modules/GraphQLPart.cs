using GraphQL;
using GraphQL.DI;
using GraphQL.Types;

namespace Helpline.Platform.Modules;

/// <summary>
/// A module's share of the GraphQL schema: the fields it adds to the root <c>Query</c>, <c>Mutation</c> and <c>Subscription</c> types and the
/// graph types behind them. The GraphQL project composes the parts of every module in the host's list into one schema.
/// Resolvers get the module's services from <c>IResolveFieldContext.RequestServices</c>.
/// </summary>
public abstract class GraphQLPart
{
    /// <summary>
    /// Registers the part's graph types: by default every graph type in the part's assembly. A module that adds fields to
    /// a type owned by a module it depends on registers an <see cref="IGraphTypeExtension{TGraphType}"/> here too.
    /// </summary>
    /// <param name="graphql">GraphQL.NET's builder.</param>
    public virtual void AddTypes(IGraphQLBuilder graphql) => graphql.AddGraphTypes(GetType().Assembly);

    /// <summary>Adds the part's fields to the root query type.</summary>
    /// <param name="query">The root <c>Query</c> type.</param>
    public virtual void AddQueryFields(ObjectGraphType query)
    {
    }

    /// <summary>Adds the part's fields to the root mutation type.</summary>
    /// <param name="mutation">The root <c>Mutation</c> type.</param>
    public virtual void AddMutationFields(ObjectGraphType mutation)
    {
    }

    /// <summary>
    /// Adds the part's fields to the root subscription type: each resolves to a stream (<c>ResolveStreamAsync</c>)
    /// served over WebSocket with the <c>graphql-transport-ws</c> protocol.
    /// </summary>
    /// <param name="subscription">The root <c>Subscription</c> type.</param>
    public virtual void AddSubscriptionFields(ObjectGraphType subscription)
    {
    }
}

/// <summary>
/// Fields that one module adds to a graph type owned by a module it depends on (for example the Officers module adds
/// <c>positions</c> to the Jurisdictions module's <c>Jurisdiction</c>). The owning type applies every registered
/// extension at the end of its constructor, so the added fields come after its own.
/// </summary>
/// <typeparam name="TGraphType">The graph type extended.</typeparam>
public interface IGraphTypeExtension<in TGraphType>
    where TGraphType : IComplexGraphType
{
    /// <summary>Adds the fields to <paramref name="graphType"/>.</summary>
    /// <param name="graphType">The graph type being built.</param>
    void Extend(TGraphType graphType);
}
