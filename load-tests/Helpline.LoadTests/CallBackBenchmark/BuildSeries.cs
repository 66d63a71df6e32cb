using System.Diagnostics;
using Helpline.CallBacks;
using Helpline.CallBacks.Campaigns;
using Helpline.CallBacks.Domain;
using Helpline.LoadTests.SlaBenchmark;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.LoadTests.CallBackBenchmark;

/// <summary>One timed run: wall seconds, transactions, and the CPU it cost this process and PostgreSQL.</summary>
internal sealed record BuildRun(string Series, int Round, double Seconds, int Gathered, int Batches, int Campaigns, CpuFigures Cpu);

/// <summary>Series A (the builder) and reference B (one plain statement), alternated A B A B on the same rows.</summary>
internal sealed record BuildFigures(IReadOnlyList<BuildRun> Runs)
{
    public double BuilderSeconds => Runs.Where(r => r.Series == "A").Max(r => r.Seconds);

    public double ReferenceSeconds => Runs.Where(r => r.Series == "B").Min(r => r.Seconds);

    /// <summary>The builder's mean over the reference's mean.</summary>
    public double Ratio => Runs.Where(r => r.Series == "A").Average(r => r.Seconds) / Runs.Where(r => r.Series == "B").Average(r => r.Seconds);
}

/// <summary>
/// Times <see cref="CampaignBuilder.GatherAsync"/> over every seeded call-back, against PostgreSQL doing the same
/// assignment (the same campaign rows, the same campaign id on the same call-backs) as one statement with no batches,
/// no ordering and no row locks: the floor for writing that many rows. Campaigns are emptied and the table vacuumed
/// before every run, so each starts from the same state.
/// </summary>
internal static class BuildSeries
{
    // The builder's own assignment, less what makes it safe to run beside agents and other silos: batches in
    // callable_from order, one transaction each, and `for update skip locked`.
    private const string ReferenceSql = """
        with campaigns as (
            insert into callbacks.campaign (id, day, group_kind, group_id, calling_from, calling_until, created_at)
            select distinct $1 || c.district_id, $2, 'district', c.district_id, $3, $4, $5
            from callbacks.call_back c
            where c.state = 'pending' and c.campaign_id is null and c.callable_from <= $5
        )
        update callbacks.call_back c set campaign_id = $1 || c.district_id
        where c.state = 'pending' and c.campaign_id is null and c.callable_from <= $5
        """;

    public static async Task<BuildFigures> RunAsync(NpgsqlDataSource db, CallBackSeed seed, int rounds, DateTimeOffset now, Action<string> log)
    {
        var settings = new CallBackOptions();
        var builder = new CampaignBuilder(db, Options.Create(settings));
        var cpu = new CpuMeter(db);
        var runs = new List<BuildRun>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var series in new[] { "A", "B" })
            {
                await CallBackSeeder.ResetCampaignsAsync(db);
                var before = await cpu.TakeAsync();
                var sw = Stopwatch.StartNew();
                var (gathered, batches) = series == "A"
                    ? await BuilderAsync(builder, now)
                    : (await ReferenceAsync(db, settings, now), 1);
                var seconds = sw.Elapsed.TotalSeconds;
                var used = await cpu.SinceAsync(before);
                var campaigns = (int)await CallBackSeeder.ScalarAsync(db, "select count(*) from callbacks.campaign");
                var left = await CallBackSeeder.ScalarAsync(db, "select count(*) from callbacks.call_back where campaign_id is null");
                var run = new BuildRun(series, round, seconds, gathered, batches, campaigns, used);
                if (gathered != seed.CallBacks || left != 0 || campaigns != seed.Districts.Count)
                {
                    throw new InvalidOperationException(
                        $"Build {series}{round}: gathered {gathered:N0} of {seed.CallBacks:N0} call-backs ({left:N0} left in no campaign) into {campaigns} campaigns, not {seed.Districts.Count}.");
                }

                runs.Add(run);
                log($"build {series}{round}: {gathered:N0} call-backs into {campaigns} campaigns in {seconds:0.000} s ({batches} transactions); CPU this process {used.HostSeconds:0.00} s, PostgreSQL {used.PostgresSeconds?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a"} s");
            }
        }

        return new BuildFigures(runs);
    }

    private static async Task<(int, int)> BuilderAsync(CampaignBuilder builder, DateTimeOffset now)
    {
        var result = await builder.GatherAsync(now, CancellationToken.None);
        return (result.Gathered, result.Batches);
    }

    private static async Task<int> ReferenceAsync(NpgsqlDataSource db, CallBackOptions settings, DateTimeOffset now)
    {
        var day = CallingHours.DayOf(now);
        await using var cmd = db.CreateCommand(ReferenceSql);
        cmd.CommandTimeout = 600;
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CampaignBuilder.CampaignId(day, CampaignGrouping.District, "") });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
        cmd.Parameters.Add(new NpgsqlParameter<TimeOnly> { TypedValue = settings.From });
        cmd.Parameters.Add(new NpgsqlParameter<TimeOnly> { TypedValue = settings.Until });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        return await cmd.ExecuteNonQueryAsync();
    }
}
