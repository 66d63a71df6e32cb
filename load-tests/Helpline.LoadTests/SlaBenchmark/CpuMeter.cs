using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Helpline.LoadTests.SlaBenchmark;

/// <summary>
/// Where the CPU went during a measurement: this process (the host), the PostgreSQL backends serving the benchmark's
/// database (from /proc/&lt;pid&gt;/stat, so only when the server runs on this machine), and the whole machine
/// (/proc/stat: other work on the machine shows up as busy time that is neither).
/// </summary>
public sealed class CpuMeter(NpgsqlDataSource db)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public async Task<Snapshot> TakeAsync() =>
        new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime, await BackendTicksAsync(), MachineBusyTicks());

    public async Task<CpuFigures> SinceAsync(Snapshot start)
    {
        var end = await TakeAsync();
        double? pg = null;
        if (end.Backends is { } e && start.Backends is { } s)
        {
            pg = e.Sum(b => b.Value - s.GetValueOrDefault(b.Key)) / TicksPerSecond;
        }

        return new CpuFigures(
            Math.Round(Stopwatch.GetElapsedTime(start.At, end.At).TotalSeconds, 2),
            Math.Round((end.Process - start.Process).TotalSeconds, 2),
            pg is null ? null : Math.Round(pg.Value, 2),
            end.MachineBusy is { } mb && start.MachineBusy is { } sb ? Math.Round((mb - sb) / TicksPerSecond, 2) : null);
    }

    private async Task<Dictionary<int, long>?> BackendTicksAsync()
    {
        try
        {
            var pids = new List<int>();
            await using (var cmd = db.CreateCommand("select pid from pg_stat_activity where datname = current_database()"))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    pids.Add(reader.GetInt32(0));
                }
            }

            var ticks = new Dictionary<int, long>();
            foreach (var pid in pids)
            {
                var path = $"/proc/{pid}/stat";
                if (!File.Exists(path))
                {
                    return null; // the server is not on this machine
                }

                try
                {
                    var text = await File.ReadAllTextAsync(path);
                    var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                    ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime + stime
                }
                catch (IOException)
                {
                    // The backend ended meanwhile.
                }
            }

            return ticks;
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    private static long? MachineBusyTicks()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
        var v = cpu.Skip(1).Take(8).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return v.Sum() - v[3] - v[4];
    }

    public sealed record Snapshot(long At, TimeSpan Process, Dictionary<int, long>? Backends, long? MachineBusy);
}

/// <summary>CPU seconds over a wall-clock interval.</summary>
/// <param name="WallSeconds">The interval.</param>
/// <param name="HostSeconds">CPU of this process (the in-process host and the benchmark's own polling).</param>
/// <param name="PostgresSeconds">CPU of the PostgreSQL backends connected to the benchmark's database (null when the server is not local).</param>
/// <param name="MachineBusySeconds">Busy CPU of the whole machine (all cores; includes other work on the machine).</param>
public sealed record CpuFigures(double WallSeconds, double HostSeconds, double? PostgresSeconds, double? MachineBusySeconds);
