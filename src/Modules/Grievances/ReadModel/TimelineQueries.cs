using Npgsql;

namespace Helpline.Grievances.ReadModel;

/// <summary>Timelines from the read model, for lists: the grain holds each grievance's own, one call per grievance.</summary>
internal sealed class TimelineQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The projected timeline of each of <paramref name="referenceNumbers"/>, in the same order: one read for all.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<TimelineEvent>>> TimelinesOfAsync(IReadOnlyList<string> referenceNumbers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(referenceNumbers);
        var byReference = referenceNumbers.Distinct(StringComparer.Ordinal).ToDictionary(r => r, _ => new List<TimelineEvent>(), StringComparer.Ordinal);
        await using var cmd = dataSource.CreateCommand(
            "select reference_number, seq, type, at, actor, note, officer_id, level, due_at from grievances.timeline_event where reference_number = any($1) order by reference_number, seq");
        cmd.Parameters.AddWithValue(byReference.Keys.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            byReference[reader.GetString(0)].Add(new TimelineEvent(
                reader.GetInt32(1),
                Enum.Parse<TimelineEventType>(reader.GetString(2)),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return [.. referenceNumbers.Select(r => (IReadOnlyList<TimelineEvent>)byReference[r])];
    }
}
