using System.Diagnostics;
using System.Text.RegularExpressions;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Sla;

/// <summary>
/// <c>sla-bench</c> interrupted while its phase process runs: it stops that process and drops its database before
/// exiting with 130, instead of leaving both behind.
/// </summary>
public sealed partial class SlaBenchInterruptTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task An_interrupted_run_stops_its_phase_process_and_drops_its_database()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            typeof(SlaBenchCommand).Assembly.Location, "sla-bench", "--open", "1000", "--burst", "20", "--one-officer", "0",
            "--trickle-seconds", "600", "--no-kill9", "--gc", "workstation", "--db", TestDatabase.AdminConnectionString,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var bench = Process.Start(start)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        bench.ErrorDataReceived += (_, e) => lines.Enqueue(e.Data ?? "");
        bench.OutputDataReceived += (_, _) => { };
        bench.BeginErrorReadLine();
        bench.BeginOutputReadLine();
        try
        {
            // The loaded phase's host is up (its breach measurement has begun): a phase process runs.
            // Longer than Wait's bound: before it, the bench migrates a database and runs a whole baseline process.
            var watch = Stopwatch.StartNew();
            while (!lines.Any(l => l.Contains("breach: registered", StringComparison.Ordinal)))
            {
                Assert.False(bench.HasExited, "sla-bench ended before its loaded phase: " + string.Join("\n", lines));
                Assert.True(watch.Elapsed < Patience, "the loaded phase did not begin: " + string.Join("\n", lines));
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            var database = lines.Select(l => DatabaseCreated().Match(l)).First(m => m.Success).Groups[1].Value;
            Assert.NotEmpty(PhaseProcesses(database));

            using (var kill = Process.Start("kill", ["-TERM", bench.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            await bench.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);

            Assert.Equal(130, bench.ExitCode);
            Assert.Contains(lines, l => l.EndsWith($"database {database} dropped", StringComparison.Ordinal));
            Assert.Empty(PhaseProcesses(database));
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

    // The phase process is given the database's connection string on its command line.
    private static List<int> PhaseProcesses(string database) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Dir: d))
            .Where(p => p.Pid > 0 && CommandLine(p.Dir) is { } line && line.Contains("--phase", StringComparison.Ordinal) && line.Contains(database, StringComparison.Ordinal))
            .Select(p => p.Pid)];

    private static string? CommandLine(string procDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDir, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"database (sla_bench_[0-9a-f]+) created")]
    private static partial Regex DatabaseCreated();
}
