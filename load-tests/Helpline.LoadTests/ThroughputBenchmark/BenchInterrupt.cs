using System.Runtime.InteropServices;
using Helpline.LoadTests.SlaBenchmark;

namespace Helpline.LoadTests.ThroughputBenchmark;

/// <summary>
/// An interrupt (Ctrl-C, SIGTERM) ends a run: the phases take no cancellation, so it stops the hosts in this process,
/// drops the databases the run created (unless --keep-db) and exits with 130; a second interrupt quits at once.
/// Without it the in-process host's console lifetime took the signal, and a run went on to its end as if nothing had
/// been asked.
/// </summary>
internal sealed class BenchInterrupt : IDisposable
{
    private readonly bool _keep;
    private readonly List<BenchDatabase> _databases = [];
    private readonly List<IAsyncDisposable> _hosts = [];
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _signals;

    /// <summary>Set by the first interrupt: the run's own error paths then answer 130 too.</summary>
    public static bool Interrupted { get; private set; }

    public BenchInterrupt(bool keepDatabases)
    {
        _keep = keepDatabases;
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>A database the run created, dropped on an interrupt unless kept.</summary>
    public void Track(BenchDatabase database)
    {
        lock (_databases)
        {
            _databases.Add(database);
        }
    }

    /// <summary>A host the run started, stopped on an interrupt before its database is dropped.</summary>
    public void Track(IAsyncDisposable host)
    {
        lock (_databases)
        {
            _hosts.Add(host);
        }
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) > 1)
        {
            Console.Error.WriteLine("throughput-bench: interrupted again; quitting at once, leaving its databases");
            Environment.Exit(130);
        }

        Interrupted = true;
        BenchDatabase[] databases;
        IAsyncDisposable[] hosts;
        lock (_databases)
        {
            databases = [.. _databases];
            hosts = [.. _hosts];
        }

        Console.Error.WriteLine(_keep
            ? $"throughput-bench: interrupted; stopping the service and keeping its databases ({string.Join(", ", databases.Select(d => d.Name))})"
            : "throughput-bench: interrupted; stopping the service and dropping its databases (interrupt again to quit at once, leaving them)");
        _ = Task.Run(async () =>
        {
            // Stopped first, so that none of them is left working on a database that is gone.
            foreach (var host in hosts)
            {
                try
                {
                    await host.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
                }
                catch (TimeoutException)
                {
                    await Console.Error.WriteLineAsync("throughput-bench: a host did not stop within 15 s; going on");
                }
            }

            if (!_keep)
            {
                foreach (var database in databases)
                {
                    try
                    {
                        await database.DisposeAsync();
                    }
                    catch (Npgsql.NpgsqlException ex)
                    {
                        await Console.Error.WriteLineAsync($"throughput-bench: database {database.Name} not dropped: {ex.Message}");
                    }
                }
            }

            Environment.Exit(130);
        });
    }
}
