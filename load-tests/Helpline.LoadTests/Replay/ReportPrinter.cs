using System.Globalization;
using Spectre.Console;

namespace Helpline.LoadTests.Replay;

/// <summary>Prints a <see cref="ReplayReport"/> as a table.</summary>
public static class ReportPrinter
{
    public static void Print(IAnsiConsole console, ReplayReport r)
    {
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().Title($"replay {Markup.Escape(r.Format)} → {Markup.Escape(r.Source)} ({Markup.Escape(r.SourceName)}, {Markup.Escape(r.TimeZone)}){(r.DryRun ? " — dry run" : "")}");
        table.AddColumn("");
        table.AddColumn(new TableColumn("").RightAligned());
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        void Section(string name) => table.AddRow($"[bold]{Markup.Escape(name)}[/]", "");
        static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        Section("rows");
        Row("read", N(r.Read));
        Row("accepted from the file", N(r.Accepted));
        Row("imported", N(r.Imported));
        Row("already present", N(r.AlreadyPresent));
        Row("rejected", $"{N(r.Rejected)} ({N(r.RejectedInFile)} in the file, {N(r.RejectedByServer)} by the server)");
        foreach (var (reason, count) in r.RejectedByReason)
        {
            Row($"  {reason}", N(count));
        }

        Row("failed (not sent or no answer)", N(r.Failed));
        foreach (var (reason, count) in r.FailedByReason)
        {
            Row($"  {reason}", N(count));
        }

        Section($"verdicts (as of {r.VerdictsAsOf:yyyy-MM-dd HH:mm}Z)");
        Row("on time", N(r.OnTime));
        Row("overdue", N(r.Overdue));
        Row("open", N(r.Open));
        Row("no due date", N(r.NoDueDate));
        if (r.Agree is not null)
        {
            Row("agree with the source", N(r.Agree.Value));
            Row("disagree with the source", N(r.Disagree ?? 0));
        }

        if (r.Notes.Count > 0 || r.HeaderNotes.Count > 0 || r.DuplicateKeys is not null)
        {
            Section("notes");
            foreach (var (note, count) in r.Notes)
            {
                Row(note, N(count));
            }

            foreach (var note in r.HeaderNotes)
            {
                Row("header", note);
            }

            if (r.DuplicateKeys is { } duplicates)
            {
                Row("duplicate keys", N(duplicates));
                foreach (var (key, count) in r.DuplicateKeysByName ?? new Dictionary<string, long>())
                {
                    Row($"  {key}", N(count));
                }
            }
        }

        Section("speed");
        Row("elapsed", $"{r.ElapsedSeconds:0.0} s");
        Row("rows per second", r.RecordsPerSecond.ToString("N1", CultureInfo.InvariantCulture));
        if (r.LatencyMs is { } l)
        {
            Row("calls", N(l.Calls));
            Row("latency p50 / p90 / p99 / max", string.Create(CultureInfo.InvariantCulture, $"{l.P50:0.0} / {l.P90:0.0} / {l.P99:0.0} / {l.Max:0.0} ms"));
        }

        if (r.Interrupted)
        {
            Row("interrupted", "yes: partial report");
        }

        if (r.FatalError is not null)
        {
            Row("stopped by", r.FatalError);
        }

        console.Write(table);
    }
}
