using Npgsql;

namespace Helpline.Platform.Orleans;

/// <summary>
/// Writes a projected grain's state as a command of the caller's own transaction (the one that writes its read model),
/// into the same row the ADO.NET grain storage reads, with the same version check and the same projection-outbox
/// entry as its write. For string-keyed grains whose state name is listed in <c>orleans.projected_state</c>.
/// </summary>
public static class ProjectedStateWrite
{
    /// <summary>The SQLSTATE of a version that does not match the stored one: nothing in the transaction commits.</summary>
    public const string VersionConflict = "HL409";

    /// <summary>
    /// A command for the caller's <see cref="NpgsqlBatch"/> that stores <paramref name="payload"/> as version
    /// <paramref name="expectedVersion"/> + 1 (1 for a first write), and journals that version in the projection
    /// outbox. It fails with <see cref="VersionConflict"/> when the stored version is not
    /// <paramref name="expectedVersion"/> (or, for a first write, when a row exists).
    /// </summary>
    /// <param name="serviceId">The cluster's service id (<c>ClusterOptions.ServiceId</c>).</param>
    /// <param name="stateName">The state name, for example <c>grievance</c>.</param>
    /// <param name="grainId">The grain; its key must be a string that Orleans stores whole (see <see cref="ProjectionOutbox.GrainKeyOf"/>).</param>
    /// <param name="payload">The state as the storage's serializer writes it.</param>
    /// <param name="expectedVersion">The stored version the write replaces (the grain's ETag), or null for a first write.</param>
    /// <returns>A command whose one result is the new version.</returns>
    public static NpgsqlBatchCommand Command(string serviceId, string stateName, GrainId grainId, byte[] payload, int? expectedVersion)
    {
        var key = ProjectionOutbox.GrainKeyOf(grainId);
        if (grainId.TryGetGuidKey(out _, out _) || grainId.TryGetIntegerKey(out _, out _) || key != grainId.Key.ToString())
        {
            throw new ArgumentException($"Grain {grainId} has a key that Orleans does not store as a string; its state cannot be written here.", nameof(grainId));
        }

        var cmd = new NpgsqlBatchCommand("select orleans.write_projected_state($1, $2, $3, $4, $5)");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer, Value = (object?)expectedVersion ?? DBNull.Value });
        return cmd;
    }

    /// <summary>Whether <paramref name="exception"/> is a write refused because the stored version had moved on.</summary>
    public static bool IsVersionConflict(Exception exception) => exception is PostgresException { SqlState: VersionConflict };
}
