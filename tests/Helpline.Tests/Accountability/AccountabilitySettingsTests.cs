using Helpline.Accountability;
using Helpline.Accountability.Flags;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Accountability;

/// <summary>Settings are checked at start-up, each broken one named by its key; the jobs live on the persistent Quartz store.</summary>
public sealed class AccountabilitySettingsTests
{
    [Fact]
    public void Every_broken_setting_is_named_by_its_key_and_rule()
    {
        var options = new AccountabilityOptions
        {
            Rules =
            [
                new() { Name = "Breaches!", Kind = RuleKind.Breaches, MinCount = 0 },
                new() { Name = "share", Kind = RuleKind.DissatisfiedShare, Share = 1.5, MinSample = 0 },
                new() { Name = "share", Kind = RuleKind.Reopened },
            ],
            Ranking = [new() { Measure = Measure.DefaulterCases, Marks = 4 }],
            RankOnDay = 31,
            MaxGradesPerMonth = 0,
        };

        Assert.Equal(
            [
                "Helpline:Accountability:Rules:0:Name must be 1..40 lower-case letters, digits or hyphens (was 'Breaches!').",
                "Helpline:Accountability:Rules:0:MinCount must be at least 1.",
                "Helpline:Accountability:Rules:1: a DissatisfiedShare rule needs Share in [0, 1) and MinSample at least 1.",
                "Helpline:Accountability:Rules:2:Name 'share' is used by another rule.",
                "Helpline:Accountability:Ranking:0:PerCase must be above 0 for a deduction (DefaulterCases) and left out for a share.",
                "Helpline:Accountability:Ranking needs at least one share parameter: the total is their marks.",
                "Helpline:Accountability:MaxGradesPerMonth must be 1..10000.",
                "Helpline:Accountability:RankOnDay must be a day 1..28.",
            ],
            options.Problems());
        Assert.Empty(new AccountabilityOptions().Problems());
        Assert.Equal(140, RankingMath.Total(AccountabilityOptions.DefaultRanking));
    }
}

/// <summary>The flagging and ranking jobs are on the service's persistent, clustered Quartz store.</summary>
public sealed class AccountabilityJobStoreTests : HostedTest
{
    [Fact]
    public async Task The_flagging_and_ranking_jobs_are_stored_with_their_triggers_on_the_persistent_store()
    {
        var scheduler = await Host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        Assert.NotNull(await scheduler.GetJobDetail(FlagJob.Key, TestContext.Current.CancellationToken));
        Assert.NotNull(await scheduler.GetJobDetail(RankingJob.Key, TestContext.Current.CancellationToken));

        // In the tables every silo of the cluster shares, each with its trigger.
        await using var sql = Db.CreateDataSource();
        Assert.Equal(
            "monthly-rankings:monthly-rankings-hourly-check,penalty-flags:penalty-flags-every-hour",
            await sql.ScalarAsync<string>("""
                select string_agg(j.job_name || ':' || t.trigger_name, ',' order by j.job_name)
                from quartz.qrtz_job_details j join quartz.qrtz_triggers t on t.job_name = j.job_name and t.job_group = j.job_group
                where j.job_group = 'accountability'
                """));
    }
}
