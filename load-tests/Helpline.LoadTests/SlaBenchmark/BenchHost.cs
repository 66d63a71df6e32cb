using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Helpline.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>
/// The real Helpline host (<see cref="HelplineHost"/>) in this process, as the test host runs it: free silo and
/// gateway ports, HTTP on a loopback port, a <see cref="ManualClock"/> as the <see cref="TimeProvider"/> (SLA clocks
/// and grain timers) while Orleans' background areas stay on real time. Log lines of the start-up deadline sweep are
/// captured with the wall-clock instant they were written.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    /// <summary>The logger category of the start-up sweep (an internal type of the Grievances module).</summary>
    public const string SweepCategory = "Helpline.Grievances.Jobs.StartupDeadlineSweep";

    private WebApplication? _app;

    private BenchHost(string connectionString, ManualClock clock)
    {
        ConnectionString = connectionString;
        Clock = clock;
    }

    public string ConnectionString { get; }

    public ManualClock Clock { get; }

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The host is not running.");

    /// <summary>Lines logged at Warning or above, and the sweep's lines (category, level, message, wall-clock instant).</summary>
    public ConcurrentQueue<CapturedLog> Log { get; } = new();

    /// <summary>Wall-clock duration of <see cref="HelplineHost.BuildAsync"/> (migrations, reference data) in the last start.</summary>
    public TimeSpan LastBuild { get; private set; }

    /// <summary>Wall-clock duration of the app's StartAsync (silo, Quartz, Kestrel) in the last start.</summary>
    public TimeSpan LastStart { get; private set; }

    public static async Task<BenchHost> StartAsync(string connectionString, ManualClock clock)
    {
        var host = new BenchHost(connectionString, clock);
        await host.StartAsync();
        return host;
    }

    public async Task StartAsync()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("Already running.");
        }

        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var builder = HelplineHost.CreateBuilder(
            [
                $"--HELPLINE_DB={ConnectionString}",
                $"--Helpline:SiloPort={siloPort}",
                $"--Helpline:GatewayPort={gatewayPort}",
                "--urls=http://127.0.0.1:0",
                // The seeded grievances share a few mobiles: the desk's monthly limit would refuse the measured ones.
                "--Helpline:Grievances:MonthlyComplaintLimit=0",
                "--Logging:LogLevel:Default=Warning",
                $"--Logging:LogLevel:{SweepCategory}=Information",
            ],
            b =>
            {
                b.Services.AddSingleton<TimeProvider>(Clock);

                // As Orleans.TestingHost's UseTimeProviderForBackgroundAreas (not referenced here): every keyed time
                // area (membership, messaging, activation collection, ...) on real time, the grain area on the
                // default provider, i.e. the manual clock.
                b.Services.AddKeyedSingleton<TimeProvider>(KeyedService.AnyKey, (_, _) => TimeProvider.System);
                b.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, static (sp, _) => sp.GetRequiredService<TimeProvider>());

                b.Logging.ClearProviders();
                b.Logging.AddProvider(new CaptureLoggerProvider(Log));
            });
        var sw = Stopwatch.StartNew();
        _app = await HelplineHost.BuildAsync(builder);
        LastBuild = sw.Elapsed;
        sw.Restart();
        await _app.StartAsync();
        LastStart = sw.Elapsed;
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            var app = _app;
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A captured log line.</summary>
public sealed record CapturedLog(DateTime AtUtc, string Category, LogLevel Level, string Message, string? Exception);

/// <summary>Keeps warnings and errors (at most 1,000) and every line of the start-up sweep; echoes warnings and errors to stderr.</summary>
internal sealed class CaptureLoggerProvider(ConcurrentQueue<CapturedLog> sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CaptureLogger(categoryName, sink);

    public void Dispose()
    {
    }

    private sealed class CaptureLogger(string category, ConcurrentQueue<CapturedLog> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var sweep = category == BenchHost.SweepCategory;
            if (!sweep && logLevel < LogLevel.Warning)
            {
                return;
            }

            var line = new CapturedLog(DateTime.UtcNow, category, logLevel, formatter(state, exception), exception?.GetType().Name);
            if (sweep || sink.Count < 1000)
            {
                sink.Enqueue(line);
            }

            if (logLevel >= LogLevel.Warning)
            {
                Console.Error.WriteLine($"  [{logLevel}] {category}: {line.Message}{(exception is null ? "" : " (" + exception.GetType().Name + ": " + exception.Message + ")")}");
            }
        }
    }
}
