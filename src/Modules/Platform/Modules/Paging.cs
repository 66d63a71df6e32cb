using GraphQL.Builders;
using GraphQL.Types;

namespace Helpline.Platform.Modules;

/// <summary>
/// The largest page a list field answers. The transport refuses a larger <c>first</c> (literal or variable) before
/// anything runs, naming the field and the argument (<c>PAGE_TOO_LARGE</c>), and counts no more than this in the
/// document's complexity; the module's own check stays as the last word.
/// </summary>
public static class Paging
{
    /// <summary>Metadata key of the largest page on a field.</summary>
    public const string MetadataKey = "helpline:maxPage";

    /// <summary>
    /// Declares the largest <c>first</c> the field answers; the argument's description says so when it has none of its own.
    /// Call it after the <c>first</c> argument is declared.
    /// </summary>
    public static FieldBuilder<TSource, TReturn> MaxPage<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, int max)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        field.FieldType.Metadata[MetadataKey] = max;
        if (field.FieldType.Arguments?.Find("first") is { } first && string.IsNullOrEmpty(first.Description))
            first.Description = $"How many, 1..{max}.";
        return field;
    }

    /// <summary>The largest page of <paramref name="field"/>, or null when it declares none.</summary>
    public static int? MaxPageOf(FieldType field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Metadata.TryGetValue(MetadataKey, out var max) ? max as int? : null;
    }
}
