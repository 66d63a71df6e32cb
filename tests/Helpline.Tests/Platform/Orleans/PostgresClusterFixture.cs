using Helpline.Platform.Orleans;
using Helpline.Tests.Infrastructure;
using Npgsql;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Helpline.Tests.OrleansProviders;

/// <summary>
/// Two in-process silos configured only with <see cref="HelplineOrleansPostgres.UseHelplinePostgres"/> on a fresh,
/// migrated database: the test cluster's in-memory membership is switched off, so the silos find each other through
/// the ADO.NET membership table, and the client finds its gateways there too.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public IServiceProvider Silo => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress);

    public IGrainStorage Storage(string name) => Silo.GetRequiredKeyedService<IGrainStorage>(name);

    public async ValueTask InitializeAsync()
    {
        _database = await OrleansDatabase.CreateMigratedAsync(TestContext.Current.CancellationToken);
        DataSource = _database.CreateDataSource();
        var connectionString = _database.ConnectionString;

        var builder = new InProcessTestClusterBuilder(2);
        UseRealMembership(builder.Options);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.UseHelplinePostgres(connectionString));
        builder.ConfigureClient(client => client.UseHelplinePostgresClustering(connectionString));
        Cluster = builder.Build();
        await Cluster.DeployAsync(TestContext.Current.CancellationToken);
    }

    // The in-process test cluster registers its own in-memory membership table (and a grain directory tied to it)
    // after every configuration delegate has run, so it would silently replace ADO.NET clustering. The switch that
    // turns this off, UseTestClusterMembership, is internal in 10.4.2 (Orleans' own ADO.NET tests reach it through
    // InternalsVisibleTo); set it by reflection and fail loudly if a later version renames it.
    private static void UseRealMembership(InProcessTestClusterOptions options)
    {
        var property = typeof(InProcessTestClusterOptions).GetProperty(
            "UseTestClusterMembership",
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("InProcessTestClusterOptions.UseTestClusterMembership is gone: find the new way to keep the test cluster off its in-memory membership.");
        property.SetValue(options, false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync(CancellationToken.None);
            await Cluster.DisposeAsync();
        }

        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
