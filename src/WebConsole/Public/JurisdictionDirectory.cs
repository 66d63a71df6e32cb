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

    // State > divisions > districts > tehsils, blocks and towns > what lies below those: five levels.
    private const string Tree = """
        { jurisdictions { id name kind children { id name kind children { id name kind children { id name kind
          children { id name kind children { id name kind } } } } } } }
        """;

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
                var result = await api.SendAsync(null, Tree, null, cancellationToken);

                // When the API cannot answer, the copy we have (perhaps none yet) serves until it can.
                if (result.Ok && result.Get<List<Node>>("jurisdictions") is { } roots)
                {
                    var places = new List<Place>(2048);
                    Flatten(roots, [], places);
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

    private static void Flatten(IReadOnlyList<Node> nodes, IReadOnlyList<string> above, List<Place> into)
    {
        foreach (var node in nodes)
        {
            // The nearest places above first (a block of Lucknow: "Lucknow, Lucknow division"), not the whole state.
            into.Add(new Place(node.Id, node.Name, node.Kind, string.Join(", ", above.Reverse().Take(2))));
            if (node.Children is { Count: > 0 } children)
            {
                Flatten(children, [.. above, node.Name], into);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _loading.Dispose();

    private sealed record Node(string Id, string Name, string Kind, IReadOnlyList<Node>? Children);
}
