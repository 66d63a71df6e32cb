using Helpline.Tests.Durability;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Cluster;

/// <summary>Two silos of one cluster: two processes of the built host over one fresh test database.</summary>
public abstract class TwoSilos : IAsyncLifetime
{
    protected TestDatabase Db { get; private set; } = null!;

    protected ServiceProcess A { get; private set; } = null!;

    protected ServiceProcess B { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        var dll = ServiceProcess.LocateHostDll();
        A = await ServiceProcess.StartAsync(dll, Db.ConnectionString, ServiceProcess.FreePort(), ServiceProcess.FreePort(), ServiceProcess.FreePort(), Ct);
        B = await ServiceProcess.StartAsync(dll, Db.ConnectionString, ServiceProcess.FreePort(), ServiceProcess.FreePort(), ServiceProcess.FreePort(), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Db.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
