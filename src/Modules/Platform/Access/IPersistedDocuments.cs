namespace Helpline.Platform.Access;

/// <summary>
/// Persisted documents: GraphQL documents a subject registered (or an administrator registered for it), which it then
/// sends by id alone (<c>documentId</c> = <c>sha256:&lt;hex of the UTF-8 document&gt;</c>); and the subjects that may send
/// nothing else. Kept in the database, so a document registered through one silo runs on every silo.
/// </summary>
public interface IPersistedDocuments
{
    /// <summary>The text of document <paramref name="id"/> registered for <paramref name="caller"/>'s subject, or null.</summary>
    ValueTask<string?> FindAsync(Caller caller, string id, CancellationToken cancellationToken);

    /// <summary>Whether an administrator set <paramref name="caller"/>'s subject to send persisted documents only.</summary>
    bool RequiresPersistedDocuments(Caller caller);
}
