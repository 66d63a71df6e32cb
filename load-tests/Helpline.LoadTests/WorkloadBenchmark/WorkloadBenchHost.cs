using System.Collections.Concurrent;
using System.Diagnostics;
using Helpline.Host;
using Helpline.LoadTests.SlaBenchmark;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>
/// The real Helpline host in this process on the real clock, trusting one generated key, HTTP on a loopback port.
/// Warnings and the start-up deadline sweep's lines are captured (with their wall-clock instant): the sweep is what
/// activates every officer grain holding an open deadline after a start, i.e. the warm-up of the boards.
/// </summary>
internal sealed class WorkloadBenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WorkloadBenchHost(WebApplication app, Uri address, TimeSpan startTime)
    {
        _app = app;
        Address = address;
        StartTime = startTime;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Build (migrations, reference data, roster) and start (silo, Quartz, Kestrel), wall clock.</summary>
    public TimeSpan StartTime { get; }

    /// <summary>Migrations, reference data and the generated roster, as a start does them, without starting the silo; wall clock.</summary>
    public static async Task<TimeSpan> PrepareAsync(string connectionString, string trustedPublicJwk, ConcurrentQueue<CapturedLog> log)
    {
        var sw = Stopwatch.StartNew();
        await using var app = await HelplineHost.BuildAsync(Builder(connectionString, trustedPublicJwk, log));
        return sw.Elapsed;
    }

    public static async Task<WorkloadBenchHost> StartAsync(string connectionString, string trustedPublicJwk, ConcurrentQueue<CapturedLog> log)
    {
        var sw = Stopwatch.StartNew();
        var app = await HelplineHost.BuildAsync(Builder(connectionString, trustedPublicJwk, log));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new WorkloadBenchHost(app, new Uri(address), sw.Elapsed);
    }

    private static WebApplicationBuilder Builder(string connectionString, string trustedPublicJwk, ConcurrentQueue<CapturedLog> log) =>
        HelplineHost.CreateBuilder(
            [
                $"--HELPLINE_DB={connectionString}",
                $"--Helpline:SiloPort={BenchHost.FreePort()}",
                $"--Helpline:GatewayPort={BenchHost.FreePort()}",
                "--urls=http://127.0.0.1:0",
                "--Logging:LogLevel:Default=Warning",
                $"--Logging:LogLevel:{BenchHost.SweepCategory}=Information",
                $"--Helpline:Access:TrustedKeys:0={trustedPublicJwk}",
                "--Helpline:Access:TrustedKeysDirectory=",
            ],
            b =>
            {
                b.Logging.ClearProviders();
                b.Logging.AddProvider(new CaptureLoggerProvider(log));
            });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
