using Helpline.Platform;
using Helpline.Platform.Database;
using Helpline.Platform.Orleans;
using Npgsql;

namespace Helpline.Tests.OrleansProviders;

public sealed class PlatformModuleTests
{
    [Fact]
    public async Task AddPlatformModule_registers_its_schemas_once_and_the_outbox()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_ => NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused"));
        services.AddPlatformModule().AddPlatformModule();

        await using var provider = services.BuildServiceProvider();
        var schemas = provider.GetServices<IModuleSchema>().ToList();
        Assert.Equal([("orleans", 0), ("events", 1)], schemas.Select(s => (s.Schema, s.Order)));
        Assert.IsType<PlatformSchema>(schemas[0]);
        Assert.NotNull(provider.GetRequiredService<ProjectionOutbox>());
    }
}
