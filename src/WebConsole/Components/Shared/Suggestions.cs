using Helpline.WebConsole.Api;
using Helpline.WebConsole.Places;
using Microsoft.Extensions.Localization;

namespace Helpline.WebConsole.Components.Shared;

/// <summary>What the comboboxes suggest: categories from the API, places from the silo's <see cref="PlaceDirectory"/>.</summary>
public static class Suggestions
{
    private const int Most = 10;

    private const string CategoriesQuery = "query($s: String) { categories(search: $s) { id name nameHindi department { name nameHindi } } }";

    /// <summary>The first ten categories whose English or Hindi name or keyword holds <paramref name="text"/>, with their department.</summary>
    public static async Task<IReadOnlyList<ComboOption>> CategoriesAsync(ConsoleApi api, string text, CancellationToken cancellationToken)
    {
        var result = await api.SendAsync(CategoriesQuery, new { s = text.Trim() }, cancellationToken);
        return [.. (result.Get<List<Category>>("categories") ?? []).Take(Most).Select(c => new ComboOption(
            c.Id, PageLanguage.Pick(c.Name, c.NameHindi), c.Department is { } d ? PageLanguage.Pick(d.Name, d.NameHindi) : null))];
    }

    /// <summary>The best ten places for <paramref name="text"/> (English or Devanagari), each shown as <paramref name="shape"/> says.</summary>
    public static async Task<IReadOnlyList<ComboOption>> PlacesAsync(
        PlaceDirectory places, string text, Func<Place, ComboOption> shape, CancellationToken cancellationToken)
    {
        var index = await places.GetAsync(cancellationToken);
        return index is null ? [] : [.. index.Search(text, Most).Select(shape)];
    }

    /// <summary>A jurisdiction kind in words.</summary>
    public static string PlaceKind(IStringLocalizer<ComboText> t, string kind) => kind switch
    {
        "DIVISION" => t["division"],
        "DISTRICT" => t["district"],
        "TEHSIL" => t["tehsil"],
        "BLOCK" => t["block"],
        "URBAN_LOCAL_BODY" => t["town"],
        "CITY" => t["city"],
        "VILLAGE" => t["village"],
        _ => t["area"],
    };

    private sealed record Category(string Id, string Name, string? NameHindi, Department? Department);

    private sealed record Department(string Name, string? NameHindi);
}
