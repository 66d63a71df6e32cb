using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Helpline.Platform.Database;

/// <summary>Applies every module's migration scripts with DbUp, one journal per schema.</summary>
public sealed partial class DatabaseMigrator(NpgsqlDataSource dataSource, IEnumerable<IModuleSchema> schemas, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Runs all pending scripts of all modules, each script in its own transaction.</summary>
    /// <exception cref="InvalidOperationException">A script failed; the message names it and the database error.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var connectionString = dataSource.ConnectionString;
        foreach (var module in schemas.OrderBy(s => s.Order).ThenBy(s => s.Schema, StringComparer.Ordinal))
        {
            await using (var cmd = dataSource.CreateCommand($"create schema if not exists \"{module.Schema}\""))
            {
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }

            var prefix = module.ScriptsAssembly.GetName().Name + "." + module.ScriptsFolder + ".";
            var result = DeployChanges.To
                .PostgresqlDatabase(connectionString, module.Schema)
                .WithScriptsEmbeddedInAssembly(module.ScriptsAssembly, name => name.StartsWith(prefix, StringComparison.Ordinal))
                .JournalToPostgresqlTable(module.Schema, "schema_versions")
                .WithTransactionPerScript()
                .LogTo(new UpgradeLog(logger))
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Migration of schema '{module.Schema}' failed in script '{result.ErrorScript?.Name}': {result.Error.Message}", result.Error);
            }
        }
    }

    private sealed partial class UpgradeLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => Write(LogLevel.Trace, null, format, args);

        public void LogDebug(string format, params object[] args) => Write(LogLevel.Debug, null, format, args);

        public void LogInformation(string format, params object[] args) => Write(LogLevel.Information, null, format, args);

        public void LogWarning(string format, params object[] args) => Write(LogLevel.Warning, null, format, args);

        public void LogError(string format, params object[] args) => Write(LogLevel.Error, null, format, args);

        public void LogError(Exception ex, string format, params object[] args) => Write(LogLevel.Error, ex, format, args);

        private void Write(LogLevel level, Exception? exception, string format, object[] args) =>
            LogDbUp(logger, level, exception, new DbUpMessage(format, args));

        [LoggerMessage(Message = "{DbUp}")]
        private static partial void LogDbUp(ILogger logger, LogLevel level, Exception? exception, DbUpMessage dbUp);
    }

    // Formats DbUp's composite-format message only when a logger writes it.
    private readonly record struct DbUpMessage(string Format, object[] Args)
    {
        public override string ToString() => string.Format(System.Globalization.CultureInfo.InvariantCulture, Format, Args);
    }
}
