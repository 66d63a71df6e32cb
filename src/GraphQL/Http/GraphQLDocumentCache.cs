using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Helpline.GraphQL.Http;

/// <summary>
/// Documents that parsed, passed the document limits and validated against the schema, keyed by their text, so that a
/// document sent again (a portal's fixed queries, persisted documents) is neither parsed nor validated again: only
/// the rules that depend on the caller or the variables run (see <see cref="GraphQLHttpHandler"/>). Bounded by the
/// characters of text held (<see cref="GraphQLHttpOptions.DocumentCacheCharacters"/>): a document that does not fit is
/// simply not kept, and the least recently used ones are dropped to make room. The endpoint serves one schema, so the
/// text alone is the key.
/// </summary>
internal sealed class GraphQLDocumentCache : IDisposable
{
    private readonly MemoryCache? _cache;

    public GraphQLDocumentCache(IOptions<GraphQLHttpOptions> options)
    {
        var limit = options.Value.DocumentCacheCharacters;
        if (limit > 0)
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = limit, CompactionPercentage = 0.25 });
    }

    /// <summary>The validated document for <paramref name="query"/>, or null.</summary>
    public GraphQLDocument? Find(string query)
        => _cache is not null && _cache.TryGetValue(query, out var document) ? document as GraphQLDocument : null;

    /// <summary>Keeps <paramref name="document"/>, parsed from <paramref name="query"/>, which has just passed validation.</summary>
    public void Add(string query, GraphQLDocument document)
        => _cache?.Set(query, document, new MemoryCacheEntryOptions { Size = Math.Max(1, query.Length) });

    /// <summary>How many documents are held (for tests).</summary>
    public int Count => _cache?.Count ?? 0;

    public void Dispose() => _cache?.Dispose();
}
