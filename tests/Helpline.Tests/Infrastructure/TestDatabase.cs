using Npgsql;

namespace Helpline.Tests.Infrastructure;

/// <summary>
/// A fresh, empty PostgreSQL database on the server named by HELPLINE_TEST_DB (started by ./helpline test),
/// dropped on dispose. Each test class that needs isolation creates its own.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private TestDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("HELPLINE_TEST_DB")
        ?? throw new InvalidOperationException("HELPLINE_TEST_DB is not set: run the tests with ./helpline test, which starts PostgreSQL.");

    public static async Task<TestDatabase> CreateAsync(string? template = null)
    {
        var admin = AdminConnectionString;
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            var sql = template is null ? $"create database {name}" : $"create database {name} template {template}";
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 50 };
        return new TestDatabase(admin, name, builder.ConnectionString);
    }

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    /// <summary>Runs <paramref name="sql"/> and returns its first column of its first row as a number (0 for none).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_adminConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists {Name} with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
