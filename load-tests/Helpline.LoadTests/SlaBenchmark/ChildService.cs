using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Helpline.Host;

namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>
/// The real service as a child process (<c>dotnet Helpline.Host.dll</c>: its own runtimeconfig, so server GC as in
/// production, and the real clock), as tests/Helpline.Tests/Durability/KillNineTests starts it. Watches its output
/// for the start-up sweep's line.
/// </summary>
public sealed partial class ChildService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Stopwatch _since;
    private readonly TaskCompletionSource<(TimeSpan At, int Officers)> _armed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly StreamWriter? _log;
    private bool _logClosed;

    private ChildService(Process process, int httpPort, Stopwatch since, StreamWriter? log)
    {
        _process = process;
        _since = since;
        _log = log;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once exited, else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Completes when the process exits, whoever ended it.</summary>
    public Task Exited => _process.WaitForExitAsync();

    public string RecentOutput => string.Join('\n', _output);

    /// <summary>Helpline.Host.dll next to the Helpline.Host assembly this tool was built against (same build), with its runtimeconfig.</summary>
    public static string LocateHostDll()
    {
        var dir = Path.GetDirectoryName(typeof(HelplineHost).Assembly.Location)!;
        var dll = Path.Combine(dir, "Helpline.Host.dll");
        return File.Exists(dll) && File.Exists(Path.Combine(dir, "Helpline.Host.runtimeconfig.json"))
            ? dll
            : throw new FileNotFoundException($"Helpline.Host.dll with its runtimeconfig.json is not in {dir}");
    }

    /// <summary>
    /// Spawns the service; the times it reports are measured from the spawn. <paramref name="environment"/> adds
    /// variables (an importer token, say); <paramref name="logFile"/> gets every line the service prints (appended,
    /// so a restarted silo continues its file).
    /// </summary>
    public static ChildService Start(
        string hostDll, string connectionString, int httpPort, int siloPort, int gatewayPort,
        IReadOnlyDictionary<string, string>? environment = null, string? logFile = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            hostDll,
            $"--urls=http://127.0.0.1:{httpPort}",
            $"--Helpline:SiloPort={siloPort}",
            $"--Helpline:GatewayPort={gatewayPort}",
            "--Logging:LogLevel:Default=Warning",
            $"--Logging:LogLevel:{BenchHost.SweepCategory}=Information",
            "--Logging:Console:FormatterName=simple",
            "--Logging:Console:FormatterOptions:SingleLine=true",
        })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HELPLINE_DB"] = connectionString;
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_gcServer");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        StreamWriter? log = null;
        if (logFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
            log = new StreamWriter(logFile, append: true) { AutoFlush = true };
            log.WriteLine($"---- {DateTime.UtcNow:O} starting {hostDll} (http {httpPort}, silo {siloPort}, gateway {gatewayPort})");
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var since = Stopwatch.StartNew();
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {dotnet} {hostDll}");
        }

        var child = new ChildService(process, httpPort, since, log);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Time from the spawn until /health answers 200.</summary>
    public async Task<TimeSpan> WaitHealthyAsync(TimeSpan timeout)
    {
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode} before it was healthy:\n{RecentOutput}");
            }

            try
            {
                using var response = await Http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return _since.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Too slow to answer yet.
            }

            if (_since.Elapsed > timeout)
            {
                throw new TimeoutException($"The service was not healthy within {timeout.TotalSeconds} s:\n{RecentOutput}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Time from the spawn until the start-up sweep's line, and its officer count; null on timeout.</summary>
    public async Task<(TimeSpan At, int Officers)?> WaitArmedAsync(TimeSpan timeout)
    {
        var remaining = timeout - _since.Elapsed;
        if (remaining <= TimeSpan.Zero)
        {
            remaining = TimeSpan.FromMilliseconds(1);
        }

        try
        {
            return await _armed.Task.WaitAsync(remaining);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public long Rss() => MemorySample.ReadRss($"/proc/{_process.Id}/status");

    /// <summary>Sum of officer(id){workload{open}} over GraphQL for these officers, asked with <paramref name="bearer"/> (a role that reads workloads).</summary>
    public async Task<long> WorkloadOpenAsync(IEnumerable<string> officerIds, string bearer)
    {
        long sum = 0;
        foreach (var id in officerIds)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = JsonContent.Create(new { query = "query($id: String!) { officer(id: $id) { workload { open } } }", variables = new { id } }),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            using var response = await Http.SendAsync(request);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            sum += body?["data"]?["officer"]?["workload"]?["open"]?.GetValue<int>()
                ?? throw new InvalidOperationException($"No workload for {id}: {body}");
        }

        return sum;
    }

    /// <summary>SIGKILL: no shutdown hooks, no silo leaving the cluster, no flushing.</summary>
    public async Task KillNineAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM (a graceful stop: the silo leaves the cluster), then waits for the exit (SIGKILL after 60 s).</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Gone, or the kill has been sent.
        }

        _process.Dispose();
        Http.Dispose();
        if (_log is not null)
        {
            lock (_log)
            {
                _logClosed = true;
                _log.Dispose();
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (SweepLine().Match(line) is { Success: true } m)
        {
            _armed.TrySetResult((_since.Elapsed, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        }

        if (_log is not null)
        {
            lock (_log)
            {
                if (!_logClosed)
                {
                    _log.WriteLine(line);
                }
            }
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    [GeneratedRegex(@"Deadlines re-armed at start-up for (\d+) officers")]
    private static partial Regex SweepLine();
}
