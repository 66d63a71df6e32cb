using System.Globalization;

namespace Helpline.WebConsole.Places;

/// <summary>One jurisdiction as the place boxes offer it: its id, kind, name, and the names above it to tell it apart.</summary>
/// <param name="Id">The API's id, e.g. <c>block:1330</c>.</param>
/// <param name="Kind">The API's kind, e.g. <c>BLOCK</c>.</param>
/// <param name="Name">The name as the API gives it, in readable case.</param>
/// <param name="Parents">Its parents below the state, nearest first: a block's district and division.</param>
public sealed record Place(string Id, string Kind, string Name, IReadOnlyList<PlaceParent> Parents)
{
    internal string Lower { get; } = PlaceIndex.Plain(Name);

    internal IReadOnlyList<string> WordSkeletons { get; } = Skeleton.Words(Name);
}

/// <summary>A parent of a place: its kind and readable name.</summary>
public sealed record PlaceParent(string Kind, string Name);

/// <summary>
/// Every jurisdiction, searched in memory: English by prefix, word prefix or substring; Devanagari (and Latin with no
/// plain match) by consonant skeleton. Immutable: a refresh builds a new index.
/// </summary>
public sealed class PlaceIndex
{
    private readonly IReadOnlyList<Place> _places;

    /// <summary>Builds the index over <paramref name="places"/>.</summary>
    public PlaceIndex(IEnumerable<Place> places) => _places = [.. places];

    /// <summary>How many places the index holds.</summary>
    public int Count => _places.Count;

    /// <summary>The best <paramref name="max"/> places for what the agent typed, best first.</summary>
    public IReadOnlyList<Place> Search(string? query, int max = 10)
    {
        var text = (query ?? "").Trim();
        if (text.Length == 0)
        {
            return [];
        }

        var ranked = new List<(int Rank, Place Place)>();
        if (!Skeleton.IsDevanagari(text))
        {
            var lower = Plain(text);
            foreach (var place in _places)
            {
                var rank = place.Lower == lower ? 0
                    : place.Lower.StartsWith(lower, StringComparison.Ordinal) ? 1
                    : place.Lower.Contains(" " + lower, StringComparison.Ordinal) ? 2
                    : place.Lower.Contains(lower, StringComparison.Ordinal) ? 3
                    : -1;
                if (rank >= 0)
                {
                    ranked.Add((rank, place));
                }
            }
        }

        if (ranked.Count == 0)
        {
            // Hindi typed in Devanagari, or a romanisation other than the data's (Lakhnau): match by sound.
            var skeleton = Skeleton.Of(text);
            if (skeleton.Length == 0)
            {
                return [];
            }

            foreach (var place in _places)
            {
                var rank = SkeletonRank(place.WordSkeletons, skeleton);
                if (rank >= 0)
                {
                    ranked.Add((4 + rank, place));
                }
            }
        }

        return [.. ranked
            .OrderBy(r => r.Rank)
            .ThenBy(r => KindOrder(r.Place.Kind))
            .ThenBy(r => r.Place.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Place.Id, StringComparer.Ordinal)
            .Take(max)
            .Select(r => r.Place)];
    }

    // 0: the whole name sounds the same; 1: the name starts so; 2: a later word of it starts so; -1: no match.
    private static int SkeletonRank(IReadOnlyList<string> words, string skeleton)
    {
        for (var start = 0; start < words.Count; start++)
        {
            var rest = string.Concat(words.Skip(start));
            if (rest.StartsWith(skeleton, StringComparison.Ordinal))
            {
                return start > 0 ? 2 : rest.Length == skeleton.Length ? 0 : 1;
            }
        }

        return -1;
    }

    // Districts are what callers name most; then the places an L1 seat sits at.
    private static int KindOrder(string kind) => kind switch
    {
        "DISTRICT" => 0,
        "TEHSIL" => 1,
        "BLOCK" => 2,
        "URBAN_LOCAL_BODY" => 3,
        "CITY" => 4,
        "DIVISION" => 5,
        _ => 6,
    };

    // Lower case, hyphens as spaces: the data writes BAKSHI-KA-TALAB and Bakshi Ka Talab.
    internal static string Plain(string name) => name.ToLowerInvariant().Replace('-', ' ');

    /// <summary>A name in readable case: the data writes some names in capitals (AGRA), others not (Amethi).</summary>
    public static string Readable(string name) =>
        name.Any(char.IsLower) ? name : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.ToLowerInvariant());
}
