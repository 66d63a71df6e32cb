using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Helpline.LoadTests.ThroughputBenchmark;

/// <summary>
/// PostgreSQL's own <c>pgbench</c> against the benchmark's database, as the reference the service is held against:
/// <c>-N</c> (each transaction an update, a select and an insert, committed) and a read-only script that selects one
/// read-model row by its reference number.
/// </summary>
internal sealed partial class PgBench(string connectionString)
{
    private readonly NpgsqlConnectionStringBuilder _c = new(connectionString);

    /// <summary>Creates pgbench's tables (scale 10, a million accounts) in the benchmark's database.</summary>
    public async Task InitialiseAsync() => await RunAsync(["-i", "-q", "-s", "10", "--no-vacuum"], parse: false);

    /// <summary>Transactions a second of <c>pgbench -N</c>.</summary>
    public Task<double> SimpleUpdateAsync(int clients, TimeSpan duration) =>
        RunAsync(["-N", "-M", "prepared", "-c", Inv(clients), "-j", Inv(Math.Min(clients, 2)), "-T", Inv((int)duration.TotalSeconds)], parse: true);

    /// <summary>Transactions a second of a script that selects the grievance row of a random one of <paramref name="references"/>.</summary>
    public async Task<double> SelectRowAsync(IReadOnlyList<string> references, int clients, TimeSpan duration)
    {
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            await using var batch = new NpgsqlBatch(conn);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("create table if not exists public.bench_reference (n int primary key, reference_number text not null)"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("truncate public.bench_reference"));
            var insert = new NpgsqlBatchCommand("insert into public.bench_reference select n, r from unnest($1::text[]) with ordinality as t(r, n)");
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. references] });
            batch.BatchCommands.Add(insert);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("analyze public.bench_reference"));
            await batch.ExecuteNonQueryAsync();
        }

        var script = Path.Combine(Path.GetTempPath(), $"throughput-bench-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(script, Inv(
            $"""
            \set n random(1, {references.Count})
            select g.reference_number, g.status, g.department_id, g.jurisdiction_id, g.level, g.due_at from grievances.grievance g where g.reference_number = (select b.reference_number from public.bench_reference b where b.n = :n);
            """));
        try
        {
            return await RunAsync(["-n", "-M", "prepared", "-f", script, "-c", Inv(clients), "-j", Inv(Math.Min(clients, 2)), "-T", Inv((int)duration.TotalSeconds)], parse: true);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private async Task<double> RunAsync(IEnumerable<string> args, bool parse)
    {
        var start = new ProcessStartInfo("pgbench")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args.Concat(["-h", _c.Host ?? "127.0.0.1", "-p", Inv(_c.Port), "-U", _c.Username ?? "postgres", _c.Database!]))
        {
            start.ArgumentList.Add(a);
        }

        if (_c.Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start (is PostgreSQL's client installed?)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pgbench {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {await error}");
        }

        if (!parse)
        {
            return 0;
        }

        var m = Tps().Match(text);
        return m.Success
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench printed no tps: {text}");
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Inv(int n) => n.ToString(CultureInfo.InvariantCulture);
}
