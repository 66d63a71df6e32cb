using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Helpline.Access.Grants;
using Helpline.Platform.Access;
using Npgsql;

namespace Helpline.Access.Documents;

/// <summary>
/// The persisted documents in <c>access.persisted_document</c>, with a per-silo copy of the ones asked for: a miss reads
/// the database (so a document registered through another silo is found at once), and a document never changes under
/// its id, so what is kept never goes stale.
/// </summary>
internal sealed class PersistedDocuments(NpgsqlDataSource dataSource, SubjectLimits limits) : IPersistedDocuments
{
    /// <summary>Most documents kept in memory per silo; past it documents are read from the database every time.</summary>
    public const int MaxCached = 10_000;

    /// <summary>Most documents one <c>persistDocuments</c> registers.</summary>
    public const int MaxPerCall = 100;

    private readonly ConcurrentDictionary<(string Subject, string Id), string> _cache = new();

    /// <summary>The id of <paramref name="document"/>: <c>sha256:</c> and the lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    public static string IdOf(string document) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    public bool RequiresPersistedDocuments(Caller caller)
        => !caller.IsPublic && limits.Find(caller.Subject)?.PersistedDocumentsOnly == true;

    public async ValueTask<string?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        if (caller.IsPublic)
            return null;
        if (_cache.TryGetValue((caller.Subject, id), out var known))
            return known;
        await using var cmd = dataSource.CreateCommand("select document from access.persisted_document where subject = $1 and id = $2");
        cmd.Parameters.AddWithValue(caller.Subject);
        cmd.Parameters.AddWithValue(id);
        if (await cmd.ExecuteScalarAsync(cancellationToken) is not string document)
            return null;
        Remember(caller.Subject, id, document);
        return document;
    }

    /// <summary>Registers <paramref name="documents"/> for <paramref name="subject"/> (again is a no-op) and returns their ids, in order.</summary>
    public async Task<IReadOnlyList<string>> RegisterAsync(string subject, IReadOnlyList<string> documents, string by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = documents.Select(IdOf).ToList();
        await using var cmd = dataSource.CreateCommand(
            """
            insert into access.persisted_document (subject, id, document, registered_at, registered_by)
            select $1, d.id, d.document, $4, $5 from unnest($2::text[], $3::text[]) as d(id, document)
            on conflict (subject, id) do nothing
            """);
        cmd.Parameters.AddWithValue(subject);
        cmd.Parameters.AddWithValue(ids.ToArray());
        cmd.Parameters.AddWithValue(documents.ToArray());
        cmd.Parameters.AddWithValue(now);
        cmd.Parameters.AddWithValue(by);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        for (var i = 0; i < ids.Count; i++)
            Remember(subject, ids[i], documents[i]);
        return ids;
    }

    private void Remember(string subject, string id, string document)
    {
        if (_cache.Count < MaxCached)
            _cache.TryAdd((subject, id), document);
    }
}
