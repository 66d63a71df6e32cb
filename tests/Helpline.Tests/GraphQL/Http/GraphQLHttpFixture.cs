namespace Helpline.Tests.GraphQLHttp;

/// <summary>One shared test host with the default options, for tests that do not change state.</summary>
public sealed class GraphQLHttpFixture : IAsyncLifetime
{
    private GraphQLTestHost? _host;

    public GraphQLTestHost Host => _host ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _host = await GraphQLTestHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }
}
