using System.Globalization;
using Npgsql;

namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>
/// The WAL the server wrote during a measurement, from <c>pg_stat_wal</c>: the whole server's, so other databases'
/// writes count too. Full pages are what an index entry costs most on a page not changed since the last checkpoint.
/// </summary>
public static class WalMeter
{
    public sealed record Snapshot(decimal Bytes, long FullPages, long Records);

    public static async Task<Snapshot?> TakeAsync(NpgsqlDataSource db)
    {
        try
        {
            await using var cmd = db.CreateCommand("select wal_bytes, wal_fpi, wal_records from pg_stat_wal");
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            return new Snapshot(reader.GetDecimal(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        catch (PostgresException)
        {
            return null; // a server before 14, or a view this role may not read
        }
    }

    public static async Task<WalFigures?> SinceAsync(NpgsqlDataSource db, Snapshot? start, bool afterCheckpoint)
    {
        var end = await TakeAsync(db);
        return start is null || end is null
            ? null
            : new WalFigures(Math.Round((double)(end.Bytes - start.Bytes) / (1024 * 1024), 1), end.FullPages - start.FullPages, end.Records - start.Records, afterCheckpoint);
    }

    /// <summary>The figures as the log and the table show them, saying whether a checkpoint came first.</summary>
    public static string Format(WalFigures wal) => string.Create(
        CultureInfo.InvariantCulture,
        $"{wal.MiB:0.0} MiB, {wal.FullPages:N0} full pages, {wal.Records:N0} records, {(wal.AfterCheckpoint ? "after a checkpoint" : "no checkpoint before")}");

    public static string Describe(WalFigures? wal) => wal is null ? "" : "; WAL " + Format(wal);
}

/// <summary>WAL written over an interval by the whole server.</summary>
/// <param name="MiB">Bytes of WAL, in MiB.</param>
/// <param name="FullPages">Full-page images among them.</param>
/// <param name="Records">WAL records.</param>
/// <param name="AfterCheckpoint">Whether a checkpoint preceded the interval (it needs a superuser or pg_checkpoint).</param>
public sealed record WalFigures(double MiB, long FullPages, long Records, bool AfterCheckpoint);
