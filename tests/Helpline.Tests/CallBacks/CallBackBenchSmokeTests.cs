using Helpline.LoadTests.CallBackBenchmark;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.CallBacks;

/// <summary>
/// The call-back benchmark's core (load-tests, <c>./helpline callback-bench</c>) with tiny sizes, so that a change to
/// the callbacks schema, the campaign builder or the queue breaks here and not at the next benchmark run: it seeds
/// call-backs, builds campaigns with the builder and the reference statement, and has agents ask at once.
/// </summary>
public sealed class CallBackBenchSmokeTests
{
    [Fact]
    public async Task The_benchmark_gathers_every_call_back_and_gives_every_agent_a_different_one()
    {
        await using var db = await TestDatabase.CreateAsync();
        var args = new CallBackBenchArguments
        {
            AdminConnectionString = TestDatabase.AdminConnectionString,
            CallBacks = 2_000,
            Districts = 10,
            Departments = 5,
            BuildRounds = 1,
            Agents = 50,
            Rounds = 2,
            Warmup = 1,
            Alone = 4,
        };

        var report = await CallBackBenchCommand.RunAsync(args, db.ConnectionString, _ => { });

        Assert.Equal(10, report.Seed.Districts.Count);
        Assert.All(report.Seed.Districts, d => Assert.StartsWith("district:", d, StringComparison.Ordinal));
        Assert.Equal(["A", "B"], report.Build.Runs.Select(r => r.Series));
        Assert.All(report.Build.Runs, r => Assert.Equal((2_000, 10), (r.Gathered, r.Campaigns)));
        Assert.Equal(1, report.Build.Runs.Single(r => r.Series == "B").Batches);
        Assert.Equal(10, report.NextCall.Campaigns);
        Assert.Equal((100L, 100L), (report.NextCall.Spread.Latency.Count, report.NextCall.OneCampaign.Latency.Count)); // 50 agents x 2 rounds, each checked distinct
        Assert.Equal((4L, 4L), (report.NextCall.Alone.Latency.Count, report.NextCall.Bare.Latency.Count));
        Assert.True(report.NextCall.Spread.Latency.P50 > 0);
    }

    [Fact]
    public void Too_few_call_backs_for_every_agent_in_one_campaign_are_refused()
    {
        var parsed = CallBackBenchArguments.Parse(["--callbacks", "2000", "--agents", "50"], _ => "Host=127.0.0.1;Port=1;Username=x", out var error);

        Assert.Null(parsed);
        Assert.Contains("--agents 50", error, StringComparison.Ordinal);
    }
}
