using System.Collections.Frozen;
using Helpline.Platform.SharedData;
using Npgsql;

namespace Helpline.Access.Grants;

/// <summary>
/// Limits an administrator put on a subject after its tokens were issued: a narrower scope, or every token issued
/// before an instant refused. A token can only be narrowed, never widened, by a limit.
/// </summary>
/// <param name="Subject">The token subject limited.</param>
/// <param name="DepartmentIds">Departments the subject is limited to; null for no such limit.</param>
/// <param name="JurisdictionIds">Jurisdictions the subject is limited to (with everything below each); null for no such limit.</param>
/// <param name="TokensRevokedBefore">Tokens issued before this instant are refused; null for none.</param>
/// <param name="ChangedAt">When it was last changed.</param>
/// <param name="ChangedBy">Who changed it.</param>
/// <param name="PersistedDocumentsOnly">Whether the subject may send persisted documents only.</param>
internal sealed record SubjectLimit(
    string Subject,
    IReadOnlyList<string>? DepartmentIds,
    IReadOnlyList<string>? JurisdictionIds,
    DateTimeOffset? TokensRevokedBefore,
    DateTimeOffset ChangedAt,
    string ChangedBy,
    bool PersistedDocumentsOnly);

/// <summary>Every silo's in-memory copy of the subject limits, reloaded whole when any silo changes one.</summary>
internal sealed class SubjectLimits(NpgsqlDataSource dataSource)
{
    public const string Name = "access";

    private readonly Lock _gate = new();
    private FrozenDictionary<string, SubjectLimit> _limits = FrozenDictionary<string, SubjectLimit>.Empty;
    private long _lastRead;
    private long _published;

    public SubjectLimit? Find(string subject) => Volatile.Read(ref _limits).GetValueOrDefault(subject);

    public IReadOnlyCollection<SubjectLimit> All => Volatile.Read(ref _limits).Values;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _lastRead);
        var limits = await ReadAsync(dataSource, cancellationToken);
        lock (_gate)
        {
            // A read that started later may already be in: never put an older one over it.
            if (sequence > _published)
            {
                _published = sequence;
                Volatile.Write(ref _limits, limits.ToFrozenDictionary(l => l.Subject, StringComparer.Ordinal));
            }
        }
    }

    private static async Task<List<SubjectLimit>> ReadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "select subject, department_ids, jurisdiction_ids, tokens_revoked_before, changed_at, changed_by, persisted_documents_only from access.subject_limit");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<SubjectLimit>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new SubjectLimit(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetFieldValue<string[]>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<string[]>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5),
                reader.GetBoolean(6)));
        }

        return list;
    }
}

/// <summary>The shared-data area <c>access</c>: reloads the subject limits when any silo changes one.</summary>
internal sealed class SubjectLimitsArea(SubjectLimits limits) : ISharedDataArea
{
    public string Area => SubjectLimits.Name;

    // After the roster: nothing else depends on it.
    public int Order => 40;

    public Task RefreshAsync(CancellationToken cancellationToken) => limits.RefreshAsync(cancellationToken);
}
