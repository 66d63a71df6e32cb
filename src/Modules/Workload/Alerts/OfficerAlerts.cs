using Npgsql;

namespace Helpline.Workload.Alerts;

/// <summary>Reads and prunes officers' alerts.</summary>
internal sealed class OfficerAlerts(NpgsqlDataSource dataSource)
{
    /// <summary>The most alerts one read returns.</summary>
    public const int MaxRead = 200;

    /// <summary>How long alerts are kept.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    /// <summary>The officer's newest alerts, newest first (at most <paramref name="first"/>, capped at <see cref="MaxRead"/>).</summary>
    public async Task<IReadOnlyList<OfficerAlert>> NewestAsync(string officerId, int first, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            select at, reference_number, kind, message
            from workload.officer_alert
            where officer_id = $1
            order by at desc, id desc
            limit $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = officerId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Clamp(first, 0, MaxRead) });
        var list = new List<OfficerAlert>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new OfficerAlert(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        }

        return list;
    }

    /// <summary>Deletes the alerts older than <paramref name="before"/>; returns how many.</summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("delete from workload.officer_alert where at < $1");
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before });
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
