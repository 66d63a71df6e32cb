using Helpline.Platform;
using Helpline.Platform.Database;
using Helpline.Platform.Orleans;
using Npgsql;

namespace Helpline.Tests.OrleansProviders;

public sealed class PlatformModuleTests
{
    [Fact]
    public async Task AddPlatformModule_registers_the_schema_once_and_the_outbox()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_ => NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused"));
        services.AddPlatformModule().AddPlatformModule();

        await using var provider = services.BuildServiceProvider();
        var schema = Assert.Single(provider.GetServices<IModuleSchema>());
        Assert.Equal(("orleans", 0), (schema.Schema, schema.Order));
        Assert.IsType<PlatformSchema>(schema);
        Assert.NotNull(provider.GetRequiredService<ProjectionOutbox>());
    }
}
