using Helpline.Accountability.Review;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Accountability;

/// <summary>Limits that must hold under concurrency and against hostile input: the monthly grade cap, one ranking run at a time, scopes.</summary>
public sealed class ReviewLimitsTests : AccountabilityTest
{
    [Fact]
    public async Task Grades_sent_at_once_never_pass_the_monthly_limit()
    {
        await SeedAsync("OFF-1", "disposal", 110);
        var grading = Host.Services.GetRequiredService<Grading>();
        var outcomes = await Task.WhenAll(Enumerable.Range(1, 110).Select(async i =>
        {
            try
            {
                await grading.GradeAsync($"OFF-1-disposal-{i:000000}", 3, DisposalGrade.B, "Adequate", "SUP-1", Host.Clock.GetUtcNow(), TestContext.Current.CancellationToken);
                return "graded";
            }
            catch (HelplineException ex)
            {
                return ex.Code;
            }
        }));

        Assert.Equal(100, outcomes.Count(o => o == "graded"));
        Assert.Equal(10, outcomes.Count(o => o == "GRADE_LIMIT_REACHED"));
        Assert.Equal(100L, await Sql.ScalarAsync<long>("select count(*) from accountability.grade where graded_by = 'SUP-1'"));
    }

    [Fact]
    public async Task A_ranking_run_waits_for_nobody_a_second_one_of_the_month_is_refused_as_in_progress()
    {
        await SeedAsync("OFF-1", "disposal", 3);
        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 6, 0, 0, TimeSpan.Zero));
        const string compute = """mutation { computeRankings(month: "2026-11") { state } }""";

        // Another silo's run of November holds the month's lock.
        await using (var other = await Sql.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            await using (var hold = new NpgsqlCommand("select pg_advisory_lock(hashtextextended('ranking:2026-11', 7717))", other))
            {
                await hold.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            var busy = await Host.GraphQLAsync(compute, null, AdministratorToken);
            Assert.Equal(("RANKING_IN_PROGRESS", "month"), (busy.FirstErrorCode, busy.FirstErrorField));
            Assert.Equal(0L, await Sql.ScalarAsync<long>("select count(*) from accountability.ranking_run"));

            // A pooled connection keeps session locks until it is reused: let go now, as that silo would on finishing.
            await using var release = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended('ranking:2026-11', 7717))", other);
            await release.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal("computed", (await Host.GraphQLAsync(compute, null, AdministratorToken)).Get("computeRankings.state").GetValue<string>());
    }

    [Fact]
    public async Task A_skip_sent_again_records_nothing_new_and_a_month_not_begun_is_not_skipped()
    {
        const string skip = """mutation($m: String!) { skipRankings(month: $m, reason: "Model code of conduct in force") { state } }""";
        await Host.GraphQLAsync(skip, new { m = "2026-10" }, AdministratorToken);
        await Host.GraphQLAsync(skip, new { m = "2026-10" }, AdministratorToken);
        Assert.Equal(1L, await Sql.ScalarAsync<long>("select count(*) from accountability.ranking_run"));

        var ahead = await Host.GraphQLAsync(skip, new { m = "2027-01" }, AdministratorToken);
        Assert.Equal(("INVALID_VALUE", "month"), (ahead.FirstErrorCode, ahead.FirstErrorField));
    }

    [Fact]
    public async Task Evidence_beyond_a_tokens_limits_and_text_without_visible_characters_are_refused_by_name()
    {
        await SeedAsync("OFF-1", "disposal", 2);
        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 6, 0, 0, TimeSpan.Zero));
        await Host.GraphQLAsync("""mutation { computeRankings(month: "2026-11") { state } }""", null, AdministratorToken);
        const string evidence = """query($l: RankingLevel!, $u: String!) { rankingEvidence(month: "2026-11", level: $l, unitId: $u, measure: DISPOSAL_WITHIN_TIME) { referenceNumber } }""";

        // A department spans every district, a district every department: a token limited to one sees neither whole.
        var lucknow = TestTokens.Mint(Role.Partner, "lucknow-portal", jurisdictions: ["district:162"]);
        Assert.Equal("OUT_OF_SCOPE", (await Host.GraphQLAsync(evidence, new { l = "DEPARTMENT", u = "rural-development" }, lucknow)).FirstErrorCode);
        Assert.Equal(2, (await Host.GraphQLAsync(evidence, new { l = "DISTRICT", u = "district:162" }, lucknow)).Get("rankingEvidence").AsArray().Count);
        var ruralDevelopment = TestTokens.Mint(Role.Partner, "rd-portal", departments: ["rural-development"]);
        Assert.Equal(2, (await Host.GraphQLAsync(evidence, new { l = "DEPARTMENT", u = "rural-development" }, ruralDevelopment)).Get("rankingEvidence").AsArray().Count);
        Assert.Equal("OUT_OF_SCOPE", (await Host.GraphQLAsync(evidence, new { l = "DISTRICT", u = "district:162" }, ruralDevelopment)).FirstErrorCode);
        Assert.Equal("OUT_OF_SCOPE", (await Host.GraphQLAsync(evidence, new { l = "DEPARTMENT", u = "rural-development" }, SupervisorToken("SUP-1"))).FirstErrorCode);

        var blank = await Host.GraphQLAsync(
            "mutation($r: String!) { gradeDisposal(referenceNumber: $r, grade: A, remark: \"\u200b\u200d\") { grade } }", new { r = "100000000001" }, AdministratorToken);
        Assert.Equal(("INVALID_VALUE", "remark"), (blank.FirstErrorCode, blank.FirstErrorField));
        var week = await Host.GraphQLAsync("""{ penaltyFlags(period: "last month") { id } }""");
        Assert.Equal(("INVALID_VALUE", "period"), (week.FirstErrorCode, week.FirstErrorField));
    }
}
