using System.Globalization;
using Helpline.LoadTests.SlaBenchmark;
using Spectre.Console;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>The report as tables: the run's figures with the issue's goals marked, then one row per fault.</summary>
internal static class FaultReportPrinter
{
    public static void Print(IAnsiConsole console, FaultBenchReport r)
    {
        var s = r.Settings;
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(
            $"Fault benchmark — {s.Silos} silos, {s.Rate}/s registrations, {s.Deadlines:N0} deadlines, {s.DurationSeconds} s, " +
            (s.KillIntervalSeconds > 0 ? $"kill -9 every {s.KillIntervalSeconds} s (restart after {s.RestartDelaySeconds} s), " : "no kills, ") +
            $"{s.PgRestarts} PostgreSQL restart(s){(s.PgDownSeconds > 0 ? $" of {s.PgDownSeconds} s" : "")}; " +
            $"{r.Cores} cores, load {r.LoadAverageAtStart} → {r.LoadAverageAtEnd}"));
        table.AddColumn("figure");
        table.AddColumn(new TableColumn("measured").RightAligned());
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));

        if (r.Registrations is { } g)
        {
            Row("registrations attempted / acknowledged", $"{N(g.Attempted)} / {N(g.Acknowledged)}");
            Row("  refused (input error) / gave up (of which stored)", $"{N(g.RefusedPermanently)} / {N(g.GaveUp)} ({N(g.GaveUpButStored)})");
            Row("  lost (acknowledged, not in the read model)", N(g.Lost));
            Row("  duplicates (one client request id, several rows)", N(g.Duplicates));
            Row("  acknowledged number differs from the stored one", N(g.AcknowledgedNumberDiffers));
            Row("  attempts / failed attempts", $"{N(g.Attempts)} / {N(g.FailedAttempts)}");
            Row("  failed attempts by code", g.FailuresByCode.Count == 0 ? "none" : string.Join(", ", g.FailuresByCode.Select(kv => $"{kv.Key} {kv.Value}")));
            Row("  error answers / of which the grievance was already stored", $"{N(g.ErrorAnswers)} / {N(g.ErrorAnswersForStoredGrievance)}");
            Row("  time to acknowledgement p50 / p99 / max", L(g.AckLatencyMs));
        }

        if (r.Deadlines is { } d)
        {
            Row("deadlines seeded / due by the check", $"{N(d.Seeded)} / {N(d.Due)}");
            Row("  breached and escalated exactly once", N(d.EscalatedOnce));
            Row("  missed: not breached / at the top at L1 / no row", $"{N(d.Missed)}: {N(d.NotBreached)} / {N(d.BreachedAtTopAtL1)} / {N(d.NoRow)}");
            Row("  doubled", N(d.Doubled));
            Row($"  lateness in kill windows ({d.InsideKillWindows.Count} breached, {d.NeverBreached[0]} never) p50 / p99 / max", L(d.InsideKillWindows));
            Row($"  lateness in PostgreSQL restarts ({d.InsidePgRestarts.Count} breached, {d.NeverBreached[1]} never) p50 / p99 / max", L(d.InsidePgRestarts));
            Row($"  lateness outside ({d.Outside.Count} breached, {d.NeverBreached[2]} never) p50 / p99 / max", L(d.Outside));
        }

        Row("settle after the run", $"{r.SettleSeconds:0.0} s");
        Row("PostgreSQL clock offset", $"{r.DbClockOffsetMs:0.00} ms");
        console.Write(table);

        if (r.Faults.Count > 0)
        {
            var faults = new Table().Border(TableBorder.Rounded).Title("Faults (seconds from the run's start)");
            foreach (var c in new[] { "at", "fault", "until healthy / up", "failed attempts", "refused for", "codes" })
            {
                faults.AddColumn(c);
            }

            foreach (var f in r.Faults)
            {
                faults.AddRow(
                    Markup.Escape($"{f.StartSeconds:0.0}"),
                    Markup.Escape(f.Silo is { } silo ? $"{f.Kind} silo {silo}" : f.Kind),
                    Markup.Escape(f.WindowSeconds is { } w ? $"{w:0.0} s" : f.Error ?? "never"),
                    Markup.Escape(N(f.FailedAttempts)),
                    Markup.Escape($"{f.RefusedSeconds:0.0} s"),
                    Markup.Escape(string.Join(", ", f.Codes.Select(kv => $"{kv.Key} {kv.Value}"))));
            }

            console.Write(faults);
        }

        if (r.Goals.Count > 0)
        {
            var goals = new Table().Border(TableBorder.Rounded).Title("Issue 10 goals");
            goals.AddColumn("goal");
            goals.AddColumn("target");
            goals.AddColumn(new TableColumn("measured").RightAligned());
            goals.AddColumn("");
            foreach (var x in r.Goals)
            {
                goals.AddRow(Markup.Escape(x.Name), Markup.Escape(x.Goal), Markup.Escape(x.Measured), x.Met switch
                {
                    true => "[green]met[/]",
                    false => "[red]missed[/]",
                    null => "n/a",
                });
            }

            console.Write(goals);
        }

        foreach (var line in (r.Deadlines?.MissedSample ?? []).Take(5).Select(x => "missed or doubled: " + x))
        {
            console.MarkupLine(Markup.Escape(line));
        }

        foreach (var line in r.UnexpectedExits.Select(x => "unexpected exit: " + x).Concat(r.Notes))
        {
            console.MarkupLine(Markup.Escape(line));
        }

        if (r.FatalError is { } error)
        {
            console.MarkupLine($"[red]stopped by an error:[/] {Markup.Escape(error)}");
        }
    }

    private static string N(int v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string L(LatencyMs l) => l.Count == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"{l.P50 / 1000:0.00} / {l.P99 / 1000:0.00} / {l.Max / 1000:0.00} s");
}
