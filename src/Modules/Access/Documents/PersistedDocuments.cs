using System.Security.Cryptography;
using System.Text;
using Helpline.Access.Grants;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace Helpline.Access.Documents;

/// <summary>
/// The persisted documents in <c>access.persisted_document</c>, with a per-silo copy of the ones asked for: a miss reads
/// the database (so a document registered through another silo is found at once), and a document never changes under
/// its id, so what is kept never goes stale.
/// </summary>
internal sealed class PersistedDocuments(NpgsqlDataSource dataSource, SubjectLimits limits) : IPersistedDocuments, IDisposable
{
    /// <summary>
    /// Characters of documents kept in memory per silo. Only documents used are kept (not every one registered), and
    /// the least used go first, so one subject registering much cannot push out everybody's.
    /// </summary>
    public const int MaxCachedCharacters = 10_000_000;

    /// <summary>Most documents one <c>persistDocuments</c> registers.</summary>
    public const int MaxPerCall = 100;

    /// <summary>Most documents one subject may have registered: a portal's queries, not a store for anything.</summary>
    public const int MaxPerSubject = 1_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxCachedCharacters, CompactionPercentage = 0.25 });

    /// <summary>The id of <paramref name="document"/>: <c>sha256:</c> and the lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    public static string IdOf(string document) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    public bool RequiresPersistedDocuments(Caller caller)
        => !caller.IsPublic && limits.Find(caller.Subject)?.PersistedDocumentsOnly == true;

    public async ValueTask<string?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        if (caller.IsPublic)
            return null;
        if (_cache.TryGetValue((caller.Subject, id), out string? known))
            return known;
        await using var cmd = dataSource.CreateCommand("select document from access.persisted_document where subject = $1 and id = $2");
        cmd.Parameters.AddWithValue(caller.Subject);
        cmd.Parameters.AddWithValue(id);
        if (await cmd.ExecuteScalarAsync(cancellationToken) is not string document)
            return null;
        Remember(caller.Subject, id, document);
        return document;
    }

    /// <summary>
    /// Registers <paramref name="documents"/> for <paramref name="subject"/> (again is a no-op) and returns their ids, in
    /// order; refused when the subject would hold more than <see cref="MaxPerSubject"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> RegisterAsync(string subject, IReadOnlyList<string> documents, string by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = documents.Select(IdOf).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        // One registration of a subject at a time, so two at once cannot both pass the count.
        await using (var lockCmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('helpline.persisted-documents'), hashtext($1))", connection, tx))
        {
            lockCmd.Parameters.AddWithValue(subject);
            await lockCmd.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var count = new NpgsqlCommand(
            "select (select count(*) from access.persisted_document where subject = $1) + (select count(*) from unnest($2::text[]) as n(id) where not exists (select 1 from access.persisted_document d where d.subject = $1 and d.id = n.id))",
            connection, tx))
        {
            count.Parameters.AddWithValue(subject);
            count.Parameters.AddWithValue(ids.Distinct(StringComparer.Ordinal).ToArray());
            var after = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (after > MaxPerSubject)
            {
                throw new HelplineException(AccessErrorCodes.PersistedDocumentLimit,
                    $"'{subject}' would hold {after} persisted documents; at most {MaxPerSubject} may be registered for one subject.", "documents");
            }
        }

        await using var cmd = new NpgsqlCommand(
            """
            insert into access.persisted_document (subject, id, document, registered_at, registered_by)
            select $1, d.id, d.document, $4, $5 from unnest($2::text[], $3::text[]) as d(id, document)
            on conflict (subject, id) do nothing
            """,
            connection,
            tx);
        cmd.Parameters.AddWithValue(subject);
        cmd.Parameters.AddWithValue(ids.ToArray());
        cmd.Parameters.AddWithValue(documents.ToArray());
        cmd.Parameters.AddWithValue(now);
        cmd.Parameters.AddWithValue(by);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ids;
    }

    private void Remember(string subject, string id, string document) =>
        _cache.Set((subject, id), document, new MemoryCacheEntryOptions { Size = Math.Max(1, document.Length) });

    public void Dispose() => _cache.Dispose();
}
