using Npgsql;

namespace Helpline.Officers.Postings;

/// <summary>A posting made or ended by an administrator; <see cref="StartedAt"/> is null for one from before records began.</summary>
internal sealed record OfficerPosting(
    long Id,
    string OfficerId,
    string PositionId,
    DateTimeOffset? StartedAt,
    string? StartedBy,
    string? Note,
    DateTimeOffset? EndedAt,
    string? EndReason,
    string? EndedBy,
    string? EndNote);

/// <summary>Reads the posting and leave history (for administrators and auditors), from the database.</summary>
internal sealed class PostingHistory(NpgsqlDataSource dataSource)
{
    /// <summary>Most rows one read returns.</summary>
    internal const int Limit = 500;

    /// <summary>The postings of an officer and/or a position, newest first.</summary>
    public async Task<IReadOnlyList<OfficerPosting>> PostingsAsync(string? officerId, string? positionId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(
            $"""
            select id, officer_id, position_id, started_at, started_by, note, ended_at, end_reason, ended_by, end_note
            from officers.posting
            where ($1::text is null or officer_id = $1) and ($2::text is null or position_id = $2)
            order by coalesce(ended_at, started_at) desc, id desc
            limit {Limit}
            """,
            conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)officerId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)positionId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var postings = new List<OfficerPosting>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            postings.Add(new OfficerPosting(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), At(3), Text(4), Text(5), At(6), Text(7), Text(8), Text(9)));
        }

        return postings;
    }

    /// <summary>The officer's leaves (cancelled ones too), latest start first.</summary>
    public async Task<IReadOnlyList<OfficerLeave>> LeavesAsync(string officerId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var leaves = await LeaveRows.ReadAsync(conn, null, "where officer_id = $1 or charge_officer_id = $1", cancellationToken, officerId);
        leaves.Reverse();
        return leaves;
    }
}
