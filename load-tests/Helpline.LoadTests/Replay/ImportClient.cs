using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Helpline.LoadTests.Replay;

/// <summary>One record's answer from <c>importGrievances</c>.</summary>
public sealed record ImportResult(
    string SourceId,
    string Outcome,
    string? ReferenceNumber,
    string? Status,
    bool? Breached,
    string? ErrorCode,
    string? ErrorField,
    string? ErrorMessage);

/// <summary>How a call ended.</summary>
public enum CallOutcome
{
    /// <summary>The server answered with one result per record.</summary>
    Answered,

    /// <summary>Worth retrying: network error, timeout, 5xx, 429, or an internal server error.</summary>
    Transient,

    /// <summary>The request body was too large (413): send the records in smaller calls.</summary>
    TooLarge,

    /// <summary>Retrying cannot help (no importing role, the server lacks the mutation, a broken answer): stop the run.</summary>
    Fatal,
}

/// <summary>The answer to one call: the results (when answered) or what went wrong; <see cref="Responded"/> is false when no HTTP answer came.</summary>
public sealed record CallResult(CallOutcome Outcome, IReadOnlyList<ImportResult>? Results, string? Error, TimeSpan? RetryAfter = null, bool Responded = true);

/// <summary>
/// Sends records to the server's <c>importGrievances</c> mutation (GraphQL over HTTP: POST to <c>graphql</c> relative to
/// the HttpClient's BaseAddress, JSON body, <c>Authorization: Bearer &lt;token&gt;</c> on each request).
/// </summary>
public sealed class ImportClient(HttpClient http, string token, string endpoint = "graphql")
{
    /// <summary>The operation sent (one call per batch; results come back in input order).</summary>
    public const string Mutation =
        "mutation ImportGrievances($records: [ImportGrievanceInput!]!) { importGrievances(records: $records) " +
        "{ sourceId outcome referenceNumber status breached errorCode errorField errorMessage } }";

    private static readonly string[] TransientCodes = ["OUTCOME_UNKNOWN", "INTERNAL_SERVER_ERROR", "TIMEOUT", "SERVICE_UNAVAILABLE"];
    private static readonly string[] AuthCodes =
    [
        "FORBIDDEN", "UNAUTHORIZED", "UNAUTHENTICATED", "ACCESS_DENIED", "AUTHENTICATION_REQUIRED", "TOKEN_MALFORMED", "TOKEN_EXPIRED",
        "TOKEN_UNKNOWN_KEY", "TOKEN_INVALID", "TOKEN_REVOKED",
    ];

    /// <summary>Sends one batch. Never throws for what the server or the network does; cancellation does throw.</summary>
    public async Task<CallResult> SendAsync(IReadOnlyList<ReplayRecord> records, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(Body(records));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        request.Headers.Accept.ParseAdd("application/json;q=0.9");
        if (token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return new CallResult(CallOutcome.Transient, null, $"network error: {ex.Message}", Responded: false);
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                return new CallResult(CallOutcome.Transient, null, $"network error reading the answer: {ex.Message}", Responded: false);
            }

            return Classify(response.StatusCode, response.Headers.RetryAfter?.Delta, body, records);
        }
    }

    /// <summary>The JSON body for <paramref name="records"/>.</summary>
    public static byte[] Body(IReadOnlyList<ReplayRecord> records)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("query", Mutation);
            json.WriteString("operationName", "ImportGrievances");
            json.WriteStartObject("variables");
            json.WriteStartArray("records");
            foreach (var r in records)
            {
                json.WriteStartObject();
                json.WriteString("source", r.Source);
                json.WriteString("sourceName", r.SourceName);
                json.WriteString("timeZone", r.TimeZone);
                json.WriteString("sourceId", r.SourceId);
                json.WriteString("department", r.Department);
                json.WriteString("category", r.Category);
                json.WriteString("area", r.Area);
                json.WriteString("description", r.Description);
                json.WriteString("registeredAt", Instant(r.RegisteredAt));
                json.WriteString("dueAt", r.DueAt is { } due ? Instant(due) : null);
                json.WriteString("closedAt", r.ClosedAt is { } closed ? Instant(closed) : null);
                json.WriteString("closure", r.Closure);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>An instant as ISO 8601 UTC with offset Z, e.g. 2015-01-01T18:09:57Z.</summary>
    public static string Instant(DateTimeOffset value) => SourceTime.Format(value);

    private static CallResult Classify(HttpStatusCode status, TimeSpan? retryAfter, string body, IReadOnlyList<ReplayRecord> records)
    {
        var code = (int)status;
        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            return new CallResult(CallOutcome.TooLarge, null, "HTTP 413: request body too large");
        }

        var transientStatus = code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            var what = $"HTTP {code} with a body that is not JSON: {Shorten(body)}";
            return new CallResult(transientStatus ? CallOutcome.Transient : CallOutcome.Fatal, null, what, retryAfter);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("importGrievances", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var results = list.EnumerateArray().Select(Result).ToList();
                if (results.Count != records.Count)
                {
                    return new CallResult(CallOutcome.Fatal, null, $"the server answered {results.Count} results for {records.Count} records");
                }

                for (var i = 0; i < results.Count; i++)
                {
                    if (results[i].SourceId != records[i].SourceId)
                    {
                        return new CallResult(CallOutcome.Fatal, null, $"result {i} is for source id {results[i].SourceId}, not {records[i].SourceId}");
                    }
                }

                return new CallResult(CallOutcome.Answered, results, null);
            }

            var errors = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array
                ? e.EnumerateArray().Select(ErrorText).ToList()
                : [];
            var codes = errors.Select(x => x.Code).Where(c => c is not null).ToList();
            var message = $"HTTP {code}: " + (errors.Count > 0 ? string.Join("; ", errors.Select(x => x.Text)) : Shorten(body));
            if (codes.Any(c => AuthCodes.Contains(c)) || status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return new CallResult(CallOutcome.Fatal, null, message + " (check --token or HELPLINE_TOKEN: a token with role importer, signed by a key the service trusts)");
            }

            var transient = transientStatus || codes.Any(c => TransientCodes.Contains(c));
            return new CallResult(transient ? CallOutcome.Transient : CallOutcome.Fatal, null, message, retryAfter);
        }
    }

    private static ImportResult Result(JsonElement e) => new(
        Str(e, "sourceId") ?? "",
        Str(e, "outcome") ?? "",
        Str(e, "referenceNumber"),
        Str(e, "status"),
        e.TryGetProperty("breached", out var b) && b.ValueKind is JsonValueKind.True or JsonValueKind.False ? b.GetBoolean() : null,
        Str(e, "errorCode"),
        Str(e, "errorField"),
        Str(e, "errorMessage"));

    private static (string? Code, string Text) ErrorText(JsonElement error)
    {
        var message = Str(error, "message") ?? "(no message)";
        var code = error.TryGetProperty("extensions", out var ext) && ext.ValueKind == JsonValueKind.Object ? Str(ext, "code") : null;
        return (code, code is null ? message : $"{code}: {message}");
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
