using System.Globalization;
using Helpline.WebConsole.Api;

namespace Helpline.WebConsole.Public;

/// <summary>A place the public may pick: its id, name, kind, and the places above it (for telling namesakes apart).</summary>
public sealed record Place(string Id, string Name, string Kind, string Within);

/// <summary>
/// Every jurisdiction of the state with its name, read once from the API's public <c>jurisdictions</c> tree and kept
/// for 10 minutes (one copy per silo), so that typing in the public page's place box filters in memory instead of
/// asking the API at every key.
/// </summary>
public sealed class JurisdictionDirectory(ConsoleApi api, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);

    // State > divisions > districts in one request, then the districts' tehsils, blocks and towns in batches: the
    // whole tree in one request is over the API's complexity limit.
    private const string Top = "{ jurisdictions { id name kind children { id name kind children { id name kind } } } }";
    private const int DistrictsPerRequest = 25;

    private readonly SemaphoreSlim _loading = new(1, 1);
    private IReadOnlyList<Place> _places = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    /// <summary>Up to <paramref name="max"/> places whose name contains <paramref name="text"/>: names that start with it first, then by name.</summary>
    public async Task<IReadOnlyList<Place>> SearchAsync(string text, int max, CancellationToken cancellationToken)
    {
        var places = await PlacesAsync(cancellationToken);
        var wanted = text.Trim();
        if (wanted.Length == 0)
        {
            return [];
        }

        var compare = CultureInfo.InvariantCulture.CompareInfo;
        return [.. places
            .Where(p => compare.IndexOf(p.Name, wanted, CompareOptions.IgnoreCase) >= 0 || string.Equals(p.Id, wanted, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => compare.IsPrefix(p.Name, wanted, CompareOptions.IgnoreCase) ? 0 : 1)
            .ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(p => p.Within, StringComparer.OrdinalIgnoreCase)
            .Take(max)];
    }

    private async Task<IReadOnlyList<Place>> PlacesAsync(CancellationToken cancellationToken)
    {
        if (clock.GetUtcNow() - _loadedAt < KeepFor)
        {
            return _places;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (clock.GetUtcNow() - _loadedAt >= KeepFor)
            {
                if (await LoadAsync(cancellationToken) is { } places)
                {
                    _places = places;
                    _loadedAt = clock.GetUtcNow();
                }
            }
        }
        finally
        {
            _loading.Release();
        }

        return _places;
    }

    // The whole tree, or null when the API did not answer (the copy we have, perhaps none yet, serves until it does).
    private async Task<List<Place>?> LoadAsync(CancellationToken cancellationToken)
    {
        var top = await api.SendAsync(null, Top, null, cancellationToken);
        if (!top.Ok || top.Get<List<Node>>("jurisdictions") is not { } roots)
        {
            return null;
        }

        var places = new List<Place>(2048);
        var districts = new List<(Node District, string Within)>();
        foreach (var state in roots)
        {
            places.Add(new Place(state.Id, state.Name, state.Kind, ""));
            foreach (var division in state.Children ?? [])
            {
                places.Add(new Place(division.Id, division.Name, division.Kind, state.Name));
                foreach (var district in division.Children ?? [])
                {
                    places.Add(new Place(district.Id, district.Name, district.Kind, division.Name));
                    districts.Add((district, $"{district.Name}, {division.Name}"));
                }
            }
        }

        foreach (var batch in districts.Chunk(DistrictsPerRequest))
        {
            var document = "query(" + string.Join(", ", batch.Select((_, i) => $"$d{i}: String!")) + ") { "
                + string.Join(" ", batch.Select((_, i) => $"d{i}: jurisdiction(id: $d{i}) {{ children {{ id name kind }} }}")) + " }";
            var variables = batch.Select((d, i) => (Key: "d" + i, d.District.Id)).ToDictionary(p => p.Key, p => (object)p.Id);
            var below = await api.SendAsync(null, document, variables, cancellationToken);
            if (!below.Ok)
            {
                return null;
            }

            for (var i = 0; i < batch.Length; i++)
            {
                foreach (var child in below.Get<Node>("d" + i)?.Children ?? [])
                {
                    places.Add(new Place(child.Id, child.Name, child.Kind, batch[i].Within));
                }
            }
        }

        return places;
    }

    /// <inheritdoc />
    public void Dispose() => _loading.Dispose();

    private sealed record Node(string Id, string Name, string Kind, IReadOnlyList<Node>? Children);
}
