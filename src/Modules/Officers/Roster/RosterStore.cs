using System.Data;
using Helpline.Platform.SharedData;
using Npgsql;
using NpgsqlTypes;

using Helpline.Officers.Postings;

namespace Helpline.Officers.Roster;

/// <summary>What one roster write did.</summary>
/// <param name="Skipped">True when the stored content hash matched and nothing was written.</param>
/// <param name="Positions">Generated positions.</param>
/// <param name="NewOfficers">Officers given a new number in this write.</param>
/// <param name="DeletedOfficers">Generated officers removed because their seat is no longer generated.</param>
/// <param name="DeletedPositions">Generated positions removed.</param>
internal sealed record RosterWriteResult(bool Skipped, int Positions, int NewOfficers, int DeletedOfficers, int DeletedPositions);

/// <summary>What one <see cref="RosterStore.EnsureSeatsAsync"/> write did.</summary>
/// <param name="Inserted">Positions that did not exist and were inserted, as stored.</param>
/// <param name="NewOfficers">Officers generated for seats that had no holder, in the order of the given positions.</param>
/// <param name="Change">When something was written: the roster change's position in the event log, and the roster's change before it.</param>
internal sealed record SeatsWriteResult(IReadOnlyList<Position> Inserted, IReadOnlyList<Officer> NewOfficers, (long Position, long Previous)? Change);

/// <summary>
/// Reads and writes <c>officers.position</c> and <c>officers.officer</c>. The generated roster is written in one
/// transaction under an advisory lock: stage with binary COPY, upsert what differs, delete generated rows that are no
/// longer generated, record the content hash. Rows of any other origin (<c>import</c>, written by
/// <see cref="EnsureSeatsAsync"/> under the same lock; <c>admin</c>, touched by an administrator's posting, leave or
/// phone change) are never changed or deleted by it, and a seat of origin <c>admin</c> that has nobody posted stays
/// vacant (the administrator left it so).
/// </summary>
internal sealed class RosterStore(NpgsqlDataSource dataSource)
{
    internal const string GeneratedOrigin = "generated";

    /// <summary>Origin of the positions and officers written by <see cref="EnsureSeatsAsync"/> (the roster registry).</summary>
    internal const string ImportOrigin = "import";

    /// <summary>Origin of the positions and officers an administrator has changed (postings, leave, office phone, added officers).</summary>
    internal const string AdminOrigin = "admin";

    internal const string UttarPradeshRoster = "up";

    /// <summary>The roster's advisory write lock, taken by every writer (loader, registry, posting administration).</summary>
    internal const long WriteLockKey = 0x4F46_4649_4345; // "OFFICE"

    /// <summary>
    /// Makes the generated part of the roster equal to <paramref name="positions"/> with one officer per seat. Seats
    /// that already have a holder keep them; other seats get the next free officer numbers (after the highest in use,
    /// whatever its origin) in the given order. Does nothing when <paramref name="contentHash"/> equals the hash stored
    /// by the last write. A generated position whose id is taken by a position of another origin is left as that row is;
    /// a generated position no longer generated stays while a row of another origin depends on it (holds it, or has it
    /// somewhere up its supervisor chain), so that the write never fails because of an imported row.
    /// </summary>
    internal async Task<RosterWriteResult> WriteGeneratedAsync(IReadOnlyList<Position> positions, string contentHash, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await LockAsync(conn, tx, cancellationToken);

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
                if (!reader.IsDBNull(1))
                {
                    holderOf[reader.GetString(1)] = id;
                }

                if (reader.GetString(2) == GeneratedOrigin)
                {
                    generatedOfficers.Add(id);
                }

                maxNumber = Math.Max(maxNumber, FakeIdentity.NumberOf(id) ?? 0);
            }
        }

        // A seat an administrator changed is theirs: whoever they posted stays, and if they left it vacant it stays so.
        var adminSeats = await ReadIdsAsync(conn, tx, "select id from officers.position where origin = 'admin'", cancellationToken);
        var officers = new List<Officer>(positions.Count);
        var newOfficers = 0;
        foreach (var position in positions)
        {
            if (holderOf.TryGetValue(position.Id, out var holderId))
            {
                // A generated holder is rewritten (its name may follow a new FakeIdentity version); others are left alone.
                // Also at a seat an administrator changed (an office phone, say): left out, the holder would be deleted.
                if (generatedOfficers.Contains(holderId) && FakeIdentity.NumberOf(holderId) is { } number)
                {
                    officers.Add(RosterGenerator.Officer(number, position.Id));
                }
            }
            else if (!adminSeats.Contains(position.Id))
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
            where p.origin = 'generated'
              and (p.title, p.department_id, p.jurisdiction_id, p.supervisor_position_id)
              is distinct from (excluded.title, excluded.department_id, excluded.jurisdiction_id, excluded.supervisor_position_id)
            """,
            cancellationToken);
        var deletedPositions = await ExecuteAsync(
            conn, tx,
            """
            with recursive needed (id) as (
              -- Seats that rows of another origin depend on, and the supervisor chains above them.
              select id from (
                select o.position_id as id from officers.officer o where o.origin <> 'generated'
                union
                select c.supervisor_position_id from officers.position c where c.origin <> 'generated'
              ) direct
              where id is not null
              union
              select p.supervisor_position_id from officers.position p join needed n on n.id = p.id
              where p.supervisor_position_id is not null
            )
            delete from officers.position p
            where p.origin = 'generated'
              and not exists (select 1 from position_stage s where s.id = p.id)
              and not exists (select 1 from needed n where n.id = p.id)
            """,
            cancellationToken);
        await ExecuteAsync(
            conn, tx,
            """
            insert into officers.officer as o (id, name, mobile, position_id, origin)
            select id, name, mobile, position_id, 'generated' from officer_stage
            on conflict (id) do update set name = excluded.name, mobile = excluded.mobile, position_id = excluded.position_id
            where o.origin = 'generated'
              and (o.name, o.mobile, o.position_id) is distinct from (excluded.name, excluded.mobile, excluded.position_id)
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

        await SharedDataChanges.PublishAsync(conn, tx, RosterArea.Name, "shipped roster loaded", TimeProvider.System.GetUtcNow(), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new RosterWriteResult(false, positions.Count, newOfficers, deletedOfficers, deletedPositions);
    }

    /// <summary>
    /// Inserts the given positions that do not exist (origin <c>import</c>; existing ones are left as they are) and gives
    /// each given seat without a holder a generated officer numbered after the highest <c>OFF-</c> number in use
    /// (origin <c>import</c>), in one transaction under the roster's write lock. The positions are already checked one by
    /// one (non-blank, distinct ids, no cycle); the checks that need the stored roster are made here.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A supervisor is neither given nor stored, or a new position's department and jurisdiction already have a seat
    /// under another id; nothing is stored.
    /// </exception>
    /// <exception cref="InvalidOperationException">The officer numbers (six digits, for the fake mobile numbers) are used up.</exception>
    internal async Task<SeatsWriteResult> EnsureSeatsAsync(IReadOnlyList<Position> positions, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await LockAsync(conn, tx, cancellationToken);

        var given = positions.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("select id from officers.position where id = any($1)", conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string[]>
            {
                TypedValue = [.. given.Keys.Concat(positions.Select(p => p.SupervisorPositionId).OfType<string>()).Distinct(StringComparer.Ordinal)],
            });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored.Add(reader.GetString(0));
            }
        }

        foreach (var p in positions)
        {
            if (p.SupervisorPositionId is { } supervisor && !given.ContainsKey(supervisor) && !stored.Contains(supervisor))
            {
                throw new ArgumentException(
                    $"Position '{p.Id}': supervisor '{supervisor}' is neither among the given positions nor stored.", nameof(positions));
            }
        }

        var fresh = positions.Where(p => !stored.Contains(p.Id)).ToList();
        if (fresh.Count > 0)
        {
            await using (var cmd = new NpgsqlCommand(
                """
                select f.id, p.id from unnest($1::text[], $2::text[], $3::text[]) as f(id, department_id, jurisdiction_id)
                join officers.position p on p.department_id = f.department_id and p.jurisdiction_id = f.jurisdiction_id
                order by f.id limit 1
                """,
                conn, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. fresh.Select(p => p.Id)] });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. fresh.Select(p => p.DepartmentId)] });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. fresh.Select(p => p.JurisdictionId)] });
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    throw new ArgumentException(
                        $"Position '{reader.GetString(0)}': its department already has a seat at that jurisdiction, '{reader.GetString(1)}'.", nameof(positions));
                }
            }

            await using (var insert = new NpgsqlCommand(
                """
                insert into officers.position (id, title, department_id, jurisdiction_id, supervisor_position_id, origin)
                select f.*, $6 from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                  as f(id, title, department_id, jurisdiction_id, supervisor_position_id)
                """,
                conn, tx))
            {
                insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. fresh.Select(p => p.Id)] });
                insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. fresh.Select(p => p.Title)] });
                insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. fresh.Select(p => p.DepartmentId)] });
                insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. fresh.Select(p => p.JurisdictionId)] });
                insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. fresh.Select(p => p.SupervisorPositionId)] });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ImportOrigin });
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var held = new HashSet<string>(StringComparer.Ordinal);
        // A seat an administrator left vacant is not filled again.
        await using (var cmd = new NpgsqlCommand(
            "select position_id from officers.officer where position_id = any($1) union select id from officers.position where id = any($1) and origin = 'admin'", conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. given.Keys] });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                held.Add(reader.GetString(0));
            }
        }

        var vacant = positions.Where(p => !held.Contains(p.Id)).ToList();
        var officers = new List<Officer>(vacant.Count);
        if (vacant.Count > 0)
        {
            // The same numbering as the loader's: after the highest OFF- number in use, whatever its origin.
            long highest;
            await using (var cmd = new NpgsqlCommand("select coalesce(max(substring(id from 5)::bigint), 0) from officers.officer", conn, tx))
            {
                highest = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
            }

            if (highest + vacant.Count > FakeIdentity.MaxNumber)
            {
                throw new InvalidOperationException(
                    $"No free officer numbers: {vacant.Count} needed after OFF-{highest:D6}, but generated numbers stop at {FakeIdentity.MaxNumber}.");
            }

            var number = (int)highest;
            officers.AddRange(vacant.Select(p => RosterGenerator.Officer(++number, p.Id)));
            await using var insert = new NpgsqlCommand(
                """
                insert into officers.officer (id, name, mobile, position_id, origin)
                select f.*, $5 from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as f(id, name, mobile, position_id)
                """,
                conn, tx);
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. officers.Select(o => o.Id)] });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. officers.Select(o => o.Name)] });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. officers.Select(o => o.Mobile)] });
            insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. officers.Select(o => o.PositionId)] });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ImportOrigin });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        (long, long)? change = null;
        if (fresh.Count > 0 || officers.Count > 0)
        {
            var version = await SharedDataChanges.PublishAsync(
                conn, tx, RosterArea.Name, $"{fresh.Count} seats added, {officers.Count} officers posted", TimeProvider.System.GetUtcNow(), cancellationToken);
            change = await SharedDataChanges.PositionsAsync(conn, tx, RosterArea.Name, version, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return new SeatsWriteResult(fresh, officers, change);
    }

    /// <summary>
    /// Reads every position and officer, from one snapshot of the database (a repeatable-read transaction), so a
    /// concurrent write is seen whole or not at all; with the event-log position through which the snapshot holds
    /// every roster change.
    /// </summary>
    internal async Task<(OfficerRoster Roster, long SeenThrough)> ReadAsync(CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var seenThrough = await SharedDataChanges.ReadSeenThroughAsync(conn, tx, cancellationToken);
        var positions = new List<Position>(16_384);
        await using (var cmd = new NpgsqlCommand("select id, title, department_id, jurisdiction_id, supervisor_position_id, office_phone, pool_capacity from officers.position", conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                positions.Add(new Position(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt32(6)));
            }
        }

        var officers = new List<Officer>(positions.Count);
        await using (var cmd = new NpgsqlCommand("select id, name, mobile, position_id, capacity from officers.officer", conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                officers.Add(new Officer(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt32(4)));
            }
        }

        var leaves = await LeaveRows.ReadAsync(conn, tx, "where ended_at is null or ended_at > starts_at", cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return (OfficerRoster.Build(positions, officers, leaves), seenThrough);
    }

    /// <summary>The roster's write lock: one writer at a time (loader, registry or administration), across processes, until the transaction ends.</summary>
    internal static async Task LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        await using var lockCmd = new NpgsqlCommand("select pg_advisory_xact_lock(@key)", conn, tx);
        lockCmd.Parameters.AddWithValue("key", WriteLockKey);
        await lockCmd.ExecuteNonQueryAsync(cancellationToken);
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
                await copy.WriteAsync(o.PositionId!, NpgsqlDbType.Text, cancellationToken); // generated officers are always posted
            }

            await copy.CompleteAsync(cancellationToken);
        }
    }

    private static async Task<HashSet<string>> ReadIdsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
