using Helpline.Jurisdictions.Tree;
using Helpline.Platform.SharedData;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.Jurisdictions.Storage;

/// <summary>What one write changed.</summary>
/// <param name="Inserted">Rows added.</param>
/// <param name="Updated">Rows whose name, kind, parent, LGD code or path changed.</param>
/// <param name="Deleted">Rows removed because they are no longer shipped.</param>
internal readonly record struct JurisdictionWriteResult(int Inserted, int Updated, int Deleted)
{
    internal bool Changed => Inserted + Updated + Deleted > 0;
}

/// <summary>
/// Reads and writes <c>jurisdictions.jurisdiction</c>. Writers take one transaction-scoped advisory lock, read the
/// whole table (a few thousand rows), merge their nodes in, validate the result as a tree, and write only the rows
/// that differ, so repeating a write is a cheap no-op.
/// </summary>
internal sealed class JurisdictionStore(NpgsqlDataSource dataSource)
{
    /// <summary>Advisory lock key serialising writers of the jurisdiction table across processes.</summary>
    private const long WriteLockKey = 0x4A55_5249_5344; // "JURISD"

    private const string SelectAll = "select id, name, kind, parent_id, lgd_code, path from jurisdictions.jurisdiction";

    /// <summary>Reads every row and builds the tree from them.</summary>
    /// <exception cref="InvalidDataException">The stored rows do not form a tree.</exception>
    internal async Task<JurisdictionTree> ReadTreeAsync(CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await ReadRowsAsync(conn, null, cancellationToken);
        if (!JurisdictionTree.TryBuild(rows.Select(r => r.Jurisdiction), out var tree, out var errors))
        {
            throw new InvalidDataException("The stored jurisdictions do not form a tree: " + string.Join("; ", errors.Take(20)));
        }

        return tree;
    }

    /// <summary>
    /// Upserts <paramref name="upserts"/> in one transaction. When <paramref name="replaceSubtreeOf"/> is given, stored
    /// nodes at or below that id that are not among <paramref name="upserts"/> are deleted (the shipped file set is
    /// authoritative for its own tree; other roots are untouched).
    /// </summary>
    /// <exception cref="InvalidDataException">The merged nodes would not form a tree; nothing is written.</exception>
    internal async Task<JurisdictionWriteResult> WriteAsync(
        IReadOnlyList<Jurisdiction> upserts, string? replaceSubtreeOf, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await using (var lockCmd = new NpgsqlCommand("select pg_advisory_xact_lock(@key)", conn, tx))
        {
            lockCmd.Parameters.AddWithValue("key", WriteLockKey);
            await lockCmd.ExecuteNonQueryAsync(cancellationToken);
        }

        var stored = (await ReadRowsAsync(conn, tx, cancellationToken)).ToDictionary(r => r.Jurisdiction.Id, StringComparer.Ordinal);
        var merged = stored.ToDictionary(kv => kv.Key, kv => kv.Value.Jurisdiction, StringComparer.Ordinal);
        var upsertIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var j in upserts)
        {
            if (!upsertIds.Add(j.Id))
            {
                throw new InvalidDataException($"Jurisdiction '{j.Id}' is given more than once.");
            }

            merged[j.Id] = j;
        }

        var deletes = new List<string>();
        if (replaceSubtreeOf is not null)
        {
            foreach (var row in stored.Values)
            {
                if (!upsertIds.Contains(row.Jurisdiction.Id) && row.Path.Contains(replaceSubtreeOf, StringComparer.Ordinal))
                {
                    deletes.Add(row.Jurisdiction.Id);
                    merged.Remove(row.Jurisdiction.Id);
                }
            }
        }

        if (!JurisdictionTree.TryBuild(merged.Values, out var tree, out var errors))
        {
            throw new InvalidDataException(
                $"The jurisdictions would not form a tree ({errors.Count} problem(s)): " + string.Join("; ", errors.Take(20)));
        }

        // Only rows that differ from what is stored are written; a path changes when an ancestor moves.
        var changed = new List<(Jurisdiction Jurisdiction, string[] Path)>();
        var inserted = 0;
        foreach (var j in tree.All)
        {
            var path = tree.PathFromRootIds(j.Id);
            if (!stored.TryGetValue(j.Id, out var old))
            {
                inserted++;
                changed.Add((j, path));
            }
            else if (old.Jurisdiction != j || !old.Path.AsSpan().SequenceEqual(path))
            {
                changed.Add((j, path));
            }
        }

        if (changed.Count > 0)
        {
            await CopyAndUpsertAsync(conn, tx, changed, cancellationToken);
        }

        if (deletes.Count > 0)
        {
            await using var delete = new NpgsqlCommand("delete from jurisdictions.jurisdiction where id = any(@ids)", conn, tx);
            delete.Parameters.AddWithValue("ids", deletes.ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        var result = new JurisdictionWriteResult(inserted, changed.Count - inserted, deletes.Count);
        if (result.Changed)
        {
            // When it was stored is wall-clock time, not the SLA clock.
            await SharedDataChanges.PublishAsync(
                conn, tx, JurisdictionsArea.Name, $"{result.Inserted} added, {result.Updated} changed, {result.Deleted} removed", TimeProvider.System.GetUtcNow(), cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task CopyAndUpsertAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, List<(Jurisdiction Jurisdiction, string[] Path)> rows, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            "create temp table jurisdiction_stage (id text, name text, kind text, parent_id text, lgd_code text, path text[]) on commit drop",
            conn, tx))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await conn.BeginBinaryImportAsync(
            "copy jurisdiction_stage (id, name, kind, parent_id, lgd_code, path) from stdin (format binary)", cancellationToken))
        {
            foreach (var (j, path) in rows)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(j.Id, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(j.Name, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(j.Kind.ToString(), NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, j.ParentId, cancellationToken);
                await WriteNullableAsync(copy, j.LgdCode, cancellationToken);
                await copy.WriteAsync(path, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var upsert = new NpgsqlCommand(
            """
            insert into jurisdictions.jurisdiction (id, name, kind, parent_id, lgd_code, path)
            select id, name, kind, parent_id, lgd_code, path from jurisdiction_stage
            on conflict (id) do update set
              name = excluded.name, kind = excluded.kind, parent_id = excluded.parent_id,
              lgd_code = excluded.lgd_code, path = excluded.path, updated_at = now()
            """,
            conn, tx);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static async Task<List<StoredRow>> ReadRowsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken cancellationToken)
    {
        var rows = new List<StoredRow>(4096);
        await using var cmd = new NpgsqlCommand(SelectAll, conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            var kindText = reader.GetString(2);
            if (!Enum.TryParse<JurisdictionKind>(kindText, ignoreCase: false, out var kind))
            {
                throw new InvalidDataException($"Stored jurisdiction '{id}' has unknown kind '{kindText}'.");
            }

            var j = new Jurisdiction(
                id,
                reader.GetString(1),
                kind,
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4));
            rows.Add(new StoredRow(j, reader.GetFieldValue<string[]>(5)));
        }

        return rows;
    }

    private sealed record StoredRow(Jurisdiction Jurisdiction, string[] Path);
}
