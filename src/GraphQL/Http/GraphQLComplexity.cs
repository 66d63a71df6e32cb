using GraphQL.Types;
using GraphQL.Validation.Complexity;
using Helpline.Platform.Modules;

namespace Helpline.GraphQL.Http;

/// <summary>
/// How the endpoint measures a document's complexity (see <see cref="GraphQLHttpOptions.Complexity"/>): roughly the
/// number of values the answer may hold. GraphQL.NET's analyzer already visits every field, so each alias counts once,
/// and takes a list's size from its <c>first</c>/<c>last</c> argument (or its connection parent's). Added here: a
/// paginated list whose <c>first</c> is not given counts the default page size (not GraphQL.NET's 5), and
/// introspection, served from memory, counts nothing.
/// </summary>
public static class GraphQLComplexity
{
    /// <summary>The default complexity options of the endpoint.</summary>
    public static ComplexityOptions CreateOptions() => new()
    {
        MaxDepth = GraphQLHttpOptions.DefaultMaxDepth,
        MaxComplexity = GraphQLHttpOptions.DefaultMaxComplexity,
        DefaultComplexityImpactDelegate = Impact,
        ValidateComplexityDelegate = ComplexityTrace.Explain,
    };

    private static FieldComplexityResult Impact(FieldImpactContext context)
    {
        var impact = Estimate(context);
        if (!IsIntrospection(context))
            ComplexityTrace.Of(context.ValidationContext).Record(context, impact.FieldImpact);
        return impact;
    }

    private static FieldComplexityResult Estimate(FieldImpactContext context)
    {
        // Introspection is answered from the schema in memory and its size is bounded by the schema, not the data; the
        // standard query of graphql-js (GraphiQL, codegen, inspector) nests type references nine deep and would count
        // past the limit otherwise. The document limits (depth, expanded selections) still bound it.
        if (IsIntrospection(context))
            return new(0, 1);
        if (!IsList(context.FieldDefinition))
        {
            // A connection field (grievances(first: N) { totalCount nodes { ... } }): everything under it counts N times.
            return TakesFirst(context.FieldDefinition) ? new(1, Math.Max(1, Size(context) ?? GraphQLHttpOptions.DefaultListSize)) : new(1, 1);
        }
        // The lists of a connection (nodes, edges) were already multiplied by the connection field above.
        if (context.ParentType?.Name?.EndsWith("Connection", StringComparison.Ordinal) == true)
            return new(1, 1);
        return new(1, Math.Max(1, ListSize(context)));
    }

    /// <summary>
    /// A list's estimated size: its own <c>first</c>/<c>last</c>; else the default page size when it takes <c>first</c>;
    /// else one when it is looked up by <c>id</c>; else <see cref="UnpaginatedListSize"/>.
    /// </summary>
    private static double ListSize(FieldImpactContext context)
    {
        if (Size(context) is { } own)
            return own;
        if (TakesFirst(context.FieldDefinition))
            return GraphQLHttpOptions.DefaultListSize;
        if (context.Arguments?.ContainsKey("id") == true)
            return 1;
        return UnpaginatedListSize;
    }

    /// <summary>The estimate for a list that is not paginated (a jurisdiction's children, a timeline).</summary>
    public const int UnpaginatedListSize = 5;

    /// <summary>A page's requested size, no more than the field's largest page (a larger one is refused by name, see <see cref="ComplexityTrace"/>).</summary>
    private static int? Size(FieldImpactContext context)
    {
        if (RequestedSize(context) is not { } size)
            return null;
        return Paging.MaxPageOf(context.FieldDefinition) is { } max ? Math.Min(size, max) : size;
    }

    internal static int? RequestedSize(FieldImpactContext context)
    {
        if (context.Arguments is not { } arguments)
            return null;
        if (arguments.TryGetValue("first", out var first) && first.Value is int f)
            return f;
        if (arguments.TryGetValue("last", out var last) && last.Value is int l)
            return l;
        return null;
    }

    /// <summary>
    /// What <see cref="Estimate"/> multiplies the field's children by (for the trace's per-field weights). A parent's
    /// context (<see cref="FieldImpactContext.Parent"/>) has no parent type, hence the null checks on it above.
    /// </summary>
    internal static double MultiplierOf(FieldImpactContext context) => Estimate(context).ChildImpactMultiplier;

    private static bool TakesFirst(FieldType field) => field.Arguments?.Find("first") is not null;

    private static bool IsList(FieldType field)
        => field.ResolvedType is ListGraphType || field.ResolvedType is NonNullGraphType { ResolvedType: ListGraphType };

    private static bool IsIntrospection(FieldImpactContext context)
        => context.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal)
            || (context.ParentType?.Name?.StartsWith("__", StringComparison.Ordinal) ?? false);
}
