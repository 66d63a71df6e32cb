using System.Globalization;
using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>Turns what the run did (faults, attempts) and what the database holds into the report's figures.</summary>
internal static class FaultAnalysis
{
    public const string LatenessMethod =
        "recorded_at of the grievance's first Breached event in events.event_log (now() of the transaction that projects " +
        "the breach into the read model and the event log, after the grain stored it), minus the due instant, corrected " +
        "by PostgreSQL's clock offset; a deadline is inside a kill window when it fell due between the SIGKILL and the " +
        "restarted silo's first /health = 200, inside a PostgreSQL restart between pg_ctl's call and its return";

    public static List<FaultWindow> Windows(IReadOnlyList<FaultEvent> events, IReadOnlyList<FailedAttempt> failures, DateTimeOffset runStart, DateTimeOffset runEnd)
    {
        var ordered = events.OrderBy(e => e.Start).ToList();
        var windows = new List<FaultWindow>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var e = ordered[i];
            var until = i + 1 < ordered.Count ? ordered[i + 1].Start : runEnd;
            var mine = failures.Where(f => f.At >= e.Start && f.At < until).ToList();
            windows.Add(new FaultWindow(
                e.Kind,
                e.Silo,
                Seconds(e.Start - runStart),
                e.End is { } end ? Seconds(end - e.Start) : null,
                mine.Count,
                mine.Count == 0 ? 0 : Seconds(mine.Max(f => f.At) - e.Start),
                Count(mine.Select(f => f.Code)),
                e.Error));
        }

        return windows;
    }

    public static RegistrationFigures Registrations(
        IReadOnlyList<Registration> all, IReadOnlyList<FailedAttempt> failures, IReadOnlyDictionary<string, RegistrationRow> rows)
    {
        var acked = all.Where(r => r.ReferenceNumber is not null).ToList();
        var gaveUp = all.Where(r => r.ReferenceNumber is null && r.RefusedWith is null).ToList();
        RegistrationRow Row(Registration r) => rows.TryGetValue(r.ClientRequestId, out var row) ? row : new RegistrationRow(0, null, null);
        var answered = failures.Where(f => f.Responded).ToList();
        var answeredStored = answered.Count(f =>
            rows.TryGetValue(f.ClientRequestId, out var row) && row.RegisteredAt is { } registered && registered <= f.At);
        return new RegistrationFigures(
            all.Count,
            acked.Count,
            all.Count(r => r.RefusedWith is not null),
            gaveUp.Count,
            gaveUp.Count(r => Row(r).ReferenceNumber is not null),
            acked.Count(r => Row(r).ReferenceNumber is null),
            all.Count(r => Row(r).Rows > 1),
            acked.Count(r => Row(r).ReferenceNumber is { } stored && stored != r.ReferenceNumber),
            all.Sum(r => r.Attempts),
            failures.Count,
            Count(failures.Select(f => f.Code)),
            answered.Count,
            answeredStored,
            LatencyMs.From(acked.Select(r => r.AcknowledgedAt!.Value - r.ScheduledAt)));
    }

    public static DeadlineFigures Deadlines(
        IReadOnlyList<SeededDeadline> seeded, IReadOnlyDictionary<string, DeadlineRow> rows, IReadOnlyList<FaultEvent> faults, DateTimeOffset checkedAt, TimeSpan dbOffset)
    {
        var due = seeded.Where(d => d.DueAt < checkedAt).ToList();
        int notBreached = 0, atTop = 0, noRow = 0, missed = 0, doubled = 0, once = 0;
        var inside = new List<TimeSpan>();
        var insidePg = new List<TimeSpan>();
        var outside = new List<TimeSpan>();
        var unbreached = new int[3];
        var sample = new List<string>();
        foreach (var d in due)
        {
            var row = rows.GetValueOrDefault(d.ReferenceNumber);
            if (row is null || row.Level is null)
            {
                noRow++;
                missed++;
                unbreached[2]++;
                Sample($"{d.ReferenceNumber} due {d.DueAt:HH:mm:ss.fff}: no read-model row");
                continue;
            }

            if (row.Breaches != 1 || row.Escalations != 1 || row.TimelineBreaches > 1 || row.Level < 2)
            {
                Sample($"{d.ReferenceNumber} due {d.DueAt:HH:mm:ss.fff}: level {row.Level}, Breached {row.Breaches}, Escalated {row.Escalations}, BreachedAtTop {row.AtTop}, timeline Breached {row.TimelineBreaches}");
            }

            if (row.Breaches > 1 || row.Escalations > 1 || row.TimelineBreaches > 1)
            {
                doubled++;
            }

            if (row.Breaches == 0)
            {
                notBreached++;
                missed++;
            }
            else if (row.Escalations == 0 || row.Level < 2)
            {
                atTop += row.AtTop > 0 ? 1 : 0;
                missed++;
            }
            else if (row.Breaches == 1 && row.Escalations == 1)
            {
                once++;
            }

            var bucket = faults.Any(f => f.Kind == FaultEvent.Kill && f.Covers(d.DueAt)) ? inside
                : faults.Any(f => f.Kind == FaultEvent.PgRestart && f.Covers(d.DueAt)) ? insidePg
                : outside;
            if (row.FirstBreachRecorded is { } recorded)
            {
                bucket.Add(recorded - dbOffset - d.DueAt);
            }
            else
            {
                unbreached[bucket == inside ? 0 : bucket == insidePg ? 1 : 2]++;
            }
        }

        return new DeadlineFigures(
            seeded.Count, due.Count, once, missed, notBreached, atTop, noRow, doubled,
            LatencyMs.From(inside), LatencyMs.From(insidePg), LatencyMs.From(outside), unbreached, LatenessMethod, sample);

        void Sample(string line)
        {
            if (sample.Count < 20)
            {
                sample.Add(line);
            }
        }
    }

    public static IEnumerable<GoalResult> Goals(RegistrationFigures r, DeadlineFigures d)
    {
        yield return Zero("acknowledged registrations lost", r.Lost);
        yield return Zero("duplicates (one client request id, several grievances)", r.Duplicates);
        yield return Zero("missed escalations", d.Missed);
        yield return Zero("doubled escalations", d.Doubled);
        // A deadline never breached is later than any figure: the goal is missed whatever the breached ones show.
        var k = d.InsideKillWindows;
        var never = d.NeverBreached[0];
        var none = k.Count == 0 && never == 0;
        var tail = never == 0 ? "" : $", {never} never breached";
        yield return new GoalResult("lateness p99, deadlines due in kill windows", none ? null : never == 0 && k.P99 < 5000, "< 5 s", none ? "none due" : $"{S(k.P99)} ({k.Count} breached{tail})");
        yield return new GoalResult("lateness max, deadlines due in kill windows", none ? null : never == 0 && k.Max < 15000, "< 15 s", none ? "none due" : $"{S(k.Max)}{tail}");
    }

    private static GoalResult Zero(string name, int value) => new(name, value == 0, "0", value.ToString("N0", CultureInfo.InvariantCulture));

    private static string S(double ms) => (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 2);

    private static Dictionary<string, int> Count(IEnumerable<string> codes) =>
        codes.GroupBy(c => c, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
