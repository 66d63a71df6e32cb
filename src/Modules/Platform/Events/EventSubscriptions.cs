using Npgsql;

namespace Helpline.Platform.Events;

/// <summary>How far a subscriber has got.</summary>
/// <param name="Subscriber">Its name.</param>
/// <param name="Delivered">Events handed to it so far (of its streams).</param>
/// <param name="Pending">Events in the log after its checkpoint (of every stream).</param>
/// <param name="LastError">The error of the batch it is stuck on, or null.</param>
/// <param name="FailingSince">Since when it has been failing, or null.</param>
public sealed record EventSubscriptionStatus(string Subscriber, long Delivered, long Pending, string? LastError, DateTimeOffset? FailingSince);

/// <summary>Reads the subscribers' progress, for operators and health checks.</summary>
public sealed class EventSubscriptions(NpgsqlDataSource dataSource)
{
    /// <summary>Every subscriber that has ever run, with its lag.</summary>
    public async Task<IReadOnlyList<EventSubscriptionStatus>> ListAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            select s.subscriber, s.delivered,
                   (select count(*) from events.event_log e where e.position > s.position),
                   s.last_error, s.failing_since
            from events.event_subscription s
            order by s.subscriber
            """);
        var list = new List<EventSubscriptionStatus>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new EventSubscriptionStatus(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return list;
    }
}
