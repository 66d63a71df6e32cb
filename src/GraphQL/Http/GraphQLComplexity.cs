using GraphQL.Validation.Complexity;

namespace Helpline.GraphQL.Http;

/// <summary>
/// How the endpoint measures a document's complexity (see <see cref="GraphQLHttpOptions.Complexity"/>): roughly the
/// number of values the answer may hold. GraphQL.NET's analyzer already visits every field, so each alias counts once,
/// and takes a list's size from its <c>first</c>/<c>last</c> argument (or its connection parent's); what it lacks is a
/// realistic size for lists without one (it assumes 5, below the page size a client gets by default) and a way to keep
/// introspection, served from memory, from multiplying through its nested type lists.
/// </summary>
public static class GraphQLComplexity
{
    private static readonly Func<FieldImpactContext, FieldComplexityResult> GraphQLNetDefault
        = new ComplexityOptions().DefaultComplexityImpactDelegate;

    /// <summary>The default complexity options of the endpoint.</summary>
    public static ComplexityOptions CreateOptions() => new()
    {
        MaxDepth = GraphQLHttpOptions.DefaultMaxDepth,
        MaxComplexity = GraphQLHttpOptions.DefaultMaxComplexity,
        DefaultListImpactMultiplier = GraphQLHttpOptions.DefaultListSize,
        DefaultComplexityImpactDelegate = Impact,
    };

    private static FieldComplexityResult Impact(FieldImpactContext context)
    {
        if (IsIntrospection(context))
            return new(1, 1);
        var result = GraphQLNetDefault(context);
        // A negative or zero 'first' is refused by the resolver, but must not shrink the estimate meanwhile.
        return new(result.FieldImpact, Math.Max(1, result.ChildImpactMultiplier));
    }

    private static bool IsIntrospection(FieldImpactContext context)
        => context.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal)
            || (context.ParentType.Name?.StartsWith("__", StringComparison.Ordinal) ?? false);
}
