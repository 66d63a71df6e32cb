using Helpline.Platform;
using Helpline.Platform.Database;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Helpline.Tests.OrleansProviders;

/// <summary>Fresh databases with the platform schema (orleans) migrated, and helpers to run its stored query texts.</summary>
internal static class OrleansDatabase
{
    public static async Task<TestDatabase> CreateMigratedAsync(CancellationToken cancellationToken)
    {
        var database = await TestDatabase.CreateAsync();
        await using var dataSource = database.CreateDataSource();
        var migrator = new DatabaseMigrator(dataSource, [new PlatformSchema()], NullLogger<DatabaseMigrator>.Instance);
        await migrator.MigrateAsync(cancellationToken);
        return database;
    }

    public static async Task<string> QueryTextAsync(NpgsqlDataSource dataSource, string key, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("select querytext from orleans.orleansquery where querykey = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return (string?)await cmd.ExecuteScalarAsync(cancellationToken) ?? throw new InvalidOperationException($"No query {key}");
    }

    /// <summary>Runs a stored query text the way the providers do: named parameters, every row of every result set.</summary>
    public static async Task<List<Dictionary<string, object?>>> RunAsync(
        NpgsqlDataSource dataSource, string key, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        var text = await QueryTextAsync(dataSource, key, cancellationToken);
        await using var cmd = dataSource.CreateCommand(text);
        cmd.Parameters.AddRange(parameters);
        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return rows;
    }

    public static NpgsqlParameter P<T>(string name, T value) => new NpgsqlParameter<T>(name, value);
}
