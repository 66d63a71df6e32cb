using Helpline.Jurisdictions;
using Helpline.Platform.Database;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Helpline.Tests.Jurisdictions;

/// <summary>
/// A service provider over one test database with the Jurisdictions module (and whatever <c>configure</c> adds),
/// migrated; <see cref="LoadAllAsync"/> runs every registered loader in order, as the host does at start-up.
/// </summary>
internal sealed class ReferenceDataHost : IAsyncDisposable
{
    private ReferenceDataHost(ServiceProvider services, NpgsqlDataSource dataSource)
    {
        Services = services;
        DataSource = dataSource;
    }

    public ServiceProvider Services { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<ReferenceDataHost> StartAsync(TestDatabase database, Action<IServiceCollection>? configure = null)
    {
        var dataSource = database.CreateDataSource();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(dataSource)
            .AddSingleton<DatabaseMigrator>()
            .AddJurisdictionsModule();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        return new ReferenceDataHost(provider, dataSource);
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async Task LoadAllAsync()
    {
        foreach (var loader in Services.GetServices<IReferenceDataLoader>().OrderBy(l => l.Order))
        {
            await loader.LoadAsync(TestContext.Current.CancellationToken);
        }
    }

    public Task<T> ScalarAsync<T>(string sql) => DataSource.ScalarAsync<T>(sql);

    public Task ExecuteAsync(string sql) => DataSource.ExecuteAsync(sql);

    /// <summary>Every row's id and transaction id (xmin) in a table: equal before and after means nothing was rewritten.</summary>
    public Task<string> RowVersionsAsync(string table) =>
        ScalarAsync<string>($"select coalesce(string_agg(id || '=' || xmin::text, ',' order by id), '') from {table}");

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
