using Helpline.WebConsole.Api;
using Helpline.WebConsole.Places;
using Microsoft.Extensions.Localization;

namespace Helpline.WebConsole.Components.Pages.DeskParts;

/// <summary>The suggestions of the desk's two search boxes: categories from the API, places from the silo's index.</summary>
public static class DeskSearch
{
    private const string CategoriesQuery = "query($s: String) { categories(search: $s) { id name nameHindi department { name nameHindi } } }";

    /// <summary>At most ten categories whose English or Hindi name or keyword holds <paramref name="text"/>, with their department.</summary>
    public static async Task<IReadOnlyList<ComboOption>> CategoriesAsync(ConsoleApi api, string text, CancellationToken cancellationToken)
    {
        var result = await api.SendAsync(CategoriesQuery, new { s = text.Trim() }, cancellationToken);
        return [.. (result.Get<List<DeskCategory>>("categories") ?? []).Take(10).Select(c => new ComboOption(
            c.Id, DeskFormat.Name(c), c.Department is { } d ? (DeskFormat.Hindi && d.NameHindi is { Length: > 0 } h ? h : d.Name) : null))];
    }

    /// <summary>The best ten places for <paramref name="text"/> (English or Devanagari), each with its kind and parents.</summary>
    public static async Task<IReadOnlyList<ComboOption>> PlacesAsync(PlaceDirectory places, IStringLocalizer t, string text, CancellationToken cancellationToken)
    {
        var index = await places.GetAsync(cancellationToken);
        return index is null ? [] : [.. index.Search(text).Select(p => new ComboOption(
            p.Id,
            $"{p.Name} ({DeskFormat.PlaceKind(t, p.Kind)})",
            string.Join(" · ", p.Parents.Select(parent => $"{parent.Name} {DeskFormat.PlaceKind(t, parent.Kind)}"))))];
    }
}
