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

    public static async Task<WalFigures?> SinceAsync(NpgsqlDataSource db, Snapshot? start)
    {
        var end = await TakeAsync(db);
        return start is null || end is null
            ? null
            : new WalFigures(Math.Round((double)(end.Bytes - start.Bytes) / (1024 * 1024), 1), end.FullPages - start.FullPages, end.Records - start.Records);
    }

    public static string Describe(WalFigures? wal) => wal is null
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $"; WAL {wal.MiB:0.0} MiB, {wal.FullPages:N0} full pages, {wal.Records:N0} records");
}

/// <summary>WAL written over an interval by the whole server.</summary>
/// <param name="MiB">Bytes of WAL, in MiB.</param>
/// <param name="FullPages">Full-page images among them.</param>
/// <param name="Records">WAL records.</param>
public sealed record WalFigures(double MiB, long FullPages, long Records);
