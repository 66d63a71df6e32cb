using Helpline.LoadTests.Replay;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>A seeded live deadline: the imported record's reference number and its due instant (exactly as sent).</summary>
internal sealed record SeededDeadline(string SourceId, string ReferenceNumber, DateTimeOffset DueAt);

/// <summary>
/// Live deadlines through the real import path (<c>importGrievances</c> with the importer token): open records of an
/// imported city, each in an area, with the source's due date during the run. Such a record is held at L1 by the
/// department's area officer; at its due instant it is breached and escalated to the department's head at the city
/// (L2, 7 days more). Departments × areas give <see cref="Seats"/> area officers, so the deadlines are spread over
/// that many officer grains (and so over the silos).
/// </summary>
internal sealed class DeadlineSeeder(Action<string> log)
{
    public const string Source = "faultbench";
    private const string SourceName = "Fault Bench City";
    private const int Departments = 8;
    private const int Areas = 25;
    private const int Batch = 100;

    public static int Seats => Departments * Areas;

    /// <summary>
    /// Creates the city's world (departments, areas, seats) with one closed record per seat, no due date: nothing
    /// to track. Run it on one silo before the others start, so every silo loads the world from the database.
    /// </summary>
    public async Task CreateWorldAsync(HttpClient silo, string token)
    {
        var registered = DateTimeOffset.UtcNow.AddDays(-2);
        var records = new List<ReplayRecord>();
        for (var d = 0; d < Departments; d++)
        {
            for (var a = 0; a < Areas; a++)
            {
                records.Add(Record($"world-{d:D2}-{a:D2}", d, a, registered, null, registered.AddHours(1)));
            }
        }

        var results = await SendAsync(new ImportClient(silo, token), records);
        log($"seed: the imported city's world: {results.Count(r => r.Outcome is "IMPORTED" or "ALREADY_PRESENT")} of {records.Count} seats' records in");
    }

    /// <summary>Imports <paramref name="count"/> open records due uniformly over [<paramref name="from"/>, <paramref name="to"/>), round-robin over the silos.</summary>
    public async Task<IReadOnlyList<SeededDeadline>> SeedAsync(IReadOnlyList<HttpClient> silos, string token, int count, DateTimeOffset from, DateTimeOffset to)
    {
        var registered = DateTimeOffset.UtcNow.AddHours(-1);
        var step = count == 0 ? 0 : (to - from).Ticks / count;
        var records = Enumerable.Range(0, count)
            .Select(i => Record($"live-{i:D6}", i % Departments, i / Departments % Areas, registered, from.AddTicks(i * step), null))
            .ToList();
        var due = records.ToDictionary(r => r.SourceId, r => r.DueAt!.Value);
        var seeded = new List<SeededDeadline>(count);
        var rejected = new Dictionary<string, int>();
        var batches = records.Chunk(Batch).Select((batch, b) => (batch, b)).ToList();
        var answers = new IReadOnlyList<ImportResult>[batches.Count];
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (x, _) =>
            answers[x.b] = await SendAsync(new ImportClient(silos[x.b % silos.Count], token), x.batch));
        foreach (var results in answers)
        {
            foreach (var r in results)
            {
                if (r.Outcome is "IMPORTED" or "ALREADY_PRESENT" && r.ReferenceNumber is { } reference)
                {
                    seeded.Add(new SeededDeadline(r.SourceId, reference, due[r.SourceId]));
                }
                else
                {
                    var reason = r.ErrorCode ?? r.Outcome;
                    rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
                }
            }
        }

        log($"seed: {seeded.Count:N0} live deadlines due {from:HH:mm:ss}–{to:HH:mm:ss} UTC" +
            (rejected.Count == 0 ? "" : $"; not imported: {string.Join(", ", rejected.Select(kv => $"{kv.Key} {kv.Value}"))}"));
        return seeded;
    }

    private static ReplayRecord Record(string sourceId, int department, int area, DateTimeOffset registered, DateTimeOffset? dueAt, DateTimeOffset? closedAt) => new(
        Source,
        SourceName,
        "UTC",
        sourceId,
        $"Department {department + 1:D2}",
        $"Case type {department + 1:D2}",
        $"Area {area + 1:D2}",
        $"Fault bench record {sourceId}",
        registered,
        dueAt,
        closedAt,
        closedAt is null ? null : "Closed before the run.");

    // Seeding happens before any fault: a failure here is worth a few retries, then it stops the run.
    private async Task<IReadOnlyList<ImportResult>> SendAsync(ImportClient client, IReadOnlyList<ReplayRecord> records)
    {
        for (var attempt = 1; ; attempt++)
        {
            var call = await client.SendAsync(records, CancellationToken.None);
            if (call.Outcome == CallOutcome.Answered)
            {
                return call.Results!;
            }

            if (call.Outcome != CallOutcome.Transient || attempt >= 5)
            {
                throw new InvalidOperationException($"importGrievances failed: {call.Error}");
            }

            log($"seed: import call failed ({call.Error}); retrying");
            await Task.Delay(TimeSpan.FromSeconds(attempt));
        }
    }
}
