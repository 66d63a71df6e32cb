using Npgsql;

namespace Helpline.Workload.Alerts;

/// <summary>Reads and prunes officers' alerts.</summary>
internal sealed class OfficerAlerts(NpgsqlDataSource dataSource)
{
    /// <summary>The most alerts one read returns.</summary>
    public const int MaxRead = 200;

    /// <summary>How long alerts are kept.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    /// <summary>
    /// The newest alerts of each of <paramref name="officerIds"/>, newest first (at most <paramref name="first"/> each,
    /// capped at <see cref="MaxRead"/>), in the same order: one read for all of them.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<OfficerAlert>>> NewestOfAsync(IReadOnlyList<string> officerIds, int first, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(officerIds);
        var byOfficer = officerIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => new List<OfficerAlert>(), StringComparer.Ordinal);
        await using var cmd = dataSource.CreateCommand(
            """
            select o.officer_id, a.at, a.reference_number, a.kind, a.message
            from unnest($1::text[]) as o(officer_id)
            cross join lateral (
                select at, reference_number, kind, message, id
                from workload.officer_alert
                where officer_id = o.officer_id
                order by at desc, id desc
                limit $2) a
            order by o.officer_id, a.at desc, a.id desc
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. byOfficer.Keys] });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Clamp(first, 0, MaxRead) });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            byOfficer[r.GetString(0)].Add(new OfficerAlert(r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3), r.GetString(4)));
        }

        return [.. officerIds.Select(id => (IReadOnlyList<OfficerAlert>)byOfficer[id])];
    }

    /// <summary>Deletes the alerts older than <paramref name="before"/>; returns how many.</summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("delete from workload.officer_alert where at < $1");
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before });
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
