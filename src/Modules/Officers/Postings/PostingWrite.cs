using Helpline.Officers.Roster;
using Helpline.Platform.Events;
using Helpline.Platform.SharedData;
using Npgsql;

namespace Helpline.Officers.Postings;

/// <summary>
/// One posting or leave change: a transaction under the roster's write lock (so it never interleaves with the
/// generated-roster loader, the registry or another change), reading the stored roster rather than this silo's
/// snapshot, which may be behind. The holder changes it publishes and the roster notice commit with it.
/// </summary>
internal sealed class PostingWrite : IAsyncDisposable
{
    private readonly NpgsqlConnection _conn;
    private readonly NpgsqlTransaction _tx;

    private PostingWrite(NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset now, string actor)
    {
        _conn = conn;
        _tx = tx;
        Now = now;
        Actor = actor;
    }

    public DateTimeOffset Now { get; }

    public string Actor { get; }

    public NpgsqlConnection Connection => _conn;

    public NpgsqlTransaction Transaction => _tx;

    public static async Task<PostingWrite> BeginAsync(NpgsqlDataSource dataSource, DateTimeOffset now, string actor, CancellationToken cancellationToken)
    {
        var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var tx = await conn.BeginTransactionAsync(cancellationToken);
            await RosterStore.LockAsync(conn, tx, cancellationToken);
            return new PostingWrite(conn, tx, now, actor);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    /// <summary>The stored officer, or null.</summary>
    public async Task<Officer?> OfficerAsync(string officerId, CancellationToken cancellationToken)
    {
        await using var cmd = Command("select id, name, mobile, position_id, capacity from officers.officer where id = $1", officerId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Officer(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt32(4))
            : null;
    }

    /// <summary>Whether the position is stored.</summary>
    public async Task<bool> PositionExistsAsync(string positionId, CancellationToken cancellationToken) =>
        await ScalarAsync<long>("select count(*) from officers.position where id = $1", cancellationToken, positionId) > 0;

    /// <summary>
    /// Locks the position's row until the transaction ends and says whether it exists and whether it is a pool: who
    /// may be posted to a seat is checked after this, so concurrent postings to one seat take turns even without the
    /// roster's advisory lock.
    /// </summary>
    public async Task<(bool Exists, int? PoolCapacity)> LockPositionAsync(string positionId, CancellationToken cancellationToken)
    {
        await using var cmd = Command("select pool_capacity from officers.position where id = $1 for update", positionId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (true, reader.IsDBNull(0) ? null : reader.GetInt32(0)) : (false, null);
    }

    /// <summary>Whether the position is a pool (false when unknown).</summary>
    public async Task<bool> IsPoolAsync(string positionId, CancellationToken cancellationToken) =>
        await ScalarAsync<int?>("select pool_capacity from officers.position where id = $1", cancellationToken, positionId) is not null;

    /// <summary>The officer posted to the position, or null; for a pool, its first member by id.</summary>
    public async Task<Officer?> PostedHolderAsync(string positionId, CancellationToken cancellationToken)
    {
        var id = await ScalarAsync<string>("select id from officers.officer where position_id = $1 order by id collate \"C\" limit 1", cancellationToken, positionId);
        return id is null ? null : await OfficerAsync(id, cancellationToken);
    }

    /// <summary>How many officers are posted to the position.</summary>
    public async Task<long> MemberCountAsync(string positionId, CancellationToken cancellationToken) =>
        await ScalarAsync<long>("select count(*) from officers.officer where position_id = $1", cancellationToken, positionId);

    /// <summary>
    /// Who acts for a pool now, as the directory computes it (<see cref="OfficerRoster.HolderOf"/>) but from the stored
    /// roster: the first member by id not on leave, else whoever acts for the first member; null when nobody is posted.
    /// </summary>
    public async Task<string?> PoolActingAsync(string positionId, CancellationToken cancellationToken)
    {
        var members = new List<Officer>();
        foreach (var id in await IdsAsync("select id from officers.officer where position_id = $1 order by id collate \"C\"", cancellationToken, positionId))
        {
            var member = (await OfficerAsync(id, cancellationToken))!;
            if (await ActingForAsync(member, cancellationToken) == member.Id)
            {
                return member.Id;
            }

            members.Add(member);
        }

        return members.Count == 0 ? null : await ActingForAsync(members[0], cancellationToken);
    }

    /// <summary>The officer's leaves (cancelled ones excluded).</summary>
    public Task<List<OfficerLeave>> LeavesOfAsync(string officerId, CancellationToken cancellationToken) =>
        LeaveRows.ReadAsync(_conn, _tx, "where officer_id = $1 and (ended_at is null or ended_at > starts_at)", cancellationToken, officerId);

    /// <summary>The leaves whose charge the officer holds (cancelled ones excluded).</summary>
    public Task<List<OfficerLeave>> ChargesOfAsync(string officerId, CancellationToken cancellationToken) =>
        LeaveRows.ReadAsync(_conn, _tx, "where charge_officer_id = $1 and (ended_at is null or ended_at > starts_at)", cancellationToken, officerId);

    /// <summary>Who acts for a seat whose posted holder is <paramref name="posted"/>: the charge officer while their leave is in force now.</summary>
    public async Task<string?> ActingForAsync(Officer? posted, CancellationToken cancellationToken)
    {
        if (posted is null)
        {
            return null;
        }

        var leave = (await LeavesOfAsync(posted.Id, cancellationToken)).Find(l => l.InForceAt(Now));
        return leave?.ChargeOfficerId ?? posted.Id;
    }

    /// <summary>Ends the officer's open posting at the position (one from the generated roster gets its row now, start unknown).</summary>
    public async Task EndPostingAsync(string officerId, string positionId, string reason, string? note, CancellationToken cancellationToken)
    {
        var ended = await ExecuteAsync(
            "update officers.posting set ended_at = $3, end_reason = $4, ended_by = $5, end_note = $6 where officer_id = $1 and position_id = $2 and ended_at is null",
            cancellationToken, officerId, positionId, Now, reason, Actor, (object?)note ?? DBNull.Value);
        if (ended == 0)
        {
            await ExecuteAsync(
                "insert into officers.posting (officer_id, position_id, ended_at, end_reason, ended_by, end_note) values ($1, $2, $3, $4, $5, $6)",
                cancellationToken, officerId, positionId, Now, reason, Actor, (object?)note ?? DBNull.Value);
        }

        await ExecuteAsync("update officers.officer set position_id = null where id = $1", cancellationToken, officerId);

        // Leave is from a seat: once the posting ends, the officer's leave in force ends and leave to come is cancelled
        // (ended before it began), so no charge officer goes on acting for a seat the officer has left, or follows
        // them to the next one. The callers publish who acts for the seat from now.
        await ExecuteAsync(
            """
            update officers.leave set ended_at = $2, ended_by = $3, end_note = 'the posting ended', start_announced = true, end_announced = true
            where officer_id = $1 and ended_at is null and ends_at > $2
            """,
            cancellationToken, officerId, Now, Actor);
    }

    /// <summary>Posts the officer (unposted now) to the position (vacant now).</summary>
    public async Task StartPostingAsync(string officerId, string positionId, string? note, CancellationToken cancellationToken)
    {
        await ExecuteAsync("update officers.officer set position_id = $2 where id = $1", cancellationToken, officerId, positionId);
        await ExecuteAsync(
            "insert into officers.posting (officer_id, position_id, started_at, started_by, note) values ($1, $2, $3, $4, $5)",
            cancellationToken, officerId, positionId, Now, Actor, (object?)note ?? DBNull.Value);
    }

    /// <summary>Marks officers and positions as the administrator's: the generated-roster loader leaves them alone from now on.</summary>
    public async Task MarkAdminAsync(IEnumerable<string?> officerIds, IEnumerable<string?> positionIds, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            "update officers.officer set origin = 'admin' where id = any($1) and origin <> 'admin'",
            cancellationToken, (object)officerIds.OfType<string>().Distinct(StringComparer.Ordinal).ToArray());
        await ExecuteAsync(
            "update officers.position set origin = 'admin' where id = any($1) and origin <> 'admin'",
            cancellationToken, (object)positionIds.OfType<string>().Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>
    /// Publishes that who acts for <paramref name="positionId"/> changed from <paramref name="from"/> to
    /// <paramref name="to"/>, numbered next for the position; nothing when they are the same officer.
    /// </summary>
    public async Task PublishAsync(
        string positionId, string? from, string? to, HolderChangeReason reason, bool moveOpen, DateTimeOffset at, string actor, string? note, CancellationToken cancellationToken)
    {
        if (string.Equals(from, to, StringComparison.Ordinal))
        {
            return;
        }

        var sequence = await ScalarAsync<int>(
            "update officers.position set holder_change_seq = holder_change_seq + 1 where id = $1 returning holder_change_seq", cancellationToken, positionId);
        var change = new PositionHolderChanged(Guid.Empty, positionId, sequence, from, to, reason, moveOpen && to is not null, at, actor, note);
        await EventLog.AppendAsync(_conn, _tx, PostingEvents.Stream, positionId, [PostingEvents.ToNewEvent(change)], cancellationToken);
    }

    /// <summary>Tells every silo to reload the roster (last, just before <see cref="CommitAsync"/>).</summary>
    public Task PublishRosterChangeAsync(string what, CancellationToken cancellationToken) =>
        SharedDataChanges.PublishAsync(_conn, _tx, RosterArea.Name, what, Now, cancellationToken);

    public Task CommitAsync(CancellationToken cancellationToken) => _tx.CommitAsync(cancellationToken);

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<string>> IdsAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        var ids = new List<string>();
        await using var cmd = Command(sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        await _tx.DisposeAsync();
        await _conn.DisposeAsync();
    }

    private NpgsqlCommand Command(string sql, params object?[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, _conn, _tx);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p ?? DBNull.Value });
        }

        return cmd;
    }
}
