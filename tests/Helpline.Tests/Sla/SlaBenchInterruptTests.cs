using System.Diagnostics;
using System.Text.RegularExpressions;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Sla;

/// <summary>
/// <c>sla-bench</c> interrupted while a process it started runs (the loaded phase's process, or the service process of
/// the kill -9 part): it stops that process and drops its database before exiting with 130, instead of leaving both
/// behind or carrying on.
/// </summary>
public sealed partial class SlaBenchInterruptTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Theory]
    [InlineData("breach: registered", false)]
    [InlineData("kill -9: starting the service process", true)]
    public async Task An_interrupted_run_stops_what_it_started_and_drops_its_database(string interruptAfter, bool killNine)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var args = new List<string>
        {
            typeof(SlaBenchCommand).Assembly.Location, "sla-bench", "--open", "1000", "--burst", "20", "--one-officer", "0",
            "--trickle-seconds", killNine ? "5" : "600", "--gc", "workstation", "--db", TestDatabase.AdminConnectionString,
        };
        if (!killNine)
        {
            args.Add("--no-kill9");
        }

        args.ForEach(start.ArgumentList.Add);
        using var bench = Process.Start(start)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        bench.ErrorDataReceived += (_, e) => lines.Enqueue(e.Data ?? "");
        bench.OutputDataReceived += (_, _) => { };
        bench.BeginErrorReadLine();
        bench.BeginOutputReadLine();
        try
        {
            // Longer than Wait's bound: before either moment the bench migrates a database and runs a baseline process.
            var watch = Stopwatch.StartNew();
            while (!lines.Any(l => l.Contains(interruptAfter, StringComparison.Ordinal)))
            {
                Assert.False(bench.HasExited, $"sla-bench ended before '{interruptAfter}': " + string.Join("\n", lines));
                Assert.True(watch.Elapsed < Patience, $"no '{interruptAfter}' in time: " + string.Join("\n", lines));
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            var database = lines.Select(l => DatabaseCreated().Match(l)).First(m => m.Success).Groups[1].Value;
            while (Started(database).Count == 0)
            {
                Assert.True(watch.Elapsed < Patience, "no process of the database started: " + string.Join("\n", lines));
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            using (var kill = Process.Start("kill", ["-TERM", bench.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            await bench.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);

            Assert.Equal(130, bench.ExitCode);
            Assert.Contains(lines, l => l.EndsWith($"database {database} dropped", StringComparison.Ordinal));
            Assert.Empty(Started(database));
            await using var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString);
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await using var cmd = new NpgsqlCommand("select count(*) from pg_database where datname = $1", admin) { Parameters = { new() { Value = database } } };
            Assert.Equal(0L, await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            if (!bench.HasExited)
            {
                bench.Kill(entireProcessTree: true);
            }
        }
    }

    // The processes the bench started for the database (not PostgreSQL's backends, whose titles name it too): a phase
    // process has its connection string on the command line, the service process in its environment.
    private static List<int> Started(string database) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Dir: d))
            .Where(p => p.Pid > 0 && p.Pid != Environment.ProcessId && Names(p.Dir, "cmdline", "Helpline.")
                && (Names(p.Dir, "cmdline", database) || Names(p.Dir, "environ", database)))
            .Select(p => p.Pid)];

    private static bool Names(string procDir, string file, string text)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDir, file)).Contains(text, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"database (sla_bench_[0-9a-f]+) created")]
    private static partial Regex DatabaseCreated();
}
