using GraphQLParser.AST;
using GraphQLParser.Visitors;
using Microsoft.AspNetCore.Http;

namespace Helpline.GraphQL.Http;

/// <summary>
/// Bounds the work a parsed document can cause before GraphQL.NET validates it. Validation (overlapping fields,
/// complexity) walks every fragment spread as if it were expanded, so 25 fragments that each spread the next twice
/// cost 2^25 visits from a 1 KB document. Here the expanded size is computed without expanding: each definition is
/// walked once, recording how many field selections it holds itself and which fragments it spreads, and the size
/// of a fragment is its own count plus the memoised sizes of the fragments it spreads. Linear in the document.
/// Also refuses string literals that escape a lone UTF-16 surrogate (<c>"\ud800"</c>): not Unicode text.
/// </summary>
internal static class GraphQLDocumentLimits
{
    /// <summary>Null when the document is within <paramref name="options"/>' limits, else the error to answer with.</summary>
    public static GraphQLHttpRequestError? Check(GraphQLDocument document, GraphQLHttpOptions options)
    {
        if (FindLoneSurrogate(document))
        {
            return GraphQLHttpRequestError.BadRequest(
                "A string in the GraphQL document is not valid Unicode text (it escapes a lone UTF-16 surrogate).");
        }

        var definitions = new List<(string? FragmentName, Shape Shape)>();
        var spreads = 0L;
        foreach (var definition in document.Definitions)
        {
            if (definition is not IHasSelectionSetNode { SelectionSet: { } selectionSet })
                continue;
            var shape = new Shape();
            Walk(selectionSet, shape);
            spreads += shape.Spreads.Count;
            definitions.Add((definition is GraphQLFragmentDefinition fragment ? fragment.FragmentName.Name.StringValue : null, shape));
        }

        if (spreads > options.MaxFragmentSpreads)
        {
            return TooComplex(
                $"The GraphQL document has {spreads} fragment spreads; the limit is {options.MaxFragmentSpreads}.");
        }

        // Sizes saturate just above the limit, so 2^1000 expansions cannot overflow.
        var ceiling = (long)options.MaxExpandedSelections + 1;
        var fragments = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var (name, shape) in definitions)
        {
            if (name is not null)
                fragments.TryAdd(name, shape); // a duplicate name is reported by validation
        }

        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var total = 0L;
        foreach (var (_, shape) in definitions)
            total = Math.Min(ceiling, total + Size(shape, fragments, sizes, [], ceiling));
        if (total > options.MaxExpandedSelections)
        {
            return TooComplex(
                $"The GraphQL document selects more than {options.MaxExpandedSelections} fields once its fragments are expanded; ask for less, or split it into several requests.");
        }
        return null;
    }

    private static GraphQLHttpRequestError TooComplex(string message)
        => new(StatusCodes.Status400BadRequest, GraphQLHttpErrorCodes.DocumentTooComplex, message);

    /// <summary>A definition's own field selections and the fragments it spreads (once per occurrence).</summary>
    private sealed class Shape
    {
        public long Fields;
        public readonly List<string> Spreads = [];
    }

    private static void Walk(GraphQLSelectionSet selectionSet, Shape shape)
    {
        // Nesting is bounded by the parser's maximum depth, so recursion is safe here.
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    shape.Fields++;
                    if (field.SelectionSet is { } children)
                        Walk(children, shape);
                    break;
                case GraphQLInlineFragment inline:
                    Walk(inline.SelectionSet, shape);
                    break;
                case GraphQLFragmentSpread spread:
                    shape.Spreads.Add(spread.FragmentName.Name.StringValue);
                    break;
            }
        }
    }

    /// <summary>
    /// The expanded size of <paramref name="shape"/>. The recursion follows fragment spreads, at most as deep as the
    /// number of spreads (bounded by <see cref="GraphQLHttpOptions.MaxFragmentSpreads"/>). Unknown fragments and
    /// cycles count nothing here: validation reports them.
    /// </summary>
    private static long Size(Shape shape, Dictionary<string, Shape> fragments, Dictionary<string, long> sizes, HashSet<string> inProgress, long ceiling)
    {
        var size = Math.Min(ceiling, shape.Fields);
        foreach (var name in shape.Spreads)
        {
            if (!sizes.TryGetValue(name, out var spreadSize))
            {
                if (!fragments.TryGetValue(name, out var fragment) || !inProgress.Add(name))
                    continue;
                spreadSize = Size(fragment, fragments, sizes, inProgress, ceiling);
                inProgress.Remove(name);
                sizes[name] = spreadSize;
            }
            size = Math.Min(ceiling, size + spreadSize);
        }
        return size;
    }

    private static bool FindLoneSurrogate(GraphQLDocument document)
    {
        var context = new SurrogateContext();
        // Every node is visited once (spreads are not followed); the visitor completes synchronously.
        SurrogateFinder.Instance.VisitAsync(document, context).AsTask().GetAwaiter().GetResult();
        return context.Found;
    }

    private sealed class SurrogateContext : IASTVisitorContext
    {
        public bool Found { get; set; }

        public CancellationToken CancellationToken => CancellationToken.None;
    }

    private sealed class SurrogateFinder : ASTVisitor<SurrogateContext>
    {
        public static readonly SurrogateFinder Instance = new();

        protected override ValueTask VisitStringValueAsync(GraphQLStringValue stringValue, SurrogateContext context)
        {
            if (!context.Found && HasLoneSurrogate(stringValue.Value.Span))
                context.Found = true;
            return default;
        }
    }

    internal static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return true;
        }
        return false;
    }
}
