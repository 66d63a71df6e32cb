using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>
/// N silo processes of the built host, each on its own HTTP, silo and gateway ports (kept across restarts, as a
/// machine keeps its ports), with its own log file. Knows which silos are up: the registration driver sends only to
/// those, as a load balancer with health checks would. A silo that exits without being killed here is reported and
/// started again.
/// </summary>
internal sealed class SiloFleet : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);

    private readonly string _hostDll;
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logDir;
    private readonly Action<string> _log;
    private readonly (int Http, int Silo, int Gateway)[] _ports;
    private readonly ChildService?[] _children;
    private readonly bool[] _up;
    private readonly bool[] _expectedDown;
    private readonly object _gate = new();
    private readonly List<string> _unexpectedExits = [];

    public SiloFleet(int count, string hostDll, string connectionString, IReadOnlyDictionary<string, string> environment, string logDir, Action<string> log)
    {
        _hostDll = hostDll;
        _connectionString = connectionString;
        _environment = environment;
        _logDir = logDir;
        _log = log;
        _ports = Enumerable.Range(0, count).Select(_ => (BenchHost.FreePort(), BenchHost.FreePort(), BenchHost.FreePort())).ToArray();
        _children = new ChildService?[count];
        _up = new bool[count];
        _expectedDown = new bool[count];
    }

    public int Count => _ports.Length;

    /// <summary>Silos that exited without being killed by the benchmark (what, when, exit code).</summary>
    public IReadOnlyList<string> UnexpectedExits
    {
        get
        {
            lock (_gate)
            {
                return [.. _unexpectedExits];
            }
        }
    }

    public Uri BaseAddress(int index) => new($"http://127.0.0.1:{_ports[index].Http}");

    public string LogFile(int index) => Path.Combine(_logDir, $"silo-{index + 1}.log");

    public string Describe(int index) =>
        $"silo {index + 1}: http {_ports[index].Http}, silo port {_ports[index].Silo}, gateway {_ports[index].Gateway}, log {LogFile(index)}";

    public bool IsUp(int index)
    {
        lock (_gate)
        {
            return _up[index];
        }
    }

    /// <summary>Starts silo <paramref name="index"/> and waits for /health; returns when it is healthy (UTC).</summary>
    public async Task<DateTimeOffset> StartAsync(int index)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (http, silo, gateway) = _ports[index];
            var child = ChildService.Start(_hostDll, _connectionString, http, silo, gateway, _environment, LogFile(index));
            lock (_gate)
            {
                _children[index] = child;
                _expectedDown[index] = false;
            }

            try
            {
                var took = await child.WaitHealthyAsync(StartTimeout);
                lock (_gate)
                {
                    _up[index] = true;
                }

                _log($"silo {index + 1} healthy {took.TotalSeconds:0.0} s after its start (pid {child.Id})");
                _ = WatchAsync(index, child);
                return DateTimeOffset.UtcNow;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException && attempt < 3)
            {
                // A start that fell into a PostgreSQL restart can fail; an operator (or systemd) would start it again.
                _log($"silo {index + 1} did not start (attempt {attempt}): {FirstLine(ex.Message)}; starting it again");
                lock (_gate)
                {
                    _expectedDown[index] = true;
                }

                await child.DisposeAsync();
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    /// <summary>SIGKILL of silo <paramref name="index"/>; it is marked down first, so no new request goes to it.</summary>
    public async Task KillAsync(int index)
    {
        ChildService? child;
        lock (_gate)
        {
            _up[index] = false;
            _expectedDown[index] = true;
            child = _children[index];
        }

        if (child is not null)
        {
            await child.KillNineAsync();
            await child.DisposeAsync();
        }
    }

    /// <summary>Stops every silo with SIGTERM (concurrently), SIGKILL after 60 s.</summary>
    public async Task StopAllAsync()
    {
        var children = new List<ChildService>();
        lock (_gate)
        {
            for (var i = 0; i < _children.Length; i++)
            {
                _up[i] = false;
                _expectedDown[i] = true;
                if (_children[i] is { } c)
                {
                    children.Add(c);
                }

                _children[i] = null;
            }
        }

        await Task.WhenAll(children.Select(async c =>
        {
            if (!c.HasExited)
            {
                await c.StopAsync();
            }

            await c.DisposeAsync();
        }));
    }

    public async ValueTask DisposeAsync() => await StopAllAsync();

    private async Task WatchAsync(int index, ChildService child)
    {
        await child.Exited;
        bool restart;
        lock (_gate)
        {
            restart = !_expectedDown[index] && ReferenceEquals(_children[index], child);
            if (restart)
            {
                _up[index] = false;
                _unexpectedExits.Add($"{DateTimeOffset.UtcNow:HH:mm:ss} silo {index + 1} (pid {child.Id}) exited with code {child.ExitCode}; log {LogFile(index)}");
            }
        }

        if (restart)
        {
            _log($"silo {index + 1} exited unexpectedly (code {child.ExitCode}); see {LogFile(index)}; starting it again");
            await child.DisposeAsync();
            await StartAsync(index);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0];
}
