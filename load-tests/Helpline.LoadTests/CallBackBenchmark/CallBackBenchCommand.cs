using System.Diagnostics;
using Helpline.CallBacks;
using Helpline.CallBacks.Campaigns;
using Helpline.LoadTests.SlaBenchmark;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.LoadTests.CallBackBenchmark;

/// <summary>
/// Issue 14's speed goals with 100,000 due call-backs and 1,000 agents, each against a reference measured in the same
/// run. See load-tests/README.md, "Call-back benchmark".
/// </summary>
internal static class CallBackBenchCommand
{
    /// <summary>The instant the benchmark runs at: a Monday, 10:30 IST, inside the default calling hours.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 5, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var a = CallBackBenchArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (a is null)
        {
            if (error is null)
            {
                Console.WriteLine(CallBackBenchArguments.Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"callback-bench: {error}\n\n{CallBackBenchArguments.Usage}");
            return 1;
        }

        var elapsed = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{elapsed.Elapsed:mm\\:ss\\.f}] {message}");
        BenchDatabase? database = null;
        try
        {
            database = await BenchDatabase.CreateAsync(a.AdminConnectionString, "callback_bench_");
            Log($"callback-bench: {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}; database {database.Name} created");
            var report = await RunAsync(a, database.ConnectionString, Log);
            report.Print(Console.Out);
            if (a.ReportFile is not null)
            {
                await report.WriteJsonAsync(a.ReportFile);
                Log($"report written to {a.ReportFile}");
            }

            return a.Check && !report.GoalsMet ? 3 : 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"callback-bench: stopped: {ex.Message}");
            return 2;
        }
        finally
        {
            if (database is not null)
            {
                if (a.KeepDatabase)
                {
                    Log($"database {database.Name} kept");
                }
                else
                {
                    await database.DisposeAsync();
                }
            }

            Log("done");
        }
    }

    /// <summary>The benchmark's core on an empty database: schema, seed, measure. Also what the smoke test runs with tiny sizes.</summary>
    /// <exception cref="InvalidOperationException">A check failed: a call-back not gathered, an agent without a call, two agents with one call.</exception>
    public static async Task<CallBackBenchReport> RunAsync(CallBackBenchArguments a, string connectionString, Action<string> log)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        var migrate = await CallBackSeeder.MigrateAsync(db);
        var seed = await CallBackSeeder.SeedAsync(db, a.CallBacks, a.Districts, a.Departments, Now, migrate);
        log($"callbacks schema in {seed.MigrateTime.TotalSeconds:0.0} s; {seed.CallBacks:N0} pending call-backs seeded over {seed.Districts.Count} districts and {seed.Departments.Count} departments in {seed.SeedTime.TotalSeconds:0.0} s");
        var build = await BuildSeries.RunAsync(db, seed, a.BuildRounds, Now, log);

        // The agents' campaigns are the builder's: gather once more after the last (reference) run.
        await CallBackSeeder.ResetCampaignsAsync(db);
        var gathered = await new CampaignBuilder(db, Options.Create(new CallBackOptions())).GatherAsync(Now, CancellationToken.None);
        if (gathered.Gathered != a.CallBacks)
        {
            throw new InvalidOperationException($"The builder gathered {gathered.Gathered:N0} of {a.CallBacks:N0} call-backs before the next-call series.");
        }

        await CallBackSeeder.VacuumAsync(db);
        log(await CallBackSeeder.CheckpointAsync(db)
            ? "checkpoint taken: the build series' half a gigabyte of WAL is not flushed during the next-call series"
            : "no checkpoint (the role may not take one): the build series' WAL may be flushed during the next-call series");
        var next = await NextCallSeries.RunAsync(db, a, Now, log);
        return new CallBackBenchReport(a, Environment.ProcessorCount, System.Runtime.GCSettings.IsServerGC, seed, build, next, LoadAverage());
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
