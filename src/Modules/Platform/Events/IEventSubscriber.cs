using Npgsql;

namespace Helpline.Platform.Events;

/// <summary>
/// A module's subscription to the event log. Register it with <c>AddEventSubscriber</c>; the dispatcher hands it
/// every event of its streams, at least once, in order per stream key, one batch at a time, on one silo of the
/// cluster at a time.
/// </summary>
public interface IEventSubscriber
{
    /// <summary>Stable name: the checkpoint is kept under it. Renaming starts again from the beginning of history.</summary>
    string Name { get; }

    /// <summary>The streams it wants (for example <c>grievance</c>); other events are skipped.</summary>
    IReadOnlySet<string> Streams { get; }

    /// <summary>
    /// Handles a batch, oldest first. Writes made on <see cref="EventBatchContext.Connection"/> in
    /// <see cref="EventBatchContext.Transaction"/> commit together with the checkpoint, so a subscriber that keeps
    /// its effects in its own tables sees each event once. Anything else it does must be idempotent by
    /// <see cref="IntegrationEvent.EventId"/>: after a crash the batch is delivered again. Throwing rolls the batch
    /// back; it is retried, with back-off, until it succeeds (later events wait, keeping the order).
    /// </summary>
    Task HandleAsync(IReadOnlyList<IntegrationEvent> events, EventBatchContext context, CancellationToken cancellationToken);
}

/// <summary>The transaction a batch is handled in; it also moves the subscriber's checkpoint.</summary>
/// <param name="Connection">An open connection to the one database.</param>
/// <param name="Transaction">The batch's transaction; do not commit or roll it back.</param>
public sealed record EventBatchContext(NpgsqlConnection Connection, NpgsqlTransaction Transaction);
