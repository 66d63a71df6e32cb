using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>One registration as its caller saw it.</summary>
internal sealed class Registration(int index, string clientRequestId, DateTimeOffset scheduledAt)
{
    public int Index { get; } = index;

    public string ClientRequestId { get; } = clientRequestId;

    public DateTimeOffset ScheduledAt { get; } = scheduledAt;

    public int Attempts { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? ReferenceNumber { get; set; }

    /// <summary>A refusal that retrying cannot change (an input error), if one came.</summary>
    public string? RefusedWith { get; set; }
}

/// <summary>An attempt that did not acknowledge: when its answer (or failure) came, from which silo, and what it was.</summary>
internal sealed record FailedAttempt(DateTimeOffset At, string ClientRequestId, int Silo, string Code, bool Responded);

/// <summary>
/// Registers grievances through GraphQL <c>registerGrievance</c> at a fixed rate, round-robin over the silos that are
/// up, as a call centre behind a load balancer would. Each registration has its own client request id; a failure that
/// retrying can change is retried with the same id on the next silo (after Retry-After, or 250 ms doubling to 2 s),
/// until it is acknowledged or the caller gives up.
/// </summary>
internal sealed class RegistrationDriver : IDisposable
{
    private const string Mutation =
        "mutation Register($input: RegisterGrievanceInput!) { registerGrievance(input: $input) { referenceNumber } }";

    // Input errors: the same request gets the same answer however often it is sent. Everything else (INTERNAL_SERVER_ERROR,
    // TIMEOUT, a code the caller does not know, no answer at all) may be the cluster reconfiguring: retry with the same id.
    private static readonly HashSet<string> Permanent =
    [
        "REQUIRED", "TOO_LONG", "INVALID_VALUE", "FORBIDDEN", "BAD_REQUEST", "UNKNOWN_JURISDICTION", "UNKNOWN_CATEGORY",
        "UNKNOWN_DEPARTMENT", "NO_ROUTE", "INVALID_MOBILE", "IDEMPOTENCY_KEY_REUSED", "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_DOCUMENT_TOO_COMPLEX", "METHOD_NOT_ALLOWED", "NOT_ACCEPTABLE",
        "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE", "AUTHENTICATION_REQUIRED", "TOKEN_MALFORMED", "TOKEN_EXPIRED", "TOKEN_UNKNOWN_KEY",
        "TOKEN_INVALID", "TOKEN_REVOKED", "NOT_YOURSELF", "OUT_OF_SCOPE",
    ];

    private readonly SiloFleet _fleet;
    private readonly IReadOnlyList<(string Jurisdiction, string Category)> _targets;
    private readonly string _runId;
    private readonly TimeSpan _giveUp;
    private readonly HttpClient[] _clients;
    private int _next;

    public RegistrationDriver(SiloFleet fleet, IReadOnlyList<(string Jurisdiction, string Category)> targets, string runId, TimeSpan giveUp, string agentToken)
    {
        _fleet = fleet;
        _targets = targets;
        _runId = runId;
        _giveUp = giveUp;
        _clients = Enumerable.Range(0, fleet.Count).Select(i => new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        })
        {
            BaseAddress = fleet.BaseAddress(i),
            Timeout = TimeSpan.FromSeconds(15),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", agentToken) },
        }).ToArray();
    }

    public ConcurrentQueue<Registration> Registrations { get; } = new();

    public ConcurrentQueue<FailedAttempt> Failures { get; } = new();

    /// <summary>The description that marks registration <paramref name="clientRequestId"/> in the read model.</summary>
    public static string Description(string clientRequestId) => $"Fault bench registration {clientRequestId}";

    /// <summary>Starts one registration every 1/rate s for <paramref name="duration"/>, then waits for the last to end.</summary>
    public async Task RunAsync(int rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (rate <= 0)
        {
            return;
        }

        var running = new List<Task>();
        var start = Stopwatch.StartNew();
        var wallStart = DateTimeOffset.UtcNow;
        for (var i = 0; ; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)rate);
            if (due >= duration || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (due > start.Elapsed)
            {
                await Task.Delay(due - start.Elapsed, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            var r = new Registration(i, $"fb-{_runId}-{i:D6}", wallStart + due);
            Registrations.Enqueue(r);
            running.Add(RegisterAsync(r));
        }

        await Task.WhenAll(running);
    }

    public void Dispose()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }
    }

    private async Task RegisterAsync(Registration r)
    {
        var giveUpAt = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(250);
        while (giveUpAt.Elapsed < _giveUp)
        {
            var silo = NextUpSilo();
            if (silo < 0)
            {
                await Task.Delay(200);
                continue;
            }

            r.Attempts++;
            var (reference, code, responded, retryAfter) = await SendAsync(_clients[silo], r);
            if (reference is not null)
            {
                r.ReferenceNumber = reference;
                r.AcknowledgedAt = DateTimeOffset.UtcNow;
                return;
            }

            Failures.Enqueue(new FailedAttempt(DateTimeOffset.UtcNow, r.ClientRequestId, silo, code, responded));
            if (Permanent.Contains(code))
            {
                r.RefusedWith = code;
                return;
            }

            await Task.Delay(retryAfter is { } ra && ra > TimeSpan.Zero ? ra : delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
        }
    }

    private int NextUpSilo()
    {
        for (var tries = 0; tries < _fleet.Count; tries++)
        {
            var i = (int)((uint)Interlocked.Increment(ref _next) % (uint)_fleet.Count);
            if (_fleet.IsUp(i))
            {
                return i;
            }
        }

        return -1;
    }

    private async Task<(string? Reference, string Code, bool Responded, TimeSpan? RetryAfter)> SendAsync(HttpClient http, Registration r)
    {
        var (jurisdiction, category) = _targets[r.Index % _targets.Count];
        var body = JsonSerializer.Serialize(new
        {
            query = Mutation,
            variables = new
            {
                input = new
                {
                    clientRequestId = r.ClientRequestId,
                    kind = "COMPLAINT",
                    channel = "PHONE",
                    agentId = BenchTokens.AgentId,
                    complainant = new { name = "Fault Bench Caller", mobile = "94150" + (r.Index % 100_000).ToString("D5", CultureInfo.InvariantCulture) },
                    jurisdictionId = jurisdiction,
                    categoryId = category,
                    description = Description(r.ClientRequestId),
                },
            },
        });
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("/graphql", content);
            var text = await response.Content.ReadAsStringAsync();
            var retryAfter = response.Headers.RetryAfter?.Delta;
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    && data.TryGetProperty("registerGrievance", out var g) && g.ValueKind == JsonValueKind.Object
                    && g.TryGetProperty("referenceNumber", out var reference) && reference.ValueKind == JsonValueKind.String)
                {
                    return (reference.GetString(), "", true, null);
                }

                var code = root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                    ? errors.EnumerateArray()
                        .Select(e => e.TryGetProperty("extensions", out var x) && x.TryGetProperty("code", out var c) ? c.GetString() : null)
                        .FirstOrDefault(c => c is not null)
                    : null;
                return (null, code ?? $"HTTP_{(int)response.StatusCode}", true, retryAfter);
            }
            catch (JsonException)
            {
                return (null, $"HTTP_{(int)response.StatusCode}", true, retryAfter);
            }
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.HttpRequestError == HttpRequestError.ConnectionError ? "CONNECTION_REFUSED" : "NETWORK_ERROR", false, null);
        }
        catch (TaskCanceledException)
        {
            return (null, "CLIENT_TIMEOUT_15S", false, null);
        }
        catch (IOException)
        {
            return (null, "NETWORK_ERROR", false, null);
        }
    }

    /// <summary>HTTP status text for a code like HTTP_503 (used in reports).</summary>
    public static string Explain(string code) =>
        code.StartsWith("HTTP_", StringComparison.Ordinal) && int.TryParse(code[5..], out var s) ? $"{code} ({(HttpStatusCode)s})" : code;
}
