using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Helpline.Tests.Replay;

/// <summary>
/// An in-process stand-in for the server's importGrievances mutation (an HttpMessageHandler: no sockets, no
/// database), so the runner can be tested without a server. It answers IMPORTED the first time it sees a
/// (source, sourceId), ALREADY_PRESENT after, and REJECTED for records <see cref="Reject"/> picks. It can answer the
/// first calls with a scripted failure, and records what it was sent.
/// </summary>
internal sealed class FakeImportServer : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> _script = new();
    private int _inFlight;

    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public ConcurrentQueue<string?> Authorizations { get; } = new();

    public ConcurrentQueue<JsonObject> Records { get; } = new();

    public ConcurrentQueue<string> Paths { get; } = new();

    public int MaxInFlight { get; private set; }

    public int Calls => BatchSizes.Count;

    /// <summary>Picks records to refuse: returns (errorCode, errorField) or null.</summary>
    public Func<JsonObject, (string Code, string Field)?> Reject { get; init; } = _ => null;

    /// <summary>Bodies over this many bytes get 413.</summary>
    public int MaxBodyBytes { get; init; } = int.MaxValue;

    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>Answers the next call with <paramref name="response"/> instead of handling it.</summary>
    public void Then(Func<HttpResponseMessage> response) => _script.Enqueue(response);

    public HttpClient Client() => new(this, disposeHandler: false) { BaseAddress = new Uri("http://helpline.test") };

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/graphql-response+json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        lock (_script)
        {
            MaxInFlight = Math.Max(MaxInFlight, now);
        }

        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            Paths.Enqueue(request.RequestUri!.AbsolutePath);
            Authorizations.Enqueue(request.Headers.Authorization?.ToString());
            var records = JsonNode.Parse(body)!["variables"]!["records"]!.AsArray();
            BatchSizes.Enqueue(records.Count);
            if (_script.TryDequeue(out var scripted))
            {
                return scripted();
            }

            if (body.Length > MaxBodyBytes)
            {
                return Json(HttpStatusCode.RequestEntityTooLarge, """{"errors":[{"message":"too large","extensions":{"code":"PAYLOAD_TOO_LARGE"}}]}""");
            }

            var results = new JsonArray();
            foreach (var node in records)
            {
                var record = node!.AsObject();
                Records.Enqueue(record);
                var id = record["sourceId"]!.GetValue<string>();
                var refused = Reject(record);
                if (refused is { } r)
                {
                    results.Add(new JsonObject { ["sourceId"] = id, ["outcome"] = "REJECTED", ["errorCode"] = r.Code, ["errorField"] = r.Field, ["errorMessage"] = "refused by the fake" });
                    continue;
                }

                var outcome = _known.TryAdd(record["source"]!.GetValue<string>() + "/" + id, 0) ? "IMPORTED" : "ALREADY_PRESENT";
                var closed = record["closedAt"] is not null;
                results.Add(new JsonObject
                {
                    ["sourceId"] = id,
                    ["outcome"] = outcome,
                    ["referenceNumber"] = "1500" + id[^Math.Min(8, id.Length)..],
                    ["status"] = closed ? "RESOLVED" : "OPEN",
                    ["breached"] = false,
                });
            }

            return Json(HttpStatusCode.OK, new JsonObject { ["data"] = new JsonObject { ["importGrievances"] = results } }.ToJsonString());
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The body the runner sent for a record, by source id (last one sent).</summary>
    public JsonObject Sent(string sourceId) => Records.Last(r => r["sourceId"]!.GetValue<string>() == sourceId);
}
