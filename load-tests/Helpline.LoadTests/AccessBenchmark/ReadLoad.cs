using System.Diagnostics;
using System.Net;
using System.Text;
using HdrHistogram;

namespace Helpline.LoadTests.AccessBenchmark;

/// <summary>What a round measures.</summary>
internal enum Variant
{
    /// <summary>A partner token in the Authorization header: identity, role and scope checked.</summary>
    Checked,

    /// <summary>The benchmark's bypass header: no token read, no role rule, an unlimited auditor.</summary>
    Bypassed,
}

/// <summary>
/// One round: requests completed, failures, wall time, CPU time of this process (host and clients), and the CPU that
/// other processes used meanwhile (PostgreSQL, and whatever else runs on the machine), in cores.
/// </summary>
internal sealed record RoundResult(Variant Variant, int Index, long Requests, long Failures, TimeSpan Elapsed, TimeSpan Cpu, double OtherCores)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double CpuMicrosPerRequest => Requests == 0 ? 0 : Cpu.TotalMicroseconds / Requests;
}

/// <summary>
/// A fixed number of clients, each sending <c>grievance(referenceNumber)</c> one request after another (closed loop)
/// over keep-alive HTTP/1.1 connections, cycling through the seeded grievances. A request counts when it answers 200
/// with the grievance and no error; anything else is a failure (and the first one is kept to show).
/// </summary>
internal sealed class ReadLoad(HttpClient http, IReadOnlyList<SeededGrievance> grievances, int clients)
{
    private static readonly byte[] ErrorsKey = "\"errors\""u8.ToArray();

    // Of /proc/stat's cpu line: user, nice, system, irq, softirq, steal (not idle, not iowait).
    private static readonly int[] BusyFields = [1, 2, 3, 6, 7, 8];

    private readonly byte[][] _references = [.. grievances.Select(g => Encoding.UTF8.GetBytes("\"" + g.ReferenceNumber + "\""))];
    private int _offset;

    /// <summary>Latency in microseconds of every measured request, per variant.</summary>
    public Dictionary<Variant, LongHistogram> Latency { get; } = new()
    {
        [Variant.Checked] = NewHistogram(),
        [Variant.Bypassed] = NewHistogram(),
    };

    public string? FirstFailure { get; private set; }

    /// <summary>Runs every client for <paramref name="duration"/>; latencies go to <see cref="Latency"/> when <paramref name="measured"/>.</summary>
    public async Task<RoundResult> RunAsync(Variant variant, int index, TimeSpan duration, bool measured)
    {
        var histograms = Enumerable.Range(0, clients).Select(_ => NewHistogram()).ToArray();
        var counts = new (long Ok, long Failed)[clients];
        var offset = Interlocked.Add(ref _offset, 7919); // a new start each round, so no round owns the same grievances
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var machineBusy = MachineBusySeconds();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var histogram = histograms[c];
            for (var i = offset + c; clock.Elapsed < duration; i += clients)
            {
                var n = i % grievances.Count;
                var start = Stopwatch.GetTimestamp();
                var ok = await SendAsync(variant, n);
                histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds));
                counts[c] = ok ? (counts[c].Ok + 1, counts[c].Failed) : (counts[c].Ok, counts[c].Failed + 1);
            }
        })));
        var elapsed = clock.Elapsed;
        process.Refresh();
        var used = process.TotalProcessorTime - cpu;
        var others = (MachineBusySeconds() - machineBusy - used.TotalSeconds) / elapsed.TotalSeconds;
        if (measured)
        {
            foreach (var h in histograms)
            {
                Latency[variant].Add(h);
            }
        }

        return new RoundResult(variant, index, counts.Sum(x => x.Ok), counts.Sum(x => x.Failed), elapsed, used, Math.Max(0, others));
    }

    /// <summary>One request; true when it answered the grievance without an error.</summary>
    public async Task<bool> SendAsync(Variant variant, int n)
    {
        var (status, body) = await SendRawAsync(variant, grievances[n].Body, grievances[n].PartnerAuthorization);
        if (status == HttpStatusCode.OK && body.AsSpan().IndexOf(ErrorsKey) < 0 && body.AsSpan().IndexOf(_references[n]) >= 0)
        {
            return true;
        }

        FirstFailure ??= $"{variant} {grievances[n].ReferenceNumber}: HTTP {(int)status} {AccessBenchSeeder.Cut(Encoding.UTF8.GetString(body))}";
        return false;
    }

    /// <summary>Sends the benchmark's request with <paramref name="body"/>, as <paramref name="variant"/> does.</summary>
    public async Task<(HttpStatusCode Status, byte[] Body)> SendRawAsync(Variant variant, byte[] body, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/graphql-response+json");
        if (variant == Variant.Checked)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        else
        {
            request.Headers.TryAddWithoutValidation(AccessBenchHost.BypassHeader, "1");
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

    /// <summary>CPU seconds the whole machine has been busy (Linux /proc/stat; NaN elsewhere).</summary>
    private static double MachineBusySeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return double.NaN;
        }

        // cpu  user nice system idle iowait irq softirq steal ...: in USER_HZ, 100 a second on Linux.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var busy = BusyFields.Sum(i => long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture));
        return busy / 100.0;
    }

    private static LongHistogram NewHistogram() => new(TimeSpan.FromMinutes(1).Ticks / 10, 3);
}
