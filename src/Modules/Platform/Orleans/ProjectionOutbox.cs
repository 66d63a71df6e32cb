using System.Globalization;
using Npgsql;

namespace Helpline.Platform.Orleans;

/// <summary>A grain whose latest stored state may not be reflected in its read model yet.</summary>
/// <param name="StateName">The Orleans state name, for example <c>grievance</c>.</param>
/// <param name="GrainKey">The grain key as <see cref="ProjectionOutbox.GrainKeyOf"/> renders it.</param>
/// <param name="Version">The stored state's version (the grain's ETag) that still awaits projection.</param>
/// <param name="WrittenAt">When that version was stored.</param>
public sealed record PendingProjection(string StateName, string GrainKey, int Version, DateTimeOffset WrittenAt);

/// <summary>
/// The projection journal (<c>orleans.projection_outbox</c>). Every grain-storage write of a state name listed in
/// <c>orleans.projected_state</c> upserts a row (state name, grain key, new version) in the same statement as the
/// state itself, and so does <see cref="ProjectedStateWrite"/>. The row is removed with <see cref="AcknowledgeAsync"/>
/// once the grain's work after the write is done: the projection written (in its transaction), or, for a state
/// written with its projection, the grain's calls made. Rows that stay put mark grains whose projection or calls were
/// lost (a crash, a failed call), which a healer finds with <see cref="ListStaleAsync"/> and finishes.
/// </summary>
public sealed class ProjectionOutbox(NpgsqlDataSource dataSource)
{
    // The function deletes the row by its key and never by reading the table: a queue's statistics make the planner
    // prefer a sequential scan over its mostly dead pages (0005_acknowledge_projection.sql).
    private const string AcknowledgeSql = "select orleans.acknowledge_projection($1, $2, $3)";

    /// <summary>
    /// Acknowledges the projection of <paramref name="version"/>: deletes the journal row if its version is
    /// <paramref name="version"/> or older. A newer row (a later write not projected yet) is kept.
    /// </summary>
    /// <param name="connection">The read model's open connection.</param>
    /// <param name="transaction">The transaction that writes the projection.</param>
    /// <param name="stateName">The Orleans state name, for example <c>grievance</c>.</param>
    /// <param name="grainKey">The grain key as <see cref="GrainKeyOf"/> renders it.</param>
    /// <param name="version">The state version the projection reflects (the grain's ETag).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>True when a row was removed.</returns>
    public static async Task<bool> AcknowledgeAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string stateName,
        string grainKey,
        int version,
        CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(AcknowledgeSql, connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainKey });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The same acknowledgement as <see cref="AcknowledgeAsync"/>, as a command to add to the caller's
    /// <see cref="NpgsqlBatch"/>, so that many projections are acknowledged in one round trip of their transaction.
    /// </summary>
    /// <param name="stateName">The Orleans state name, for example <c>grievance</c>.</param>
    /// <param name="grainKey">The grain key as <see cref="GrainKeyOf"/> renders it.</param>
    /// <param name="version">The state version the projection reflects (the grain's ETag).</param>
    /// <returns>A command for the caller's batch.</returns>
    public static NpgsqlBatchCommand AcknowledgeCommand(string stateName, string grainKey, int version)
    {
        var cmd = new NpgsqlBatchCommand(AcknowledgeSql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainKey });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        return cmd;
    }

    /// <summary>
    /// Lists unacknowledged rows of <paramref name="stateName"/> written before <paramref name="writtenBefore"/>,
    /// oldest first. Pass a cut-off well behind the present (say a minute) so that projections still in flight are
    /// not reported.
    /// </summary>
    /// <param name="stateName">The Orleans state name, for example <c>grievance</c>.</param>
    /// <param name="writtenBefore">Only rows written strictly before this instant.</param>
    /// <param name="max">The most rows to return.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The stale rows, oldest first.</returns>
    public async Task<IReadOnlyList<PendingProjection>> ListStaleAsync(
        string stateName,
        DateTimeOffset writtenBefore,
        int max,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        await using var cmd = dataSource.CreateCommand(
            "select grain_key, version, written_at from orleans.projection_outbox " +
            "where state_name = $1 and written_at < $2 order by written_at, grain_key limit $3");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = writtenBefore.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        var rows = new List<PendingProjection>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PendingProjection(
                stateName,
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return rows;
    }

    /// <summary>
    /// Counts the unacknowledged rows of <paramref name="stateName"/> written before <paramref name="writtenBefore"/>:
    /// grains stuck between their stored state and their read model, for health checks and metrics.
    /// </summary>
    /// <param name="stateName">The Orleans state name, for example <c>grievance</c>.</param>
    /// <param name="writtenBefore">Only rows written strictly before this instant.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The number of stale rows.</returns>
    public async Task<long> CountStaleAsync(string stateName, DateTimeOffset writtenBefore, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "select count(*) from orleans.projection_outbox where state_name = $1 and written_at < $2");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = writtenBefore.ToUniversalTime() });
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The grain key exactly as the journal records it, computed from the same decomposition the ADO.NET grain
    /// storage uses: a string key as is; an integer key in decimal; a Guid key as 32 lower-case hex digits; an
    /// integer or Guid key with an extension gets <c>+extension</c>.
    /// </summary>
    /// <remarks>
    /// Orleans decides the kind from the key text, not from the grain interface: a string key made only of
    /// hexadecimal digits (for example <c>"1234"</c>) is taken as the integer 0x1234 and journaled as
    /// <c>"4660"</c>; a string key of 32 hex digits is taken as a Guid; <c>'+'</c> splits off an extension. Grains
    /// should acknowledge with this method's result rather than their own key text, and projected grains should
    /// use string keys that contain a non-hex character (a prefix such as <c>g-</c>) so the key survives intact.
    /// </remarks>
    /// <param name="grainId">The grain's id, for example <c>this.GetGrainId()</c>.</param>
    /// <returns>The journal's grain key.</returns>
    public static string GrainKeyOf(GrainId grainId)
    {
        if (grainId.TryGetGuidKey(out var guid, out var extension))
        {
            var bytes = guid.ToByteArray();
            return Render(BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8), extension);
        }

        if (grainId.TryGetIntegerKey(out var integer, out extension))
        {
            return Render(0, integer, extension);
        }

        return Render(0, 0, grainId.Key.ToString());
    }

    // Mirrors the SQL function orleans.grain_key(n0, n1, ext).
    private static string Render(long n0, long n1, string? extension)
    {
        var suffix = extension is null ? "" : "+" + extension;
        if (n0 == 0 && n1 == 0 && extension is not null)
        {
            return extension;
        }

        if (n0 == 0)
        {
            return n1.ToString(CultureInfo.InvariantCulture) + suffix;
        }

        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes[..8], n0);
        BitConverter.TryWriteBytes(bytes[8..], n1);
        return new Guid(bytes).ToString("N", CultureInfo.InvariantCulture) + suffix;
    }
}
