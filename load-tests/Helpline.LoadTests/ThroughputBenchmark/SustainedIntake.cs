using System.Diagnostics;
using System.Globalization;
using Helpline.Officers.Workload;
using Npgsql;

namespace Helpline.LoadTests.ThroughputBenchmark;

/// <summary>What a sustained intake did to this process's memory, and whether anything was lost.</summary>
internal sealed record SustainedResult(
    TimeSpan Elapsed, long Acknowledged, long Failures, long StartRss, long PeakRss, long EndRss, IReadOnlyList<(TimeSpan At, long Rss, long Registered)> Samples,
    long Missing, int OfficersChecked, long OpenInReadModel, long TrackedByOfficers, int OfficersDisagreeing);

/// <summary>
/// Registrations at the clients' full rate for a long time, this process's resident memory sampled every 10 s (the
/// host, the clients and their buffers are all in it, so the figure is an upper bound of the service's). Afterwards
/// every acknowledged registration must be in the read model, and every officer's grain must hold exactly the open
/// grievances the read model gives that officer, each with its deadline.
/// </summary>
internal static class SustainedIntake
{
    public static async Task<SustainedResult> RunAsync(RegistrationLoad load, TimeSpan duration, NpgsqlDataSource data, IGrainFactory grains, Action<string> log)
    {
        var samples = new List<(TimeSpan, long, long)>();
        var start = Rss();
        var before = load.Acknowledged;
        var clock = Stopwatch.StartNew();
        long failures = 0;
        var peak = start;
        while (clock.Elapsed < duration)
        {
            var slice = await load.RunAsync(0, TimeSpan.FromSeconds(Math.Min(10, (duration - clock.Elapsed).TotalSeconds + 0.5)), measured: false);
            failures += slice.Failures;
            var rss = Rss();
            peak = Math.Max(peak, rss);
            samples.Add((clock.Elapsed, rss, load.Acknowledged - before));
            if (samples.Count % 6 == 0)
            {
                log(Inv($"sustained: {clock.Elapsed.TotalMinutes:0.0} min, {load.Acknowledged - before:N0} registered ({slice.PerSecond:N0}/s now), RSS {rss / 1048576.0:N0} MiB (peak {peak / 1048576.0:N0}){(failures > 0 ? $", {failures} FAILED: {load.FirstFailure}" : "")}"));
            }
        }

        var elapsed = clock.Elapsed;
        var missing = await ThroughputBenchCommand.WaitForReadModelAsync(data, load.Acknowledged, log);
        var (officers, open, tracked, disagreeing) = await CompareOfficersAsync(data, grains);
        return new SustainedResult(elapsed, load.Acknowledged - before, failures, start, peak, Rss(), samples, missing, officers, open, tracked, disagreeing);
    }

    private static async Task<(int Officers, long Open, long Tracked, int Disagreeing)> CompareOfficersAsync(NpgsqlDataSource data, IGrainFactory grains)
    {
        var expected = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        await using (var cmd = data.CreateCommand("select officer_id, grain_key from grievances.grievance where status = 'Open' and due_at is not null"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var officer = reader.GetString(0);
                if (!expected.TryGetValue(officer, out var keys))
                {
                    expected[officer] = keys = new HashSet<string>(StringComparer.Ordinal);
                }

                keys.Add(reader.GetString(1));
            }
        }

        long tracked = 0;
        var disagreeing = 0;
        foreach (var (officer, keys) in expected)
        {
            var open = await grains.GetGrain<IOfficerGrain>(officer).GetOpen();
            tracked += open.Count;
            if (open.Count != keys.Count || open.Any(g => !keys.Contains(g.GrievanceKey) || !g.DeadlineArmed))
            {
                disagreeing++;
            }
        }

        return (expected.Count, expected.Values.Sum(k => (long)k.Count), tracked, disagreeing);
    }

    private static long Rss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
