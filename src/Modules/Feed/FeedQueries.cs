using Helpline.Grievances;
using Helpline.Grievances.Events;
using Npgsql;

namespace Helpline.Feed;

/// <summary>A grievance event as the feed holds it.</summary>
/// <param name="Arrival">The feed's own position: events are listed in the order they arrived (per grievance, timeline order).</param>
/// <param name="Event">The event.</param>
/// <param name="Deliveries">How many times the event log handed it over (more than 1 only after a redelivery).</param>
internal sealed record FeedEntry(long Arrival, GrievanceEvent Event, int Deliveries);

/// <summary>Reads the feed.</summary>
internal sealed class FeedQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The most entries one call returns.</summary>
    public const int MaxPage = 500;

    /// <summary>Entries after <paramref name="afterArrival"/>, oldest first, optionally of one grievance.</summary>
    public async Task<IReadOnlyList<FeedEntry>> ListAsync(string? referenceNumber, long afterArrival, int first, CancellationToken cancellationToken, string[]? departmentIds = null, string[]? jurisdictionIds = null)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            select arrival, event_id, type, reference_number, sequence, at, actor, note, kind, officer_id, position_id, level,
                   department_id, category_id, jurisdiction_id, due_at, deliveries
            from feed.grievance_event
            where arrival > $1 and ($2::text is null or reference_number = $2)
              and ($4::text[] is null or department_id = any($4)) and ($5::text[] is null or jurisdiction_id = any($5))
            order by arrival
            limit $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterArrival });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)referenceNumber ?? DBNull.Value });
        // One more than a page, so the caller can tell whether another page follows.
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Clamp(first, 0, MaxPage + 1) });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)departmentIds ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)jurisdictionIds ?? DBNull.Value });
        var list = new List<FeedEntry>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var e = new GrievanceEvent(
                r.GetGuid(1),
                Enum.Parse<TimelineEventType>(r.GetString(2)),
                r.GetString(3),
                r.GetInt32(4),
                r.GetFieldValue<DateTimeOffset>(5),
                r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7),
                Enum.Parse<GrievanceKind>(r.GetString(8)),
                r.IsDBNull(9) ? null : r.GetString(9),
                r.IsDBNull(10) ? null : r.GetString(10),
                r.IsDBNull(11) ? null : r.GetInt32(11),
                r.IsDBNull(12) ? null : r.GetString(12),
                r.IsDBNull(13) ? null : r.GetString(13),
                r.IsDBNull(14) ? null : r.GetString(14),
                r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15));
            list.Add(new FeedEntry(r.GetInt64(0), e, r.GetInt32(16)));
        }

        return list;
    }
}
