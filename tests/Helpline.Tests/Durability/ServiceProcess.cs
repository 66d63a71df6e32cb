using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Nodes;
using Helpline.Host;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Durability;

/// <summary>
/// The real service as a child process: <c>dotnet Helpline.Host.dll</c> on the given database and ports. Disposing
/// kills it if it is still running, so a failing test never leaves it behind; so does the test process exiting.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly EventHandler _killOnExit;

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _killOnExit = (_, _) => KillQuietly();
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
    }

    public HttpClient Http { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the service wrote, for failure messages.</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>
    /// The built Helpline.Host.dll with its runtimeconfig: the copy next to the Helpline.Host assembly this test
    /// project was compiled against (the test output folder), else src/Host/bin/&lt;configuration&gt;/net10.0.
    /// </summary>
    public static string LocateHostDll()
    {
        var candidates = new List<string> { Path.GetDirectoryName(typeof(HelplineHost).Assembly.Location)! };
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Helpline.sln")))
            {
                candidates.Add(Path.Combine(dir.FullName, "src", "Host", "bin", configuration, "net10.0"));
                break;
            }
        }

        foreach (var dir in candidates)
        {
            var dll = Path.Combine(dir, "Helpline.Host.dll");
            if (File.Exists(dll) && File.Exists(Path.Combine(dir, "Helpline.Host.runtimeconfig.json")))
            {
                return dll;
            }
        }

        throw new FileNotFoundException("Helpline.Host.dll with its runtimeconfig.json was not found in: " + string.Join(", ", candidates));
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the service and waits (bounded) until /health answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(
        string hostDll, string connectionString, int httpPort, int siloPort, int gatewayPort, CancellationToken cancellationToken, IEnumerable<string>? extraArguments = null)
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
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            TestTokens.TrustedKeyArgument,
        }.Concat(extraArguments ?? []))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HELPLINE_DB"] = connectionString;
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {dotnet} {hostDll}");
        }

        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{httpPort}"));
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await service.WaitUntilHealthyAsync(StartTimeout(), cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no silo leaving the cluster, no flushing.</summary>
    public async Task KillNineAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    /// <summary>True when the service wrote a line containing <paramref name="text"/> among its last 200 lines.</summary>
    public bool Wrote(string text) => _output.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>
    /// POSTs a GraphQL request and returns the response body. <paramref name="bearer"/>: the token; null for the caller
    /// <see cref="DefaultCallers"/> picks, <see cref="HelplineTestHost.NoToken"/> for none.
    /// </summary>
    public async Task<JsonObject> GraphQLAsync(string query, object? variables = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        bearer ??= DefaultCallers.TokenFor(query, variables);
        if (!string.IsNullOrEmpty(bearer))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(body)?.AsObject() ?? throw new InvalidOperationException($"Empty GraphQL response ({response.StatusCode}).");
    }

    /// <summary>As <see cref="GraphQLAsync"/>, with the caller <see cref="DefaultCallers"/> picks; returns the data, and throws on any GraphQL error.</summary>
    public async Task<JsonNode> DataAsync(string query, object? variables = null)
    {
        var body = await GraphQLAsync(query, variables);
        return body["errors"] is { } errors ? throw new InvalidOperationException("GraphQL errors: " + errors.ToJsonString()) : body["data"]!;
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        KillQuietly();
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Nothing more to do; the kill has been sent.
        }

        _process.Dispose();
        Http.Dispose();
    }

    private void KillQuietly()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    /// <summary>
    /// How long a start may take: 120 s, or HELPLINE_TEST_SERVICE_START_SECONDS. A healthy start takes a few seconds; on
    /// a machine busy with parallel builds the 45 s once allowed was not enough, so the bound is generous, and a start
    /// slower than <see cref="SlowStart"/> is still reported (as a diagnostic message) rather than hidden.
    /// </summary>
    private static TimeSpan StartTimeout()
        => int.TryParse(Environment.GetEnvironmentVariable("HELPLINE_TEST_SERVICE_START_SECONDS"), out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(120);

    private static readonly TimeSpan SlowStart = TimeSpan.FromSeconds(30);

    private async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastAnswer = "no answer yet (not listening)";
        var attempts = 0;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The service exited with code {_process.ExitCode} after {clock.Elapsed.TotalSeconds:F1} s before it was healthy; last /health: {lastAnswer}. It printed:\n{RecentOutput}");
            }

            attempts++;
            try
            {
                using var response = await Http.GetAsync("/health", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    if (clock.Elapsed > SlowStart)
                    {
                        TestContext.Current.SendDiagnosticMessage(
                            $"The service (pid {_process.Id}) took {clock.Elapsed.TotalSeconds:F1} s to become healthy (usually a few seconds): the machine is slow or loaded.");
                    }
                    return;
                }
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                lastAnswer = $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}";
            }
            catch (HttpRequestException ex)
            {
                lastAnswer = $"not listening yet ({ex.Message})";
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastAnswer = $"no answer within the client timeout of {Http.Timeout.TotalSeconds} s";
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"The service (pid {_process.Id}) was not healthy within {timeout.TotalSeconds} s ({attempts} checks; set HELPLINE_TEST_SERVICE_START_SECONDS to allow more); last /health: {lastAnswer}. It printed:\n{RecentOutput}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
