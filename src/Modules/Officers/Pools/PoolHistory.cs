using Npgsql;
using NpgsqlTypes;

namespace Helpline.Officers.Pools;

/// <summary>A change of a seat's pool capacity (<see cref="PositionId"/> set) or an officer's own capacity (<see cref="OfficerId"/> set).</summary>
internal sealed record PoolChange(long Id, DateTimeOffset At, string Actor, string? PositionId, string? OfficerId, int? CapacityBefore, int? CapacityAfter);

/// <summary>Reads the pool history (for administrators and auditors), from the database.</summary>
internal sealed class PoolHistory(NpgsqlDataSource dataSource)
{
    /// <summary>Most rows one read returns.</summary>
    internal const int Limit = 500;

    /// <summary>The changes of a seat and/or an officer, newest first.</summary>
    public async Task<IReadOnlyList<PoolChange>> ChangesAsync(string? positionId, string? officerId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            select id, at, actor, position_id, officer_id, capacity_before, capacity_after from officers.pool_change
            where ($1::text is null or position_id = $1) and ($2::text is null or officer_id = $2)
            order by id desc
            limit {Limit}
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)positionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)officerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var changes = new List<PoolChange>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new PoolChange(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6)));
        }

        return changes;
    }
}
