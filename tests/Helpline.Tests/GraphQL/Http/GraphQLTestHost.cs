#pragma warning disable IDE0005 // explicit usings on purpose: this file must build with or without the project's global usings

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GraphQL;
using Helpline.GraphQL.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>
/// A minimal ASP.NET Core app on the in-memory test server serving <see cref="TestSchema"/> through the Helpline
/// GraphQL transport, with helpers to send requests and a record of everything logged.
/// </summary>
public sealed class GraphQLTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GraphQLTestHost(WebApplication app, LogCollector logs, HttpClient client)
    {
        _app = app;
        Logs = logs;
        Client = client;
    }

    public HttpClient Client { get; }

    public LogCollector Logs { get; }

    public TestCounter Counter => _app.Services.GetRequiredService<TestCounter>();

    public TestConcurrency Concurrency => _app.Services.GetRequiredService<TestConcurrency>();

    public TestGate Gate => _app.Services.GetRequiredService<TestGate>();

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the app on the in-memory test server, or, with <paramref name="kestrel"/>, on a free loopback port
    /// (for clients outside the process; see <see cref="Url"/>).
    /// </summary>
    public static async Task<GraphQLTestHost> StartAsync(Action<GraphQLHttpOptions>? configure = null, bool kestrel = false, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        if (kestrel)
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        else
            builder.WebHost.UseTestServer();
        var logs = new LogCollector();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<TestCounter>();
        builder.Services.AddSingleton<TestConcurrency>();
        builder.Services.AddSingleton<TestGate>();
        builder.Services.AddTransient<TestNodeType>();
        builder.Services.AddTransient<TestPageType>();
        builder.Services.AddGraphQL(graphql => graphql.AddSchema<TestSchema>().AddSystemTextJson());
        builder.Services.AddHelplineGraphQLTransport(configure);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapHelplineGraphQL();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var client = kestrel ? new HttpClient { BaseAddress = new Uri(app.Urls.First()) } : app.GetTestClient();
        return new GraphQLTestHost(app, logs, client);
    }

    /// <summary>The endpoint's absolute URL.</summary>
    public Uri Url => new(Client.BaseAddress!, "/graphql");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>POSTs a JSON body (as text, so malformed bodies can be sent) with the given headers.</summary>
    public Task<GraphQLResponse> PostAsync(string body, string? accept = null, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return SendAsync(HttpMethod.Post, "/graphql", content, accept);
    }

    /// <summary>POSTs a well-formed request object.</summary>
    public Task<GraphQLResponse> PostQueryAsync(string query, object? variables = null, string? operationName = null, string? accept = null)
    {
        var body = new JsonObject { ["query"] = query };
        if (variables is not null)
            body["variables"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(variables));
        if (operationName is not null)
            body["operationName"] = operationName;
        return PostAsync(body.ToJsonString(), accept);
    }

    /// <summary>Sends a GET with the given query-string parameters, URL-encoded.</summary>
    public Task<GraphQLResponse> GetAsync(IEnumerable<KeyValuePair<string, string>> parameters, string? accept = null)
    {
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return SendAsync(HttpMethod.Get, "/graphql?" + query, null, accept);
    }

    public Task<GraphQLResponse> GetAsync(string query, string? accept = null)
        => GetAsync([new("query", query)], accept);

    public async Task<GraphQLResponse> SendAsync(HttpMethod method, string url, HttpContent? content, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        return new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType, response.Content.Headers.Allow.ToList(), bytes)
        {
            RetryAfter = response.Headers.RetryAfter?.ToString(),
        };
    }
}

/// <summary>What came back: status, content type, Allow header and the body.</summary>
public sealed record GraphQLResponse(System.Net.HttpStatusCode Status, MediaTypeHeaderValue? ContentType, IReadOnlyList<string> Allow, byte[] Bytes)
{
    public int StatusCode => (int)Status;

    /// <summary>The Retry-After header, as sent; null when absent.</summary>
    public string? RetryAfter { get; init; }

    public string MediaType => ContentType?.MediaType ?? "";

    public string Text => Encoding.UTF8.GetString(Bytes);

    public JsonObject Json => JsonNode.Parse(Text)!.AsObject();

    public JsonArray Errors => Json["errors"]!.AsArray();

    public JsonObject Error(int index = 0) => Errors[index]!.AsObject();

    public string? ErrorCode(int index = 0) => Error(index)["extensions"]?["code"]?.GetValue<string>();

    public bool HasData => Json.ContainsKey("data");

    public JsonNode? Data => Json["data"];

    /// <summary>Every error has a non-empty message and a non-empty extensions.code.</summary>
    public void AssertErrorsWellFormed()
    {
        Assert.NotEmpty(Errors);
        foreach (var error in Errors)
        {
            Assert.False(string.IsNullOrWhiteSpace(error!["message"]?.GetValue<string>()), $"error without message: {error}");
            Assert.False(string.IsNullOrWhiteSpace(error["extensions"]?["code"]?.GetValue<string>()), $"error without extensions.code: {error}");
        }
    }
}

/// <summary>Keeps every log entry written through the host's logging.</summary>
public sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Collector(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
    }
}

public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);
