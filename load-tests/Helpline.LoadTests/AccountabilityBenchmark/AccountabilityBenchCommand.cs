using System.Diagnostics;
using Helpline.Accountability;
using Helpline.Accountability.Facts;
using Helpline.Accountability.Flags;
using Helpline.Accountability.Rankings;
using Helpline.Jurisdictions.Loading;
using Helpline.Jurisdictions.Tree;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Officers.Roster;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.LoadTests.AccountabilityBenchmark;

/// <summary>
/// Issue 15's goal: flagging and ranking a month of 1,000,000 grievances across 50,000 officers in under 60 s, against
/// a plain count per officer over the same month measured in the same run. See load-tests/README.md, "Accountability benchmark".
/// </summary>
internal static class AccountabilityBenchCommand
{
    /// <summary>The month measured.</summary>
    public static readonly DateOnly Month = new(2026, 11, 1);

    /// <summary>The instant the runs happen at: 4 December 2026, 10:30 IST, the default ranking day, the month over.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 5, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var a = AccountabilityBenchArguments.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (a is null)
        {
            if (error is null)
            {
                Console.WriteLine(AccountabilityBenchArguments.Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"accountability-bench: {error}\n\n{AccountabilityBenchArguments.Usage}");
            return 1;
        }

        var elapsed = Stopwatch.StartNew();
        void Log(string message) => Console.Error.WriteLine($"[{elapsed.Elapsed:mm\\:ss\\.f}] {message}");
        BenchDatabase? database = null;
        try
        {
            database = await BenchDatabase.CreateAsync(a.AdminConnectionString, "accountability_bench_");
            Log($"accountability-bench: {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}; database {database.Name} created");
            var report = await RunAsync(a, database.ConnectionString, Log);
            report.Print(Console.Out);
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"accountability-bench: stopped: {ex.Message}");
            return 2;
        }
        finally
        {
            if (database is not null)
            {
                if (a.Keep)
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

    /// <summary>The benchmark's core on an empty database: schema, seed, reference, flag, rank, checks. Also what the smoke test runs.</summary>
    /// <exception cref="InvalidOperationException">A check failed: no flag raised, an officer not ranked, a level without rows.</exception>
    public static async Task<AccountabilityBenchReport> RunAsync(AccountabilityBenchArguments a, string connectionString, Action<string> log)
    {
        var ct = CancellationToken.None;
        var period = Period.Month(Month);
        await using var db = NpgsqlDataSource.Create(connectionString);
        var migrate = await AccountabilitySeeder.MigrateAsync(db);
        log($"every module's schema in {migrate.TotalSeconds:0.0} s; seeding {a.Grievances:N0} grievances over {a.Officers:N0} officers");
        var seed = await AccountabilitySeeder.SeedAsync(db, a.Grievances, a.Officers, period, migrate);
        log($"{seed.Facts:N0} facts and {seed.Holdings:N0} holding spans seeded in {seed.SeedTime.TotalSeconds:0.0} s, vacuum analyze {seed.VacuumTime.TotalSeconds:0.0} s");

        // The service's classes, constructed as the host registers them (singletons). Places: the real jurisdiction
        // tree; the officer roster is empty (the facts carry each officer's seat, supervisor and department).
        var jurisdictions = new JurisdictionDirectory();
        if (!JurisdictionTree.TryBuild(UpReferenceData.ReadEmbedded().Nodes, out var tree, out var errors))
        {
            throw new InvalidOperationException($"The jurisdiction tree did not build: {string.Join("; ", errors)}");
        }

        jurisdictions.Replace(tree);
        var options = Options.Create(new AccountabilityOptions());
        var flagging = new Flagging(db, new Places(jurisdictions, new OfficerDirectory()), options);
        var rankings = new MonthlyRankings(db, options);
        var loadBefore = LoadAverage();

        // The reference, twice: the first warms the caches as the measured runs will find them, the second is kept.
        (TimeSpan Time, long Rows) facts = default, holdings = default;
        for (var i = 0; i < 2; i++)
        {
            facts = await TimeRowsAsync(db, ReferenceFacts, period.From, period.To);
            holdings = await TimeRowsAsync(db, ReferenceHoldings, period.From, period.To);
        }

        log($"reference: facts {facts.Time.TotalSeconds:0.000} s, holdings {holdings.Time.TotalSeconds:0.000} s");
        var sw = Stopwatch.StartNew();
        var (raised, withdrawn) = await flagging.RunAsync(AccountabilityOptions.DefaultRules, period, Now, ct);
        var flagTime = sw.Elapsed;
        log($"(a) flagging {flagTime.TotalSeconds:0.000} s: {raised:N0} raised, {withdrawn:N0} withdrawn");
        sw.Restart();
        var run = await rankings.ComputeAsync(Month, "accountability-bench", Now, ct);
        var rankTime = sw.Elapsed;
        log($"(b) ranking {rankTime.TotalSeconds:0.000} s");

        // Checks.
        var flagsByRule = await CountsAsync(db, "select rule, count(*) from accountability.flag where period = $1 group by rule order by rule", period.Name);
        var rowsByLevel = await CountsAsync(db, "select level, count(*) from accountability.ranking_row where run_id = $1::uuid group by level order by level", run.Id.ToString());
        var officersWithFacts = await CountAsync(db, $"""
            select count(*) from (
                select officer_id from accountability.fact where at >= $1 and at < $2 and {RankingSql.Known}
                union
                select officer_id from accountability.holding where from_at < $2 and (to_at is null or to_at >= $2)) x
            """, period.From, period.To, Now);
        var unranked = await CountAsync(db, $"""
            select count(*) from (
                select officer_id from accountability.fact where at >= $1 and at < $2 and {RankingSql.Known}
                union
                select officer_id from accountability.holding where from_at < $2 and (to_at is null or to_at >= $2)) x
            where not exists (select 1 from accountability.ranking_row r where r.run_id = $4 and r.level = 'Officer' and r.unit_id = x.officer_id)
            """, period.From, period.To, Now, run.Id);
        var problems = new List<string>();
        if (raised == 0 || flagsByRule.Values.Sum() == 0)
        {
            problems.Add("no flag was raised");
        }

        if (unranked > 0)
        {
            problems.Add($"{unranked:N0} officers with facts or holdings are not ranked");
        }

        var missingLevels = Enum.GetNames<RankingLevel>().Where(l => !rowsByLevel.ContainsKey(l)).ToArray();
        if (missingLevels.Length > 0)
        {
            problems.Add($"no ranking rows at {string.Join(", ", missingLevels)}");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Checks failed: {string.Join("; ", problems)}.");
        }

        // Diagnostic: the statements inside (a) and (b) alone, reading their rows.
        var statements = new List<StatementTiming>();
        foreach (var (name, counted, sample) in new[]
                 {
                     ("flag: PerOfficer, breaches", new[] { "breach" }, new[] { "breach" }),
                     ("flag: PerOfficer, dissatisfied share", ["dissatisfied"], ["satisfied", "dissatisfied"]),
                     ("flag: PerOfficer, reopened", ["reopened"], ["reopened"]),
                 })
        {
            var t = await TimeRowsAsync(db, FlagSql.PerOfficer, period.From, period.To, counted, sample);
            statements.Add(new StatementTiming(name, t.Time, t.Rows));
        }

        var team = await TimeRowsAsync(db, FlagSql.PerSupervisor, period.From, period.To, TeamRules);
        statements.Add(new StatementTiming("flag: PerSupervisor (team flags)", team.Time, team.Rows));
        var rankFacts = await TimeRowsAsync(db, RankingSql.Facts, period.From, period.To, Now);
        statements.Add(new StatementTiming("rank: Facts (grouping sets over the month)", rankFacts.Time, rankFacts.Rows));
        var rankPending = await TimeRowsAsync(db, RankingSql.Pending, period.To);
        statements.Add(new StatementTiming("rank: Pending (holdings at the month's end)", rankPending.Time, rankPending.Rows));

        return new AccountabilityBenchReport(
            seed, facts.Time, facts.Rows, holdings.Time, holdings.Rows, flagTime, raised, withdrawn, flagsByRule, rankTime, rowsByLevel,
            officersWithFacts, officersWithFacts - unranked, statements, Environment.ProcessorCount, System.Runtime.GCSettings.IsServerGC,
            loadBefore, LoadAverage());
    }

    private static readonly string[] TeamRules = ["team-flags"];

    /// <summary>The reference: a plain count of the month's facts per officer.</summary>
    public const string ReferenceFacts = "select officer_id, count(*) from accountability.fact where at >= $1 and at < $2 group by officer_id";

    /// <summary>The same over the holding spans that overlap the month.</summary>
    public const string ReferenceHoldings = "select officer_id, count(*) from accountability.holding where from_at < $2 and (to_at is null or to_at >= $1) group by officer_id";

    private static async Task<(TimeSpan Time, long Rows)> TimeRowsAsync(NpgsqlDataSource db, string sql, params object[] parameters)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var sw = Stopwatch.StartNew();
        var rows = 0L;
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                rows++;
            }
        }

        return (sw.Elapsed, rows);
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sql, params object[] parameters)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 600;
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyDictionary<string, long>> CountsAsync(NpgsqlDataSource db, string sql, string parameter)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            counts[r.GetString(0)] = r.GetInt64(1);
        }

        return counts;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
