using Helpline.LoadTests.AccountabilityBenchmark;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Accountability;

/// <summary>
/// The accountability benchmark's core (load-tests, <c>./helpline accountability-bench</c>) with tiny sizes, so that a
/// change to the accountability schema, the flagging or the rankings breaks here and not at the next benchmark run: it
/// migrates every module's schema, seeds a month of facts and holdings, flags and ranks, and checks the results.
/// </summary>
public sealed class AccountabilityBenchSmokeTests
{
    [Fact]
    public async Task The_benchmark_flags_and_ranks_every_officer_of_a_tiny_month()
    {
        await using var db = await TestDatabase.CreateAsync();
        var args = new AccountabilityBenchArguments { AdminConnectionString = TestDatabase.AdminConnectionString, Grievances = 2_000, Officers = 100 };

        var report = await AccountabilityBenchCommand.RunAsync(args, db.ConnectionString, _ => { });

        Assert.Equal((2_000, 100, 5), (report.Seed.Grievances, report.Seed.Officers, report.Seed.Supervisors));
        Assert.Equal(2_000, report.Seed.Holdings);
        Assert.All(["disposal", "breach", "satisfied", "dissatisfied"], k => Assert.True(report.Seed.FactsByKind.GetValueOrDefault(k) > 0, k));
        Assert.True(report.Raised > 0);
        Assert.Equal(report.Raised, report.FlagsByRule.Values.Sum());
        Assert.Equal(100, report.RowsByLevel["Officer"]);
        Assert.Equal(report.OfficersWithFacts, report.OfficersRanked);
        Assert.Equal(["Block", "Department", "District", "Officer", "Tehsil"], report.RowsByLevel.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(6, report.Statements.Count);
        Assert.EndsWith(report.GoalMet ? "met" : "missed", report.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void More_officers_than_grievances_are_refused()
    {
        var parsed = AccountabilityBenchArguments.Parse(["--grievances", "100", "--officers", "200"], _ => "Host=127.0.0.1;Port=1;Username=x", out var error);

        Assert.Null(parsed);
        Assert.Contains("--officers 200", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_the_issue_s_sizes()
    {
        var parsed = AccountabilityBenchArguments.Parse(["--keep"], _ => null, out var error);

        Assert.Null(error);
        Assert.Equal((1_000_000, 50_000, true), (parsed!.Grievances, parsed.Officers, parsed.Keep));
    }
}
