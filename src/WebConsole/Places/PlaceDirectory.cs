using Helpline.WebConsole.Api;

namespace Helpline.WebConsole.Places;

/// <summary>
/// The jurisdictions for the place boxes of the agent desk and the public page, per silo: read once through the public
/// API (about 2,000 names, the same for everyone), searched in memory on each keystroke, and read again in the
/// background when older than <see cref="MaxAge"/> so a renamed or added place shows within that time without slowing
/// any keystroke.
/// </summary>
public sealed class PlaceDirectory(IHttpClientFactory clients, ApiAddress address, TimeProvider time) : IDisposable
{
    /// <summary>How long a read of the tree is used before it is read again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private const string Query = """
        { jurisdictions { id kind name children { id kind name children { id kind name children { id kind name
          children { id kind name } } } } } }
        """;

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _current;

    /// <summary>The index, read now if there is none yet; null when the API could not be read (the page says so).</summary>
    public async Task<PlaceIndex?> GetAsync(CancellationToken cancellationToken = default)
    {
        var current = _current;
        if (current is null)
        {
            return await LoadAsync(cancellationToken);
        }

        if (time.GetUtcNow() - current.ReadAt > MaxAge && _loading.CurrentCount > 0)
        {
            // The old index serves this keystroke; the next ones get the new one.
            _ = Task.Run(() => LoadAsync(CancellationToken.None), CancellationToken.None);
        }

        return current.Index;
    }

    private async Task<PlaceIndex?> LoadAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } fresh && time.GetUtcNow() - fresh.ReadAt <= MaxAge)
            {
                return fresh.Index;
            }

            var result = await new ConsoleApi(clients, address).SendAsync(null, Query, null, cancellationToken);
            var roots = result.Ok ? result.Get<List<Node>>("jurisdictions") : null;
            if (roots is null)
            {
                // Keep serving the previous read, if any; the next search tries again.
                return _current?.Index;
            }

            var places = new List<Place>();
            foreach (var root in roots)
            {
                Flatten(root, [], places);
            }

            var index = new PlaceIndex(places);
            _current = new Snapshot(index, time.GetUtcNow());
            return index;
        }
        finally
        {
            _loading.Release();
        }
    }

    // The state itself is no place to register a grievance at, and naming it under every place adds nothing.
    private static void Flatten(Node node, List<PlaceParent> parents, List<Place> into)
    {
        var name = PlaceIndex.Readable(node.Name);
        if (node.Kind != "STATE")
        {
            into.Add(new Place(node.Id, node.Kind, name, [.. Enumerable.Reverse(parents)]));
        }

        var below = node.Kind == "STATE" ? parents : [.. parents, new PlaceParent(node.Kind, name)];
        foreach (var child in node.Children ?? [])
        {
            Flatten(child, below, into);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _loading.Dispose();

    private sealed record Snapshot(PlaceIndex Index, DateTimeOffset ReadAt);

    private sealed record Node(string Id, string Kind, string Name, List<Node>? Children);
}
