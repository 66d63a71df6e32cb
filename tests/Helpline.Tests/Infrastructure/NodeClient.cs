using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Helpline.Tests.Infrastructure;

/// <summary>
/// A script of tests/graphql-ws-client run with Node (its npm packages are installed by <c>./helpline test</c>); each line
/// it prints is a JSON object, read one at a time.
/// </summary>
internal sealed class NodeClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Channel<JsonObject> _lines = Channel.CreateUnbounded<JsonObject>();
    private readonly List<string> _stderr = [];
    private readonly List<string> _seen = [];

    private NodeClient(Process process) => _process = process;

    /// <summary>Subscribes with the npm graphql-ws client (subscribe.mjs) and waits until the server listens.</summary>
    public static async Task<NodeClient> SubscribeAsync(Uri service, string? token, string query, string? variablesJson = null)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "graphql-ws-client");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            throw new InvalidOperationException($"The npm packages of {folder} are not installed; run the tests with ./helpline test (it runs npm ci there).");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var ws = new UriBuilder(service) { Scheme = "ws", Path = "/graphql" }.Uri.ToString();
        foreach (var arg in new[] { "subscribe.mjs", ws, token ?? string.Empty, query, variablesJson ?? string.Empty })
        {
            start.ArgumentList.Add(arg);
        }

        var client = new NodeClient(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
        client._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                client._lines.Writer.TryWrite(JsonNode.Parse(line)!.AsObject());
            }
        };
        client._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (client._stderr)
                {
                    client._stderr.Add(e.Data);
                }
            }
        };
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        return client;
    }

    /// <summary>The next line the script printed.</summary>
    public async Task<JsonObject> NextAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            var line = await _lines.Reader.ReadAsync(timeout.Token);
            _seen.Add(line.ToJsonString());
            return line;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            string errors;
            lock (_stderr)
            {
                errors = string.Join('\n', _stderr);
            }

            throw new TimeoutException($"The node client printed nothing for {Patience.TotalSeconds} s. It printed before: {string.Join(" ", _seen)} Its stderr: {errors}");
        }
    }

    /// <summary>Reads lines until one has <paramref name="key"/>; returns it.</summary>
    public async Task<JsonObject> NextWithAsync(string key)
    {
        while (true)
        {
            var line = await NextAsync();
            if (line.ContainsKey(key))
            {
                return line;
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Helpline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (Helpline.sln) was not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }
}
