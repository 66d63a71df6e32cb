using System.Diagnostics;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>
/// Restarts the local PostgreSQL server with pg_ctl (fast mode: open transactions are rolled back and every
/// connection is cut, as in a crash of the server process but with a clean checkpoint). As root, pg_ctl runs as the
/// postgres user, which owns the cluster.
/// </summary>
internal sealed class PgControl(string pgCtl, string dataDir, int port)
{
    /// <summary>Restart (or stop, wait <paramref name="down"/>, start); returns when pg_ctl says the server is up again.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        if (down <= TimeSpan.Zero)
        {
            await RunAsync("restart", "-m", "fast");
            return;
        }

        await RunAsync("stop", "-m", "fast");
        await Task.Delay(down);
        await RunAsync("start", "-o", $"-p {port}");
    }

    private async Task RunAsync(params string[] action)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : pgCtl)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", pgCtl })
            {
                start.ArgumentList.Add(a);
            }
        }

        // restart reuses the options of the last start (postmaster.opts: the port), start is given the port; -l keeps the server's log in its file.
        foreach (var a in new[] { "-D", dataDir, "-l", Path.Combine(dataDir, "server.log"), "-w", "-t", "120" }.Concat(action))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', action)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
