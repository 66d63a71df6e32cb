using System.Data.Common;
using Npgsql;

namespace Helpline.Host;

/// <summary>
/// Connection pool sizing. One silo holds three Npgsql pools on the one connection string: the service's
/// <see cref="NpgsqlDataSource"/>, Orleans' ADO.NET providers and Quartz (its own search path). Npgsql's default of 100
/// connections a pool would let one silo open 300, above PostgreSQL's <c>max_connections</c> (200 for
/// <c>./helpline up</c>), so a burst of requests could take the slots every other silo and client need
/// (<c>53300 remaining connection slots are reserved</c>). Size it so that
/// <c>silos × 3 × Maximum Pool Size + superuser_reserved_connections (3) + a few for operators ≤ max_connections</c>.
/// </summary>
internal static class DatabasePool
{
    /// <summary>
    /// The pool size used when the connection string does not set one: 3 pools × 20 = 60 connections a silo, so three
    /// silos fit under 200 with room for operators.
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    private static readonly string[] PoolSizeKeywords = ["Maximum Pool Size", "Max Pool Size", "MaxPoolSize"];

    private static readonly string[] NoResetKeywords = ["No Reset On Close", "NoResetOnClose"];

    /// <summary>
    /// <paramref name="connectionString"/> with <see cref="DefaultMaxPoolSize"/> and without the reset of a connection
    /// returned to the pool, unless it sets them itself.
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        // The plain builder keeps only the keywords that were written (Npgsql's own reports defaults as set).
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!PoolSizeKeywords.Any(written.ContainsKey))
            builder.MaxPoolSize = DefaultMaxPoolSize;

        // Returning a connection to the pool would otherwise cost a reset statement on its next use (DISCARD ALL, or
        // seven statements where Orleans' prepared statements are kept: 28 a registration, measured). Nothing in the
        // service leaves session state behind: settings are SET LOCAL, temporary tables ON COMMIT DROP, and the one
        // session lock (event delivery's leadership) is released by its holder before the connection goes back.
        if (!NoResetKeywords.Any(written.ContainsKey))
            builder.NoResetOnClose = true;

        return builder.ConnectionString;
    }
}
