using System.Text.Json;
using System.Text.Json.Serialization;
using Helpline.Platform.Events;
using Npgsql;

namespace Helpline.Platform.SharedData;

/// <summary>
/// Shared reference data of one area (for example <c>sla</c>) changed. Published to the event log (stream
/// <see cref="SharedDataChanges.Stream"/>, key = area) in the transaction that stores the change; every silo's
/// <c>SharedDataFollower</c> reloads the area when it reads it.
/// </summary>
/// <param name="EventId">Stable id of this change.</param>
/// <param name="Area">The area, as named by its <see cref="ISharedDataArea"/>.</param>
/// <param name="Version">The area's version after the change (1, 2, ...).</param>
/// <param name="Change">What changed, in a few words, for the log and for operators (for example <c>holidays added</c>).</param>
/// <param name="At">When the change was stored (UTC).</param>
public sealed record SharedDataChanged(Guid EventId, string Area, int Version, string Change, DateTimeOffset At);

/// <summary>Publishing and reading changes of shared reference data.</summary>
public static class SharedDataChanges
{
    /// <summary>The stream name, <c>shared-data</c>.</summary>
    public const string Stream = "shared-data";

    /// <summary>The event type of <see cref="SharedDataChanged"/>.</summary>
    public const string Changed = "Changed";

    // Writers of one area take turns from here to their commit, so versions are handed out without gaps or clashes
    // (each module's own write lock may cover only part of its writes).
    private const string LockSql = "select pg_advisory_xact_lock(hashtext('helpline.shared-data'), hashtext($1))";

    private const string NextVersionSql = "select coalesce(max(stream_seq), 0) + 1 from events.event_log where stream = $1 and stream_key = $2";

    /// <summary>
    /// Publishes a change of <paramref name="area"/> inside the caller's transaction. Call it after the change's own
    /// statements, just before committing: from here to the commit the transaction holds the event log's head.
    /// </summary>
    /// <returns>The area's new version.</returns>
    public static async Task<int> PublishAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string area,
        string change,
        DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(area);
        ArgumentException.ThrowIfNullOrWhiteSpace(change);
        await using (var lockCommand = new NpgsqlCommand(LockSql, connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<string> { TypedValue = area });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        int version;
        await using (var next = new NpgsqlCommand(NextVersionSql, connection, transaction))
        {
            next.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Stream });
            next.Parameters.Add(new NpgsqlParameter<string> { TypedValue = area });
            version = (int)(await next.ExecuteScalarAsync(cancellationToken))!;
        }

        var payload = JsonSerializer.Serialize(
            new SharedDataChanged(EventIds.For(Stream, area, version), area, version, change, at.ToUniversalTime()),
            SharedDataJson.Default.SharedDataChanged);
        await EventLog.AppendAsync(connection, transaction, Stream, area, [new NewEvent(version, Changed, at, payload)], cancellationToken);
        return version;
    }

    /// <summary>
    /// The event-log position through which the caller's transaction sees every shared-data change. Make it the first
    /// statement of the repeatable-read transaction that reads an area: what that transaction reads then holds every
    /// change of the area up to the position (see <see cref="ISharedDataArea.HeldThrough"/>).
    /// </summary>
    public static async Task<long> ReadSeenThroughAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // The head moves in the appending transaction and appends take turns on it until they commit, so a snapshot
        // that sees head H sees every transaction that appended at or below H, and with it the data each changed.
        await using var command = new NpgsqlCommand("select last_position from events.log_head", connection, transaction);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Where the change just published as <paramref name="version"/> of <paramref name="area"/> sits in the event log,
    /// and where the area's change before it sits (0 when it is the first). Call it in the publishing transaction,
    /// after <see cref="PublishAsync"/>: a silo whose copy of the area holds every change through the earlier position
    /// may add this change to its copy itself, and then holds every change through this one.
    /// </summary>
    public static async Task<(long Position, long Previous)> PositionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string area, int version, CancellationToken cancellationToken)
    {
        // Writers of the area take turns until they commit (LockSql), so the version before this one has committed and
        // no other version lies between the two.
        await using var command = new NpgsqlCommand(
            "select stream_seq, position from events.event_log where stream = $1 and stream_key = $2 and stream_seq in ($3, $3 - 1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Stream });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = area });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        long? position = null;
        long? previous = version == 1 ? 0 : null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetInt32(0) == version)
            {
                position = reader.GetInt64(1);
            }
            else
            {
                previous = reader.GetInt64(1);
            }
        }

        var at = position ?? throw new InvalidOperationException($"Version {version} of shared-data area '{area}' is not in the log of this transaction.");

        // Were the change before it ever missing, only a copy that holds this change already could be said to hold it.
        return (at, previous ?? at);
    }

    /// <summary>Reads an event of the shared-data stream.</summary>
    /// <exception cref="ArgumentException">The event is of another stream.</exception>
    public static SharedDataChanged Read(IntegrationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Stream != Stream)
        {
            throw new ArgumentException($"Event {e.EventId} is of stream '{e.Stream}', not '{Stream}'.", nameof(e));
        }

        return JsonSerializer.Deserialize(e.Payload, SharedDataJson.Default.SharedDataChanged)
            ?? throw new InvalidDataException($"Event {e.EventId} has an empty payload.");
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SharedDataChanged))]
internal sealed partial class SharedDataJson : JsonSerializerContext;
