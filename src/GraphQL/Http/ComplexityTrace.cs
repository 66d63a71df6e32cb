using System.Globalization;
using GraphQL;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQLParser.AST;
using Helpline.Platform.Modules;

namespace Helpline.GraphQL.Http;

/// <summary>
/// What the complexity analysis saw of one request, so that its refusals name what is over: the root field that costs
/// the most (and how many times it is selected), the deepest path, and every <c>first</c> over its field's largest page.
/// Kept in the request's user context for the length of validation.
/// </summary>
internal sealed class ComplexityTrace
{
    private const string Key = "helpline.complexityTrace";

    private readonly Dictionary<string, (int Selections, double Weight)> _roots = new(StringComparer.Ordinal);
    private readonly HashSet<GraphQLField> _pagesRefused = [];
    private string? _deepestPath;
    private int _deepest;

    public static ComplexityTrace Of(ValidationContext context)
    {
        if (context.UserContext.TryGetValue(Key, out var found) && found is ComplexityTrace trace)
            return trace;
        trace = new ComplexityTrace();
        context.UserContext[Key] = trace;
        return trace;
    }

    /// <summary>Counts one visit of a field (fields inside spread fragments are visited once per spread, as they are counted).</summary>
    public void Record(FieldImpactContext context, double impact)
    {
        var weight = impact;
        var depth = 1;
        var root = context;
        for (var parent = context.Parent; parent is { } p; parent = p.Parent)
        {
            weight *= GraphQLComplexity.MultiplierOf(p);
            depth++;
            root = p;
        }

        var rootName = root.FieldDefinition.Name;
        var (selections, total) = _roots.GetValueOrDefault(rootName);
        _roots[rootName] = (ReferenceEquals(root.FieldAst, context.FieldAst) ? selections + 1 : selections, total + weight);

        if (depth > _deepest)
        {
            _deepest = depth;
            if (context.Configuration.MaxDepth is { } max && depth > max)
                _deepestPath = PathOf(context);
        }

        CheckPage(context);
    }

    private void CheckPage(FieldImpactContext context)
    {
        if (Paging.MaxPageOf(context.FieldDefinition) is not { } max || GraphQLComplexity.RequestedSize(context) is not { } size)
            return;
        if (size <= max || !_pagesRefused.Add(context.FieldAst))
            return;
        var path = PathOf(context);

        // Only a field that pages on has the rest to offer; a capped list (possibleDuplicates) has no 'after'.
        var advice = context.FieldDefinition.Arguments?.Find("after") is null
            ? $"Ask for at most {max.ToString(CultureInfo.InvariantCulture)}."
            : "Ask for the next page with 'after'.";
        var error = new ValidationError(context.ValidationContext.Document.Source, null,
            $"'first' of {path} is {size.ToString("N0", CultureInfo.InvariantCulture)}; the largest page of {context.FieldDefinition.Name} is {max.ToString(CultureInfo.InvariantCulture)}. {advice}",
            context.FieldAst)
        {
            Code = GraphQLHttpErrorCodes.PageTooLarge,
        };
        error.AddExtension("field", path + ".first");
        error.AddExtension("max", max);
        context.ValidationContext.ReportError(error);
    }

    /// <summary>Replaces GraphQL.NET's refusal (which names neither field nor argument) by one that says what is over.</summary>
    public static Task Explain(ComplexityValidationContext context)
    {
        if (context.Error is null || !context.ValidationContext.UserContext.TryGetValue(Key, out var found) || found is not ComplexityTrace trace)
            return Task.CompletedTask;
        var options = context.Configuration;
        string message;
        if (options.MaxDepth is { } maxDepth && context.MaxDepth > maxDepth)
        {
            message = $"The query is nested {context.MaxDepth} levels deep{(trace._deepestPath is null ? "" : $", at {trace._deepestPath}")}; the limit is {maxDepth}.";
        }
        else
        {
            var heaviest = trace._roots.OrderByDescending(r => r.Value.Weight).FirstOrDefault();
            var share = heaviest.Key is null
                ? ""
                : $"; the most costly is {heaviest.Key} ({Number(heaviest.Value.Weight)}{(heaviest.Value.Selections > 1 ? $" in {heaviest.Value.Selections} selections" : "")})";
            message = $"The query's complexity is {Number(context.TotalImpact)}, over the limit of {Number(options.MaxComplexity ?? 0)}{share}. " +
                "Every field counts, and a page multiplies what is selected in it by its 'first': ask for smaller pages, fewer fields or fewer aliases.";
        }
        context.Error = new ValidationError(context.ValidationContext.Document.Source, null, message) { Code = context.Error.Code };
        return Task.CompletedTask;
    }

    private static string Number(double value) => Math.Round(value).ToString("N0", CultureInfo.InvariantCulture);

    private static string PathOf(FieldImpactContext context)
    {
        var names = new List<string> { Name(context.FieldAst) };
        for (var parent = context.Parent; parent is { } p; parent = p.Parent)
            names.Add(Name(p.FieldAst));
        names.Reverse();
        return string.Join('.', names);
    }

    private static string Name(GraphQLField field) => (field.Alias?.Name ?? field.Name).StringValue;
}
