using Npgsql;

namespace Helpline.Officers.Postings;

/// <summary>Reads <c>officers.leave</c> rows as <see cref="OfficerLeave"/>.</summary>
internal static class LeaveRows
{
    private const string Columns =
        "id, officer_id, starts_at, ends_at, charge_officer_id, hand_over_open, note, recorded_by, recorded_at, ended_at, ended_by, end_note";

    /// <summary>The leaves matching <paramref name="where"/> (a <c>where</c> clause over the table, parameters <c>$1</c>...), oldest start first.</summary>
    internal static async Task<List<OfficerLeave>> ReadAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, string where, CancellationToken cancellationToken, params object[] parameters)
    {
        var leaves = new List<OfficerLeave>();
        await using var cmd = new NpgsqlCommand($"select {Columns} from officers.leave {where} order by starts_at, id", conn, tx);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            leaves.Add(new OfficerLeave(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4),
                reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11)));
        }

        return leaves;
    }
}
