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
    // The answers of one request at a time are read into this one buffer (grown when too small), so that the client's
    // own garbage (it runs in the host's process) does not bring on collections that the host's figures would carry.
    private byte[] _answer = new byte[1 << 20];

    /// <summary>Sends <paramref name="query"/> and returns its <c>data</c> and the wall time in microseconds.</summary>
    public async Task<(JsonNode Data, long Micros)> SendAsync(string token, string query, object? variables = null)
    {
        var (length, micros) = await ExchangeAsync(token, query, variables);
        var json = JsonNode.Parse(_answer.AsSpan(0, length));
        return (json?["data"] ?? throw new InvalidOperationException("The answer has no data."), micros);
    }

    /// <summary>
    /// Sends <paramref name="query"/> and returns the wall time in microseconds, having checked that the answer is
    /// well-formed JSON with <c>data</c> and without <c>errors</c> (read through once, nothing kept).
    /// </summary>
    public async Task<long> TimeAsync(string token, string query, object? variables = null) =>
        (await ExchangeAsync(token, query, variables)).Micros;

    private async Task<(int Length, long Micros)> ExchangeAsync(string token, string query, object? variables)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { query, variables });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/graphql-response+json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var length = 0;
        int read;
        do
        {
            if (length == _answer.Length)
            {
                Array.Resize(ref _answer, _answer.Length * 2);
            }

            read = await stream.ReadAsync(_answer.AsMemory(length));
            length += read;
        }
        while (read > 0);

        var micros = Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        if (!response.IsSuccessStatusCode || !HasDataWithoutErrors(_answer.AsSpan(0, length)))
        {
            var text = Encoding.UTF8.GetString(_answer, 0, length);
            throw new InvalidOperationException($"GraphQL request failed: HTTP {(int)response.StatusCode} {(text.Length > 800 ? text[..800] + "..." : text)}\nquery: {query}");
        }

        return (length, micros);
    }

    // Reads the whole answer (so malformed JSON throws) and looks at its top-level members only.
    private static bool HasDataWithoutErrors(ReadOnlySpan<byte> answer)
    {
        var reader = new Utf8JsonReader(answer);
        bool data = false, errors = false;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                data |= reader.ValueTextEquals("data"u8);
                errors |= reader.ValueTextEquals("errors"u8);
            }
        }

        return data && !errors;
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
