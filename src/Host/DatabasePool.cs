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

    /// <summary><paramref name="connectionString"/> with <see cref="DefaultMaxPoolSize"/> unless it sets a pool size itself.</summary>
    public static string WithDefaults(string connectionString)
    {
        // The plain builder keeps only the keywords that were written (Npgsql's own reports defaults as set).
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (PoolSizeKeywords.Any(written.ContainsKey))
            return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = DefaultMaxPoolSize }.ConnectionString;
    }
}
