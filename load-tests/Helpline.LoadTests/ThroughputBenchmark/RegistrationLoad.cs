using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using Helpline.LoadTests.AccessBenchmark;

namespace Helpline.LoadTests.ThroughputBenchmark;

/// <summary>One registration phase: acknowledged registrations, failures, wall time.</summary>
internal sealed record RegistrationPhase(int Index, long Acknowledged, long Failures, TimeSpan Elapsed)
{
    public double PerSecond => Acknowledged / Elapsed.TotalSeconds;
}

/// <summary>
/// A fixed number of clients, each sending <c>registerGrievance</c> one after another (closed loop) with a client
/// request id used once, round-robin over the scopes. A registration counts when it answers 200 with a reference
/// number; the read model is checked for every one of them after the run.
/// </summary>
internal sealed class RegistrationLoad(HttpClient http, string agentAuthorization, IReadOnlyList<ScopeTarget> scopes, int clients)
{
    private const string Register =
        "mutation Register($input: RegisterGrievanceInput!) { registerGrievance(input: $input) { referenceNumber } }";

    private static readonly byte[] ReferenceKey = "\"referenceNumber\":\""u8.ToArray();
    private static readonly byte[] ErrorsKey = "\"errors\""u8.ToArray();
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _sequence;

    public LongHistogram Latency { get; } = NewHistogram();

    public long Acknowledged { get; private set; }

    public string? FirstFailure { get; private set; }

    public async Task<RegistrationPhase> RunAsync(int index, TimeSpan duration, bool measured)
    {
        var histograms = Enumerable.Range(0, clients).Select(_ => NewHistogram()).ToArray();
        var counts = new (long Ok, long Failed)[clients];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var n = Interlocked.Increment(ref _sequence);
                var start = Stopwatch.GetTimestamp();
                var ok = await SendAsync(n);
                histograms[c].RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds));
                counts[c] = ok ? (counts[c].Ok + 1, counts[c].Failed) : (counts[c].Ok, counts[c].Failed + 1);
            }
        })));
        var elapsed = clock.Elapsed;
        if (measured)
        {
            foreach (var h in histograms)
            {
                Latency.Add(h);
            }
        }

        var ok = counts.Sum(x => x.Ok);
        Acknowledged += ok;
        return new RegistrationPhase(index, ok, counts.Sum(x => x.Failed), elapsed);
    }

    private async Task<bool> SendAsync(long n)
    {
        var scope = scopes[(int)(n % scopes.Count)];
        var id = string.Create(CultureInfo.InvariantCulture, $"tb-{_run}-{n:D8}");
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            query = Register,
            variables = new
            {
                input = new
                {
                    clientRequestId = id,
                    kind = "COMPLAINT",
                    channel = "PHONE",
                    agentId = "throughput-bench-agent",
                    complainant = new { name = "Throughput Bench Caller", mobile = "9" + (n % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture) },
                    jurisdictionId = scope.BlockId,
                    categoryId = scope.CategoryId,
                    description = "Throughput benchmark grievance " + id,
                },
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/graphql-response+json");
        request.Headers.TryAddWithoutValidation("Authorization", agentAuthorization);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode == HttpStatusCode.OK && bytes.AsSpan().IndexOf(ErrorsKey) < 0 && bytes.AsSpan().IndexOf(ReferenceKey) >= 0)
            {
                return true;
            }

            FirstFailure ??= $"{id}: HTTP {(int)response.StatusCode} {AccessBenchSeeder.Cut(Encoding.UTF8.GetString(bytes))}";
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            FirstFailure ??= $"{id}: {ex.Message}";
            return false;
        }
    }

    private static LongHistogram NewHistogram() => new(TimeSpan.FromMinutes(1).Ticks / 10, 3);
}
