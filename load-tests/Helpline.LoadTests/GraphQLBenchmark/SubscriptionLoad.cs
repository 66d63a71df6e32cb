using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HdrHistogram;
using Helpline.LoadTests.AccessBenchmark;

namespace Helpline.LoadTests.GraphQLBenchmark;

/// <summary>What the subscription part measured.</summary>
internal sealed record SubscriptionResult(
    int Subscribers, int Registered, long Expected, long Received, long Duplicates, long OtherEvents, long BeforeResponse,
    LongHistogram FromResponse, LongHistogram FromSent, LongHistogram MutationLatency, TimeSpan OpenTime, TimeSpan RegisterTime,
    double AchievedRate, IReadOnlyDictionary<string, long> Closed, double ProcessCores)
{
    public long Lost => Expected - (Received - Duplicates);
}

/// <summary>
/// N raw graphql-transport-ws clients (ClientWebSocket) in this process, each subscribed to every grievance event
/// (<c>grievanceEvents</c> without a filter, an administrator token), and a registration driver sending
/// <c>registerGrievance</c> at a steady rate over HTTP. Every message is stamped when its last frame is read and kept
/// raw until the end; a REGISTERED event of a grievance the driver registered is matched with that mutation's send and
/// response instants (the same <see cref="Stopwatch"/> clock).
/// </summary>
internal sealed class SubscriptionLoad(Uri host, HttpClient http, string adminToken, string agentAuthorization, ScopeTarget scope)
{
    private const string Subscription = "subscription { grievanceEvents { type referenceNumber sequence } }";

    private const string Register =
        "mutation Register($input: RegisterGrievanceInput!) { registerGrievance(input: $input) { referenceNumber } }";

    private readonly ConcurrentDictionary<string, (long Sent, long Answered)> _registered = new();

    public async Task<SubscriptionResult> RunAsync(int subscribers, int rate, TimeSpan duration, Action<string> log)
    {
        var open = Stopwatch.StartNew();
        var clients = new Subscriber[subscribers];
        await Parallel.ForEachAsync(Enumerable.Range(0, subscribers), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            clients[i] = await Subscriber.OpenAsync(host, adminToken, Subscription, ct));
        open.Stop();
        log($"{subscribers:N0} subscriptions open and acknowledged (ping/pong after subscribe) in {open.Elapsed.TotalSeconds:0.0} s");

        using var stop = new CancellationTokenSource();
        var readers = clients.Select(c => Task.Run(() => c.ReadAsync(stop.Token))).ToArray();

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var mutationLatency = NewHistogram();
        var run = Guid.NewGuid().ToString("N")[..8];
        var count = (int)(rate * duration.TotalSeconds);
        var sends = new List<Task>(count);
        var clock = Stopwatch.StartNew();
        var failures = 0;
        string? firstFailure = null;
        for (var i = 0; i < count; i++)
        {
            // A steady schedule: each registration at its own instant, whether or not the earlier ones answered.
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var n = i;
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    var sent = Stopwatch.GetTimestamp();
                    var reference = await RegisterAsync($"gb-{run}-{n:D6}", n);
                    var answered = Stopwatch.GetTimestamp();
                    _registered[reference] = (sent, answered);
                    lock (mutationLatency)
                    {
                        mutationLatency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(sent, answered).TotalMicroseconds));
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, ex.Message, null);
                }
            }));
        }

        await Task.WhenAll(sends);
        var registerTime = clock.Elapsed;
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} of {count} registrations failed; the first: {firstFailure}");
        }

        log($"{count:N0} grievances registered in {registerTime.TotalSeconds:0.0} s ({count / registerTime.TotalSeconds:0.0}/s); waiting for the last deliveries");

        // Deliveries still on their way: wait until every subscriber has every event, at most 30 s.
        var expected = (long)count * subscribers;
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30) && clients.Sum(c => (long)c.RegisteredCount) < expected && clients.Any(c => c.Open))
        {
            await Task.Delay(100);
        }

        var window = clock.Elapsed;
        process.Refresh();
        var cores = (process.TotalProcessorTime - cpuBefore) / window;
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        foreach (var c in clients)
        {
            c.Parse();
        }

        var fromResponse = NewHistogram();
        var fromSent = NewHistogram();
        long received = 0, duplicates = 0, other = 0, before = 0;
        foreach (var c in clients)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (reference, type, at) in c.Events)
            {
                if (type != "REGISTERED" || !_registered.TryGetValue(reference, out var r))
                {
                    other++;
                    continue;
                }

                received++;
                if (!seen.Add(reference))
                {
                    duplicates++;
                    continue;
                }

                var afterResponse = Stopwatch.GetElapsedTime(r.Answered, at).TotalMicroseconds;
                if (afterResponse < 0)
                {
                    before++;
                }

                fromResponse.RecordValue(Math.Max(1, (long)afterResponse));
                fromSent.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(r.Sent, at).TotalMicroseconds));
            }
        }

        var closed = clients.GroupBy(c => c.Ending).ToDictionary(g => g.Key, g => (long)g.Count());
        await Task.WhenAll(clients.Select(c => c.CloseAsync()));
        return new SubscriptionResult(subscribers, count, expected, received, duplicates, other, before, fromResponse, fromSent, mutationLatency,
            open.Elapsed, registerTime, count / registerTime.TotalSeconds, closed, cores);
    }

    private async Task<string> RegisterAsync(string clientRequestId, int i)
    {
        var body = JsonSerializer.Serialize(new
        {
            query = Register,
            variables = new
            {
                input = new
                {
                    clientRequestId,
                    kind = "COMPLAINT",
                    channel = "PHONE",
                    agentId = "graphql-bench-agent",
                    complainant = new { name = "GraphQL Bench Caller", mobile = "94160" + (i % 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture) },
                    jurisdictionId = scope.BlockId,
                    categoryId = scope.CategoryId,
                    description = "GraphQL benchmark grievance " + clientRequestId,
                },
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host, "/graphql")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(agentAuthorization);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (JsonNode.Parse(text)?["data"]?["registerGrievance"]?["referenceNumber"])?.GetValue<string>()
            ?? throw new InvalidOperationException($"registerGrievance {clientRequestId} failed: HTTP {(int)response.StatusCode} {LookupLoad.Cut(text)}");
    }

    private static LongHistogram NewHistogram() => new(TimeSpan.FromMinutes(1).Ticks / 10, 3);

    /// <summary>One WebSocket, one subscription; the events it read with their arrival instants.</summary>
    private sealed class Subscriber(ClientWebSocket socket)
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
        private static readonly byte[] RegisteredType = "\"REGISTERED\""u8.ToArray();
        private readonly List<(byte[] Json, long At)> _raw = [];
        private readonly List<(string Reference, string Type, long At)> _events = [];
        private int _registered;

        public IReadOnlyList<(string Reference, string Type, long At)> Events => _events;

        public string Ending { get; private set; } = "open to the end";

        public bool Open => socket.State == WebSocketState.Open;

        public static async Task<Subscriber> OpenAsync(Uri host, string token, string subscription, CancellationToken ct)
        {
            var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol("graphql-transport-ws");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Patience);
            await socket.ConnectAsync(new UriBuilder(host) { Scheme = "ws", Path = "/graphql" }.Uri, timeout.Token);
            var s = new Subscriber(socket);
            await s.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + token } }, timeout.Token);
            await s.ExpectAsync("connection_ack", timeout.Token);
            await s.SendAsync(new { id = "1", type = "subscribe", payload = new { query = subscription } }, timeout.Token);

            // The server handles a connection's messages in order: after the pong, the subscription is listening.
            await s.SendAsync(new { type = "ping" }, timeout.Token);
            await s.ExpectAsync("pong", timeout.Token);
            return s;
        }

        /// <summary>How many of the driver's REGISTERED events this subscriber has read so far (a racy count, for waiting).</summary>
        public int RegisteredCount => Volatile.Read(ref _registered);

        public async Task ReadAsync(CancellationToken stop)
        {
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            try
            {
                while (true)
                {
                    var r = await socket.ReceiveAsync(buffer, stop);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        Ending = $"closed by the server {(int?)socket.CloseStatus} {socket.CloseStatusDescription}";
                        return;
                    }

                    message.Write(buffer, 0, r.Count);
                    if (!r.EndOfMessage)
                    {
                        continue;
                    }

                    var at = Stopwatch.GetTimestamp();
                    Read(message.GetBuffer().AsSpan(0, (int)message.Length), at);
                    message.SetLength(0);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (WebSocketException ex)
            {
                Ending = "broken: " + ex.WebSocketErrorCode;
            }
        }

        // Kept raw and parsed after the run: parsing 1,000 copies of every event while they arrive would take the
        // cores the server needs, and a continuation waiting for a core adds to the latency measured.
        private void Read(ReadOnlySpan<byte> json, long at)
        {
            _raw.Add((json.ToArray(), at));
            if (json.IndexOf(RegisteredType) >= 0)
            {
                Interlocked.Increment(ref _registered);
            }
        }

        /// <summary>Parses what was kept: the events read, and how the operation ended if the server ended it.</summary>
        public void Parse()
        {
            foreach (var (bytes, at) in _raw)
            {
                var node = JsonNode.Parse(bytes);
                var type = node?["type"]?.GetValue<string>();
                if (type is "error" or "complete")
                {
                    Ending = "operation ended: " + node!.ToJsonString();
                }

                if (type != "next")
                {
                    continue;
                }

                var e = node!["payload"]?["data"]?["grievanceEvents"];
                _events.Add((e?["referenceNumber"]?.GetValue<string>() ?? "?", e?["type"]?.GetValue<string>() ?? "?", at));
            }

            _raw.Clear();
        }

        public async Task CloseAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                if (socket.State == WebSocketState.Open)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }

            socket.Dispose();
        }

        private Task SendAsync(object message, CancellationToken ct) =>
            socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, ct);

        private async Task ExpectAsync(string type, CancellationToken ct)
        {
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException($"The server closed a subscriber's connection ({(int?)socket.CloseStatus} {socket.CloseStatusDescription}) before '{type}'.");
                }

                message.Write(buffer, 0, r.Count);
                if (r.EndOfMessage)
                {
                    var got = JsonNode.Parse(message.ToArray())?["type"]?.GetValue<string>();
                    if (got == type)
                    {
                        return;
                    }

                    if (got is "error" or "complete")
                    {
                        throw new InvalidOperationException($"A subscriber got '{got}' before '{type}': {Encoding.UTF8.GetString(message.ToArray())}");
                    }

                    message.SetLength(0);
                }
            }
        }
    }
}
