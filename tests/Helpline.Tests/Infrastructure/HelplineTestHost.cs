using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helpline.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Helpline.Tests.Infrastructure;

/// <summary>
/// The real Helpline host (HelplineHost), in process, on a loopback port, over a test database, with a
/// FakeTimeProvider driving grain timers and SLA clocks (Orleans' own maintenance stays on real time).
/// Stop and start it again over the same database to test restarts.
/// </summary>
public sealed class HelplineTestHost : IAsyncDisposable
{
    private readonly Action<WebApplicationBuilder>? _configure;
    private WebApplication? _app;

    private HelplineTestHost(string connectionString, FakeTimeProvider clock, Action<WebApplicationBuilder>? configure = null)
    {
        ConnectionString = connectionString;
        Clock = clock;
        _configure = configure;
    }

    /// <summary>Pass as the bearer of <see cref="GraphQLAsync"/> to send no token at all (the public).</summary>
    public const string NoToken = "";

    public string ConnectionString { get; }

    public FakeTimeProvider Clock { get; }

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <param name="connectionString">The test database.</param>
    /// <param name="clock">The fake clock; a new one at 2026-11-02 04:30 UTC when null.</param>
    /// <param name="configure">Runs last on the host builder at every start (for example to add a grain call filter).</param>
    public static async Task<HelplineTestHost> StartAsync(string connectionString, FakeTimeProvider? clock = null, Action<WebApplicationBuilder>? configure = null)
    {
        var host = new HelplineTestHost(connectionString, clock ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 4, 30, 0, TimeSpan.Zero)), configure);
        await host.StartAsync();
        return host;
    }

    public async Task StartAsync()
    {
        // A port found free may be taken before the silo binds it (another test's outgoing connection gets it as its
        // ephemeral port); the host refuses such a port before touching the cluster, so trying other ports is safe.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnAsync(FreePort(), FreePort());
                return;
            }
            catch (InvalidOperationException ex) when (ex.InnerException is SocketException && attempt < 5)
            {
                _app = null;
            }
        }
    }

    private async Task StartOnAsync(int siloPort, int gatewayPort)
    {
        var builder = HelplineHost.CreateBuilder(
            [
                $"--HELPLINE_DB={ConnectionString}",
                // Tests register many complaints from one mobile for other ends; the agent desk's tests set the limit
                // per mobile themselves (Grievances/Desk).
                "--Helpline:Grievances:MonthlyComplaintLimit=0",
                $"--Helpline:SiloPort={siloPort}",
                $"--Helpline:GatewayPort={gatewayPort}",
                "--urls=http://127.0.0.1:0",
                "--Logging:LogLevel:Default=Warning",
                TestTokens.TrustedKeyArgument,
            ],
            b =>
            {
                b.Services.AddSingleton<TimeProvider>(Clock);
                b.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
                _configure?.Invoke(b);
            });
        _app = await HelplineHost.BuildAsync(builder);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            Http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>
    /// Stops the host without a graceful shutdown (the silo hands nothing over and its grains are not deactivated), as
    /// close to losing the process as one process hosting several silos allows.
    /// </summary>
    public async Task StopAbruptlyAsync()
    {
        if (_app is not null)
        {
            Http.Dispose();
            try
            {
                await _app.StopAsync(new CancellationToken(canceled: true));
            }
            catch (OperationCanceledException)
            {
                // expected: nothing waited for
            }

            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>POSTs a GraphQL request and returns the parsed response body and status.</summary>
    /// <param name="query">The document.</param>
    /// <param name="variables">Its variables.</param>
    /// <param name="bearer">The token; null for the caller <see cref="DefaultCallers"/> picks, <see cref="NoToken"/> for none.</param>
    public async Task<GraphQLResponse> GraphQLAsync(string query, object? variables = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        // As a current GraphQL client: the spec's media type, whose status codes tell a refused document (400) from a run one.
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        bearer ??= DefaultCallers.TokenFor(query, variables);
        if (!string.IsNullOrEmpty(bearer))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new GraphQLResponse(response.StatusCode, JsonNode.Parse(body)!.AsObject()) { RetryAfter = response.Headers.RetryAfter?.ToString() };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record GraphQLResponse(HttpStatusCode Status, JsonObject Body)
{
    /// <summary>The Retry-After header, as sent; null when absent.</summary>
    public string? RetryAfter { get; init; }

    public JsonNode? Data => Body["data"];

    public JsonArray? Errors => Body["errors"]?.AsArray();

    public string? FirstErrorCode => Errors?[0]?["extensions"]?["code"]?.GetValue<string>();

    public string? FirstErrorField => Errors?[0]?["extensions"]?["field"]?.GetValue<string>();

    public JsonNode Get(string path)
    {
        if (Errors is { Count: > 0 })
        {
            throw new InvalidOperationException("GraphQL errors: " + Errors.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        JsonNode node = Data!;
        foreach (var part in path.Split('.'))
        {
            node = int.TryParse(part, out var i) ? node[i]! : node[part]!;
        }

        return node;
    }
}
