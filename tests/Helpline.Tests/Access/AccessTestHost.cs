using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Helpline.Access;
using Helpline.Access.Tokens;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Helpline.Tests.Access;

/// <summary>
/// The access tests' own signing keys: one the hosts of these tests trust, and one nobody trusts. Independent of the
/// default tokens other tests use, so these tests say exactly which token (or none) each request carries.
/// </summary>
internal static class AccessTestKeys
{
    public static readonly (string PrivateJwk, string PublicJwk) Trusted = AccessTokens.GenerateKey("access-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public static readonly (string PrivateJwk, string PublicJwk) Untrusted = AccessTokens.GenerateKey("access-untrusted-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>A token signed with <paramref name="privateJwk"/> (the trusted key when null).</summary>
    public static string Mint(
        Role role,
        string subject,
        DateTimeOffset issuedAt,
        DateTimeOffset expiresAt,
        IReadOnlyList<string>? departments = null,
        IReadOnlyList<string>? jurisdictions = null,
        int? depth = null,
        string? privateJwk = null) =>
        AccessTokens.Mint(
            privateJwk ?? Trusted.PrivateJwk,
            new TokenClaims(subject, role, departments, jurisdictions, depth, AccessTokens.NewTokenId(), issuedAt, expiresAt));
}

/// <summary>A response with the headers the access tests look at.</summary>
public sealed record AccessResponse(HttpStatusCode Status, JsonObject Body, string? WwwAuthenticate)
{
    public GraphQLResponse AsGraphQL => new(Status, Body);

    public JsonArray? Errors => Body["errors"]?.AsArray();

    public IReadOnlyList<string> Codes => Errors?.Select(e => e?["extensions"]?["code"]?.GetValue<string>() ?? "(none)").ToList() ?? [];

    public string? FirstCode => Codes.Count == 0 ? null : Codes[0];

    public string? FirstMessage => Errors?[0]?["message"]?.GetValue<string>();

    public JsonNode Get(string path) => AsGraphQL.Get(path);

    public override string ToString() => $"{(int)Status} {Body.ToJsonString()}";
}

/// <summary>
/// One real host per test class (a class fixture), over its own database, trusting <see cref="AccessTestKeys.Trusted"/>.
/// Requests go out exactly as the test says: no token unless one is given.
/// </summary>
public class AccessTestHost : IAsyncLifetime
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);

    private TestDatabase _db = null!;
    private int _requests;

    public HelplineTestHost Host { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(T0);

    public string ConnectionString => _db.ConnectionString;

    /// <summary>Every log line the host wrote at warning or above ("category: message").</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    public virtual async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        Host = await HelplineTestHost.StartAsync(_db.ConnectionString, Clock, b =>
        {
            b.Services.Configure<AccessOptions>(o => o.TrustedKeys.Add(AccessTestKeys.Trusted.PublicJwk));
            b.Logging.AddProvider(new CollectingLoggerProvider(Logs));
        });
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _db.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A token of the trusted key, issued a minute before the host's now and valid for a day.</summary>
    public string Token(Role role, string subject, IReadOnlyList<string>? departments = null, IReadOnlyList<string>? jurisdictions = null, int? depth = null) =>
        AccessTestKeys.Mint(role, subject, Clock.GetUtcNow().AddMinutes(-1), Clock.GetUtcNow().AddDays(1), departments, jurisdictions, depth);

    /// <summary>POSTs a GraphQL request with <paramref name="bearer"/> (none when null) or the raw Authorization header values given.</summary>
    public async Task<AccessResponse> SendAsync(string query, object? variables = null, string? bearer = null, IReadOnlyList<string>? rawAuthorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        foreach (var value in rawAuthorization ?? [])
        {
            request.Headers.TryAddWithoutValidation("Authorization", value);
        }

        using var response = await Host.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new AccessResponse(response.StatusCode, JsonNode.Parse(body)!.AsObject(), response.Headers.WwwAuthenticate.ToString() is { Length: > 0 } w ? w : null);
    }

    /// <summary>Registers a complaint as an agent and answers where it went.</summary>
    public async Task<Registered> RegisterAsync(string jurisdictionId, string name = "Sita Devi", string mobile = "9415012345", string categoryId = "rd-pmayg-not-sanctioned")
    {
        var r = await SendAsync(
            """
            mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) {
              referenceNumber officer { id } position { id supervisor { id holder { id } } } } }
            """,
            new
            {
                i = new
                {
                    clientRequestId = $"access-{Interlocked.Increment(ref _requests)}-{Guid.NewGuid():N}",
                    kind = "COMPLAINT",
                    channel = "PHONE",
                    complainant = new { name, mobile },
                    jurisdictionId,
                    categoryId,
                    description = "House not sanctioned although the survey listed the family",
                },
            },
            Token(Role.Agent, "agent-registering"));
        var g = r.Get("registerGrievance");
        return new Registered(
            g["referenceNumber"]!.GetValue<string>(),
            g["officer"]!["id"]!.GetValue<string>(),
            g["position"]!["id"]!.GetValue<string>(),
            g["position"]!["supervisor"]?["holder"]?["id"]?.GetValue<string>());
    }
}

/// <summary>A registered grievance: its number, the officer and seat holding it, and that seat's supervisor (an officer id).</summary>
public sealed record Registered(string ReferenceNumber, string OfficerId, string PositionId, string? SupervisorOfficerId);

/// <summary>Real places of Uttar Pradesh in two districts.</summary>
public static class Places
{
    /// <summary>Chinhat block, Lucknow district.</summary>
    public const string LucknowBlock = "block:1330";

    public const string Lucknow = "district:162";

    /// <summary>Achhnera block, Agra district.</summary>
    public const string AgraBlock = "block:803";

    public const string Agra = "district:118";
}

/// <summary>Collects the host's log lines at warning and above, so that tests can read what the service said.</summary>
internal sealed class CollectingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Collector(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{category}: {formatter(state, exception)}");
            }
        }
    }
}
