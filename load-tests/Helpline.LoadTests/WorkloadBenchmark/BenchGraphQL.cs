using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HdrHistogram;

namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>
/// One request at a time to the host's GraphQL endpoint with a bearer token, timed from sending the request to having
/// read the whole answer. An answer that is not 200 or carries errors stops the benchmark (its figures would be wrong).
/// </summary>
internal sealed class BenchGraphQL(HttpClient http)
{
    /// <summary>Sends <paramref name="query"/> and returns its <c>data</c> and the wall time in microseconds.</summary>
    public async Task<(JsonNode Data, long Micros)> SendAsync(string token, string query, object? variables = null)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { query, variables });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/graphql-response+json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var micros = Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        var json = JsonNode.Parse(bytes);
        if (!response.IsSuccessStatusCode || json?["errors"] is not null || json?["data"] is not { } data)
        {
            var text = Encoding.UTF8.GetString(bytes);
            throw new InvalidOperationException($"GraphQL request failed: HTTP {(int)response.StatusCode} {(text.Length > 800 ? text[..800] + "..." : text)}\nquery: {query}");
        }

        return (data, micros);
    }
}

/// <summary>Latency percentiles in milliseconds of a series of timed calls (microsecond resolution).</summary>
internal sealed record Percentiles(long Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static Percentiles Of(LongHistogram h) => h.TotalCount == 0
        ? new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)
        : new Percentiles(
            h.TotalCount,
            h.GetValueAtPercentile(50) / 1000.0,
            h.GetValueAtPercentile(90) / 1000.0,
            h.GetValueAtPercentile(99) / 1000.0,
            h.GetMaxValue() / 1000.0,
            h.GetMean() / 1000.0);

    /// <summary>An empty histogram for microsecond values up to 10 minutes, 3 significant digits.</summary>
    public static LongHistogram NewHistogram() => new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
}
