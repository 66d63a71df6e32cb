using Npgsql;
using NpgsqlTypes;

namespace Helpline.Officers.Roster;

/// <summary>What one roster write did.</summary>
/// <param name="Skipped">True when the stored content hash matched and nothing was written.</param>
/// <param name="Positions">Generated positions.</param>
/// <param name="NewOfficers">Officers given a new number in this write.</param>
/// <param name="DeletedOfficers">Generated officers removed because their seat is no longer generated.</param>
/// <param name="DeletedPositions">Generated positions removed.</param>
internal sealed record RosterWriteResult(bool Skipped, int Positions, int NewOfficers, int DeletedOfficers, int DeletedPositions);

/// <summary>
/// Reads and writes <c>officers.position</c> and <c>officers.officer</c>. The generated roster is written in one
/// transaction under an advisory lock: stage with binary COPY, upsert what differs, delete generated rows that are no
/// longer generated, record the content hash.
/// </summary>
internal sealed class RosterStore(NpgsqlDataSource dataSource)
{
    internal const string GeneratedOrigin = "generated";
    internal const string UttarPradeshRoster = "up";

    private const long WriteLockKey = 0x4F46_4649_4345; // "OFFICE"

    /// <summary>
    /// Makes the generated part of the roster equal to <paramref name="positions"/> with one officer per seat. Seats
    /// that already have a holder keep them; other seats get the next free officer numbers in the given order.
    /// Does nothing when <paramref name="contentHash"/> equals the hash stored by the last write.
    /// </summary>
    internal async Task<RosterWriteResult> WriteGeneratedAsync(IReadOnlyList<Position> positions, string contentHash, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await using (var lockCmd = new NpgsqlCommand("select pg_advisory_xact_lock(@key)", conn, tx))
        {
            lockCmd.Parameters.AddWithValue("key", WriteLockKey);
            await lockCmd.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var hashCmd = new NpgsqlCommand("select content_hash from officers.roster_load where roster = @roster", conn, tx))
        {
            hashCmd.Parameters.AddWithValue("roster", UttarPradeshRoster);
            if (await hashCmd.ExecuteScalarAsync(cancellationToken) is string stored && stored == contentHash)
            {
                await tx.CommitAsync(cancellationToken);
                return new RosterWriteResult(true, positions.Count, 0, 0, 0);
            }
        }

        // Existing holders keep their seats; numbering continues after the highest OFF- number in use.
        var holderOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var generatedOfficers = new HashSet<string>(StringComparer.Ordinal);
        var maxNumber = 0;
        await using (var read = new NpgsqlCommand("select id, position_id, origin from officers.officer", conn, tx))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                holderOf[reader.GetString(1)] = id;
                if (reader.GetString(2) == GeneratedOrigin)
                {
                    generatedOfficers.Add(id);
                }

                maxNumber = Math.Max(maxNumber, FakeIdentity.NumberOf(id) ?? 0);
            }
        }

        var officers = new List<Officer>(positions.Count);
        var newOfficers = 0;
        foreach (var position in positions)
        {
            if (holderOf.TryGetValue(position.Id, out var holderId))
            {
                // A generated holder is rewritten (its name may follow a new FakeIdentity version); others are left alone.
                if (generatedOfficers.Contains(holderId) && FakeIdentity.NumberOf(holderId) is { } number)
                {
                    officers.Add(RosterGenerator.Officer(number, position.Id));
                }
            }
            else
            {
                officers.Add(RosterGenerator.Officer(++maxNumber, position.Id));
                newOfficers++;
            }
        }

        await StageAsync(conn, tx, positions, officers, cancellationToken);
        var deletedOfficers = await ExecuteAsync(
            conn, tx,
            "delete from officers.officer o where o.origin = 'generated' and not exists (select 1 from officer_stage s where s.id = o.id)",
            cancellationToken);
        await ExecuteAsync(
            conn, tx,
            """
            insert into officers.position as p (id, title, department_id, jurisdiction_id, supervisor_position_id, origin)
            select id, title, department_id, jurisdiction_id, supervisor_position_id, 'generated' from position_stage
            on conflict (id) do update set
              title = excluded.title, department_id = excluded.department_id, jurisdiction_id = excluded.jurisdiction_id,
              supervisor_position_id = excluded.supervisor_position_id, origin = excluded.origin
            where (p.title, p.department_id, p.jurisdiction_id, p.supervisor_position_id, p.origin)
              is distinct from (excluded.title, excluded.department_id, excluded.jurisdiction_id, excluded.supervisor_position_id, excluded.origin)
            """,
            cancellationToken);
        var deletedPositions = await ExecuteAsync(
            conn, tx,
            "delete from officers.position p where p.origin = 'generated' and not exists (select 1 from position_stage s where s.id = p.id)",
            cancellationToken);
        await ExecuteAsync(
            conn, tx,
            """
            insert into officers.officer as o (id, name, mobile, position_id, origin)
            select id, name, mobile, position_id, 'generated' from officer_stage
            on conflict (id) do update set name = excluded.name, mobile = excluded.mobile, position_id = excluded.position_id
            where (o.name, o.mobile, o.position_id) is distinct from (excluded.name, excluded.mobile, excluded.position_id)
            """,
            cancellationToken);
        await using (var record = new NpgsqlCommand(
            """
            insert into officers.roster_load (roster, content_hash) values (@roster, @hash)
            on conflict (roster) do update set content_hash = excluded.content_hash, loaded_at = now()
            """,
            conn, tx))
        {
            record.Parameters.AddWithValue("roster", UttarPradeshRoster);
            record.Parameters.AddWithValue("hash", contentHash);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return new RosterWriteResult(false, positions.Count, newOfficers, deletedOfficers, deletedPositions);
    }

    /// <summary>Reads every position and officer.</summary>
    internal async Task<OfficerRoster> ReadAsync(CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var positions = new List<Position>(16_384);
        await using (var cmd = new NpgsqlCommand("select id, title, department_id, jurisdiction_id, supervisor_position_id from officers.position", conn))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                positions.Add(new Position(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }

        var officers = new List<Officer>(positions.Count);
        await using (var cmd = new NpgsqlCommand("select id, name, mobile, position_id from officers.officer", conn))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                officers.Add(new Officer(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        return OfficerRoster.Build(positions, officers);
    }

    private static async Task StageAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<Position> positions, List<Officer> officers, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            conn, tx,
            """
            create temp table position_stage (id text primary key, title text, department_id text, jurisdiction_id text, supervisor_position_id text) on commit drop;
            create temp table officer_stage (id text primary key, name text, mobile text, position_id text) on commit drop;
            """,
            cancellationToken);

        await using (var copy = await conn.BeginBinaryImportAsync(
            "copy position_stage (id, title, department_id, jurisdiction_id, supervisor_position_id) from stdin (format binary)", cancellationToken))
        {
            foreach (var p in positions)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(p.Id, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(p.Title, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(p.DepartmentId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(p.JurisdictionId, NpgsqlDbType.Text, cancellationToken);
                if (p.SupervisorPositionId is null)
                {
                    await copy.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await copy.WriteAsync(p.SupervisorPositionId, NpgsqlDbType.Text, cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await conn.BeginBinaryImportAsync(
            "copy officer_stage (id, name, mobile, position_id) from stdin (format binary)", cancellationToken))
        {
            foreach (var o in officers)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(o.Id, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(o.Name, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(o.Mobile, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(o.PositionId, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
