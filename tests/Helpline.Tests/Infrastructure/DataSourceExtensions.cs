using Npgsql;

namespace Helpline.Tests.Infrastructure;

/// <summary>One-statement queries the database tests check their results with.</summary>
public static class DataSourceExtensions
{
    /// <summary>The first column of the first row of <paramref name="sql"/>.</summary>
    public static async Task<T> ScalarAsync<T>(this NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Runs <paramref name="sql"/> for its effect.</summary>
    public static async Task ExecuteAsync(this NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
