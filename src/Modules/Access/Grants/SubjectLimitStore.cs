using Helpline.Platform.SharedData;
using Npgsql;

namespace Helpline.Access.Grants;

/// <summary>Writes subject limits and tells every silo (shared-data area <c>access</c>).</summary>
internal sealed class SubjectLimitStore(NpgsqlDataSource dataSource, SubjectLimits limits, ISharedData sharedData)
{
    /// <summary>
    /// Sets the scope limit of a subject (null lists remove that kind of limit) and, unless
    /// <paramref name="persistedDocumentsOnly"/> is null, whether it may send persisted documents only; keeps any revocation.
    /// </summary>
    public Task<SubjectLimit> LimitAsync(string subject, IReadOnlyList<string>? departmentIds, IReadOnlyList<string>? jurisdictionIds, bool? persistedDocumentsOnly, string by, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            """
            insert into access.subject_limit (subject, department_ids, jurisdiction_ids, changed_at, changed_by, persisted_documents_only)
            values ($1, $2, $3, $4, $5, coalesce($6, false))
            on conflict (subject) do update set department_ids = excluded.department_ids, jurisdiction_ids = excluded.jurisdiction_ids,
                changed_at = excluded.changed_at, changed_by = excluded.changed_by,
                persisted_documents_only = coalesce($6, access.subject_limit.persisted_documents_only)
            """,
            subject,
            [TextArray(departmentIds), TextArray(jurisdictionIds), new NpgsqlParameter { Value = now }, new NpgsqlParameter { Value = by },
                new NpgsqlParameter { Value = (object?)persistedDocumentsOnly ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean }],
            "subject limited",
            now,
            cancellationToken);

    /// <summary>
    /// Refuses every token of the subject issued up to <paramref name="now"/>; keeps any scope limit. Tokens carry their
    /// issue time in whole seconds, so the instant is rounded up to the next second: a token minted in the same second
    /// as the revocation is refused too, and one minted a second later works.
    /// </summary>
    public Task<SubjectLimit> RevokeAsync(string subject, string by, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            """
            insert into access.subject_limit (subject, tokens_revoked_before, changed_at, changed_by) values ($1, $2, $3, $4)
            on conflict (subject) do update set tokens_revoked_before = excluded.tokens_revoked_before,
                changed_at = excluded.changed_at, changed_by = excluded.changed_by
            """,
            subject,
            [new NpgsqlParameter { Value = CeilingToSecond(now) }, new NpgsqlParameter { Value = now }, new NpgsqlParameter { Value = by }],
            "tokens revoked",
            now,
            cancellationToken);

    private static DateTimeOffset CeilingToSecond(DateTimeOffset at)
    {
        var floor = new DateTimeOffset(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), at.Offset);
        return floor == at ? at : floor.AddSeconds(1);
    }

    private static NpgsqlParameter TextArray(IReadOnlyList<string>? values) =>
        new() { Value = (object?)values?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text };

    /// <summary>Runs the upsert (subject first, then <paramref name="parameters"/>) and publishes the change in one transaction; returns the limit as this silo now holds it.</summary>
    private async Task<SubjectLimit> WriteAsync(string sql, string subject, NpgsqlParameter[] parameters, string change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var cmd = new NpgsqlCommand(sql, connection, tx))
            {
                cmd.Parameters.AddWithValue(subject);
                cmd.Parameters.AddRange(parameters);
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }

            await SharedDataChanges.PublishAsync(connection, tx, SubjectLimits.Name, change, now, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        await sharedData.CatchUpAsync(cancellationToken);
        return limits.Find(subject) ?? throw new InvalidOperationException($"The limit of '{subject}' was saved but is not loaded.");
    }
}
