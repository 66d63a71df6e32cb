using Helpline.Catalogue;
using Helpline.Officers;
using Helpline.Tests.Infrastructure;
using Helpline.Tests.Jurisdictions;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.Officers;

/// <summary>A database with UP's jurisdictions and the roster generated from <see cref="FakeCatalogue.Standard"/>, loaded once.</summary>
public sealed class LoadedRoster : IAsyncLifetime
{
    private TestDatabase? _database;

    internal ReferenceDataHost Host { get; private set; } = null!;

    internal static async Task<ReferenceDataHost> StartAsync(TestDatabase database, ICatalogue catalogue) =>
        await ReferenceDataHost.StartAsync(database, services => services.AddSingleton(catalogue).AddOfficersModule());

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Host = await StartAsync(_database, FakeCatalogue.Standard());
        await Host.LoadAllAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
