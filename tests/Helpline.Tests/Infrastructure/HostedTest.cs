using Microsoft.Extensions.Time.Testing;

namespace Helpline.Tests.Infrastructure;

/// <summary>
/// The setup every end-to-end test class shares: each test gets a fresh database (<see cref="Db"/>) with the real host
/// started over it (<see cref="Host"/>), both disposed after the test. A class that needs more setup overrides
/// <see cref="InitializeAsync"/> and calls this one first.
/// </summary>
/// <param name="clock">The host's clock; null for the test host's default fake clock.</param>
/// <param name="configure">Runs last on the host builder (for example to set configuration).</param>
public abstract class HostedTest(FakeTimeProvider? clock = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null) : IAsyncLifetime
{
    protected TestDatabase Db { get; private set; } = null!;

    protected HelplineTestHost Host { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        Host = await HelplineTestHost.StartAsync(Db.ConnectionString, clock, configure);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Db.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
