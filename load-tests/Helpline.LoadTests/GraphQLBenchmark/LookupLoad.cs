using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using Helpline.LoadTests.AccessBenchmark;

namespace Helpline.LoadTests.GraphQLBenchmark;

/// <summary>Which server a lookup phase asks.</summary>
internal enum Lookup
{
    /// <summary><c>grievance(referenceNumber)</c> with its timeline over GraphQL, a partner token, the real host.</summary>
    GraphQL,

    /// <summary>The plain minimal-API JSON endpoint over the same tables.</summary>
    Plain,

    /// <summary>Diagnostic: <c>{ __typename }</c> over GraphQL with the same token, what the pipeline costs without the grievance.</summary>
    Typename,
}

/// <summary>One phase: requests answered right, failures, wall time, this process's CPU time.</summary>
internal sealed record LookupPhase(Lookup Server, int Index, long Requests, long Failures, TimeSpan Elapsed, TimeSpan Cpu)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}

/// <summary>
/// A fixed number of clients, each sending one request after another (closed loop) over keep-alive HTTP/1.1, each
/// request for a reference number drawn at random among the registered ones. The same client code for both servers;
/// only the request differs. A request counts when it answers 200 without errors, naming the grievance asked for,
/// with a timeline; anything else is a failure (the first is kept to show).
/// </summary>
internal sealed class LookupLoad(HttpClient http, Uri graphql, Uri plain, IReadOnlyList<SeededGrievance> grievances, int clients)
{
    public const string Query =
        "query Read($ref: String!) { grievance(referenceNumber: $ref) { referenceNumber status department { id } jurisdiction { id } " +
        "level dueAt timeline { sequence type at } } }";

    private static readonly byte[] ErrorsKey = "\"errors\""u8.ToArray();
    private static readonly byte[] TimelineKey = "\"timeline\":[{"u8.ToArray();
    private static readonly byte[] TypenameBody = """{"query":"{ __typename }"}"""u8.ToArray();
    private static readonly byte[] TypenameAnswer = "\"Query\""u8.ToArray();

    private readonly string[] _references = [.. grievances.Select(g => g.ReferenceNumber)];
    private readonly byte[][] _bodies = [.. grievances.Select(g => g.ReferenceNumber).Select(r => JsonSerializer.SerializeToUtf8Bytes(new { query = Query, variables = new { @ref = r } }))];
    private readonly byte[][] _quoted = [.. grievances.Select(g => g.ReferenceNumber).Select(r => Encoding.UTF8.GetBytes("\"" + r + "\""))];
    private readonly Uri[] _plainUris = [.. grievances.Select(g => g.ReferenceNumber).Select(r => new Uri(plain, "/grievances/" + Uri.EscapeDataString(r)))];

    public Dictionary<Lookup, LongHistogram> Latency { get; } = new()
    {
        [Lookup.GraphQL] = NewHistogram(),
        [Lookup.Plain] = NewHistogram(),
        [Lookup.Typename] = NewHistogram(),
    };

    public string? FirstFailure { get; private set; }

    public async Task<LookupPhase> RunAsync(Lookup server, int index, TimeSpan duration, bool measured)
    {
        var histograms = Enumerable.Range(0, clients).Select(_ => NewHistogram()).ToArray();
        var counts = new (long Ok, long Failed)[clients];
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var histogram = histograms[c];
            while (clock.Elapsed < duration)
            {
                var n = Random.Shared.Next(_references.Length);
                var start = Stopwatch.GetTimestamp();
                var ok = await SendAsync(server, n);
                histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds));
                counts[c] = ok ? (counts[c].Ok + 1, counts[c].Failed) : (counts[c].Ok, counts[c].Failed + 1);
            }
        })));
        var elapsed = clock.Elapsed;
        process.Refresh();
        if (measured)
        {
            foreach (var h in histograms)
            {
                Latency[server].Add(h);
            }
        }

        return new LookupPhase(server, index, counts.Sum(x => x.Ok), counts.Sum(x => x.Failed), elapsed, process.TotalProcessorTime - cpu);
    }

    /// <summary>One request for grievance number <paramref name="n"/>; true when it answered right.</summary>
    public async Task<bool> SendAsync(Lookup server, int n)
    {
        var (status, body) = await SendRawAsync(server, n);
        var span = body.AsSpan();
        var right = server == Lookup.Typename
            ? span.IndexOf(TypenameAnswer) >= 0
            : span.IndexOf(_quoted[n]) >= 0 && span.IndexOf(TimelineKey) >= 0;
        if (status == HttpStatusCode.OK && span.IndexOf(ErrorsKey) < 0 && right)
        {
            return true;
        }

        FirstFailure ??= $"{server} {_references[n]}: HTTP {(int)status} {Cut(Encoding.UTF8.GetString(body))}";
        return false;
    }

    public async Task<(HttpStatusCode Status, byte[] Body)> SendRawAsync(Lookup server, int n)
    {
        using var request = server switch
        {
            Lookup.GraphQL => new HttpRequestMessage(HttpMethod.Post, graphql) { Content = new ByteArrayContent(_bodies[n]) },
            Lookup.Typename => new HttpRequestMessage(HttpMethod.Post, graphql) { Content = new ByteArrayContent(TypenameBody) },
            _ => new HttpRequestMessage(HttpMethod.Get, _plainUris[n]),
        };
        if (server != Lookup.Plain)
        {
            request.Content!.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            request.Headers.TryAddWithoutValidation("Accept", "application/graphql-response+json");
            request.Headers.TryAddWithoutValidation("Authorization", grievances[n].PartnerAuthorization);
        }
        else
        {
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (0, Encoding.UTF8.GetBytes(ex.Message));
        }
    }

    internal static string Cut(string text) => text.Length <= 600 ? text : text[..600] + "...";

    private static LongHistogram NewHistogram() => new(TimeSpan.FromMinutes(1).Ticks / 10, 3);
}
