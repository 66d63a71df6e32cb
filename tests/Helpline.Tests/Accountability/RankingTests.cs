using System.Text.Json.Nodes;
using Helpline.Accountability.Flags;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Helpline.Tests.Accountability;

/// <summary>
/// A month's ranking of five districts worked out by hand on the default scheme (140 marks: 60 disposal within time,
/// 50 satisfied feedback, 30 pendency within the due date; −4 when any grievance went defaulter, −4 when any disposal
/// was graded C), stored, explained figure by figure, and recomputed only on request.
/// </summary>
public sealed class RankingTests : AccountabilityTest
{
    private const string Rank = """
        query($l: RankingLevel!) { ranking(month: "2026-11", level: $l) { state runBy total
          rows { unitId rank marks percent breakdown { measure max count outOf marks formula } } } }
        """;

    private const string EvidenceQuery = """
        query($u: String!, $m: RankingMeasure!) { rankingEvidence(month: "2026-11", level: DISTRICT, unitId: $u, measure: $m, first: 100) { referenceNumber counted officerId } }
        """;

    [Fact]
    public async Task A_months_ranking_worked_out_by_hand_with_every_mark_traced_to_its_figures_and_grievances()
    {
        // district      disposals on-time satisfied dissatisfied pending overdue breaches C-grades
        await DistrictAsync("district:a", 10, 9, 6, 2, 5, 1, 1, 0);   // 54 + 37.5 + 24 − 4     = 111.50 (79.64%)
        await DistrictAsync("district:b", 20, 20, 3, 1, 0, 0, 0, 2);  // 60 + 37.5 + 30 − 4     = 123.50 (88.21%)
        await DistrictAsync("district:c", 3, 1, 0, 0, 3, 3, 5, 1);    // 20 + 50 + 0 − 4 − 4    =  62.00 (44.29%)
        await DistrictAsync("district:d", 4, 3, 2, 0, 20, 9, 0, 0);   // 45 + 50 + 16.5         = 111.50 (79.64%)
        await DistrictAsync("district:e", 10, 9, 6, 2, 5, 1, 1, 0);   // as district:a          = 111.50 (79.64%)
        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 6, 0, 0, TimeSpan.Zero));

        var computed = await Host.GraphQLAsync("""mutation { computeRankings(month: "2026-11") { state rows { unitId rank } } }""", null, AdministratorToken);
        Assert.Equal("computed", computed.Get("computeRankings.state").GetValue<string>());

        // B first; A and E share 2nd (equal on marks and on every tie rule); D has A's marks but fewer for disposal in
        // time, so it comes after them: 4th, as competition ranks count; C last.
        var rows = (await Host.GraphQLAsync(Rank, new { l = "DISTRICT" })).Get("ranking.rows").AsArray();
        Assert.Equal(
            ["district:b 1 123.5 88.21", "district:a 2 111.5 79.64", "district:e 2 111.5 79.64", "district:d 4 111.5 79.64", "district:c 5 62 44.29"],
            rows.Select(r => $"{r!["unitId"]} {r["rank"]} {r["marks"]} {r["percent"]}").ToArray());
        Assert.Equal(
            ["DISPOSAL_WITHIN_TIME 9/10 54: 9 / 10 × 60 = 54.00", "SATISFIED_FEEDBACK 6/8 37.5: 6 / 8 × 50 = 37.50", "PENDENCY_WITHIN_DUE 4/5 24: 4 / 5 × 30 = 24.00",
             "DEFAULTER_CASES 1/1 -4: 1 cases × 4 marks, at most 4: −4.00", "C_GRADE_DISPOSALS 0/0 0: no cases: nothing deducted"],
            Breakdown(rows[1]!));
        Assert.Equal("SATISFIED_FEEDBACK 0/0 50: nothing to measure: full 50 marks", Breakdown(rows[4]!)[1]);

        // Every figure to its grievances, as the run counted them.
        var disposals = await EvidenceAsync("district:a", "DISPOSAL_WITHIN_TIME");
        Assert.Equal((10, 9), (disposals.Count, disposals.Count(e => e!["counted"]!.GetValue<string>() == "disposed of within time")));
        var pending = await EvidenceAsync("district:a", "PENDENCY_WITHIN_DUE");
        Assert.Equal((5, 1), (pending.Count, pending.Count(e => e!["counted"]!.GetValue<string>() == "pending past its due date")));
        Assert.Equal("district:a-breach-000001", Assert.Single(await EvidenceAsync("district:a", "DEFAULTER_CASES"))!["referenceNumber"]!.GetValue<string>());

        // The officer level ranks the same offices' officers; the department level sums them.
        var officers = (await Host.GraphQLAsync(Rank, new { l = "OFFICER" })).Get("ranking.rows").AsArray();
        Assert.Equal(5, officers.Count);
        var department = Assert.Single((await Host.GraphQLAsync(Rank, new { l = "DEPARTMENT" })).Get("ranking.rows").AsArray());
        Assert.Equal("DISPOSAL_WITHIN_TIME 42/47", Breakdown(department!)[0].Split(' ')[0] + " " + Breakdown(department!)[0].Split(' ')[1]);

        // A breach cleared after the run changes neither the stored ranking nor what it says it counted...
        await Sql.ExecuteAsync("update accountability.fact set cleared_at = timestamptz '2026-12-04 07:00Z', cleared_why = 'recomputed' where reference_number = 'district:a-breach-000001'");
        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal("111.5", (await Host.GraphQLAsync(Rank, new { l = "DISTRICT" })).Get("ranking.rows").AsArray()[1]!["marks"]!.ToString());
        Assert.Single(await EvidenceAsync("district:a", "DEFAULTER_CASES"));

        // ...until the month is recomputed on request: a second run, the first kept.
        await Host.GraphQLAsync("""mutation { computeRankings(month: "2026-11") { state } }""", null, AdministratorToken);
        var again = (await Host.GraphQLAsync(Rank, new { l = "DISTRICT" })).Get("ranking.rows").AsArray();
        Assert.Equal("district:a 2 115.5", $"{again[1]!["unitId"]} {again[1]!["rank"]} {again[1]!["marks"]}");
        Assert.Empty(await EvidenceAsync("district:a", "DEFAULTER_CASES"));
        Assert.Equal(2L, await Sql.ScalarAsync<long>("select count(*) from accountability.ranking_run where month = '2026-11-01'"));
    }

    [Fact]
    public async Task The_monthly_job_ranks_last_month_once_from_the_configured_day_and_leaves_a_skipped_month_alone()
    {
        await DistrictAsync("district:a", 10, 9, 6, 2, 5, 1, 1, 0);
        var job = ActivatorUtilities.CreateInstance<RankingJob>(Host.Services);

        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero)); // 3 Dec IST: before the 4th
        await job.Execute(null!, TestContext.Current.CancellationToken);
        Assert.Null((await Host.GraphQLAsync(Rank, new { l = "DISTRICT" })).Data!["ranking"]);

        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 0, 30, 0, TimeSpan.Zero)); // 4 Dec 06:00 IST
        await job.Execute(null!, TestContext.Current.CancellationToken);
        await job.Execute(null!, TestContext.Current.CancellationToken);
        var ranked = (await Host.GraphQLAsync(Rank, new { l = "DISTRICT" })).Get("ranking");
        Assert.Equal(("computed", "system", 140.0), (ranked["state"]!.GetValue<string>(), ranked["runBy"]!.GetValue<string>(), ranked["total"]!.GetValue<double>()));
        Assert.Equal(1L, await Sql.ScalarAsync<long>("select count(*) from accountability.ranking_run"));

        // October is skipped (an election code); the job never ranks it, and asking for its evidence says why.
        var skipped = await Host.GraphQLAsync("""mutation { skipRankings(month: "2026-10", reason: "Model code of conduct in force") { state reason rows { unitId } } }""", null, AdministratorToken);
        Assert.Equal("skipped: Model code of conduct in force", $"{skipped.Get("skipRankings.state")}: {skipped.Get("skipRankings.reason")}");
        var none = await Host.GraphQLAsync("""{ rankingEvidence(month: "2026-10", level: DISTRICT, unitId: "district:a", measure: DEFAULTER_CASES) { referenceNumber } }""");
        Assert.Equal(("NO_RANKING", "month"), (none.FirstErrorCode, none.FirstErrorField));

        // Bad months are refused by name; a month not over cannot be ranked yet.
        var open = await Host.GraphQLAsync("""mutation { computeRankings(month: "2026-12") { state } }""", null, AdministratorToken);
        Assert.Equal(("INVALID_VALUE", "month"), (open.FirstErrorCode, open.FirstErrorField));
        var bad = await Host.GraphQLAsync("""mutation { computeRankings(month: "Nov 2026") { state } }""", null, AdministratorToken);
        Assert.Equal(("INVALID_VALUE", "month"), (bad.FirstErrorCode, bad.FirstErrorField));
        Assert.Equal(2L, await Sql.ScalarAsync<long>("select count(*) from accountability.ranking_run"));
    }

    private async Task<JsonArray> EvidenceAsync(string unit, string measure) =>
        (await Host.GraphQLAsync(EvidenceQuery, new { u = unit, m = measure })).Get("rankingEvidence").AsArray();

    private static string[] Breakdown(JsonNode row) =>
        [.. row["breakdown"]!.AsArray().Select(b => $"{b!["measure"]} {b["count"]}/{b["outOf"]} {b["marks"]}: {b["formula"]}")];

    // The month's facts and month-end holdings of one district (its one officer, OFF-<district>).
    private async Task DistrictAsync(string district, int disposals, int onTime, int satisfied, int dissatisfied, int pending, int overdue, int breaches, int cGrades)
    {
        await FactsAsync(district, "disposal", disposals, onTime);
        await FactsAsync(district, "satisfied", satisfied, 0);
        await FactsAsync(district, "dissatisfied", dissatisfied, 0);
        await FactsAsync(district, "breach", breaches, 0);
        await FactsAsync(district, "c_grade", cGrades, 0);
        await using var cmd = Sql.CreateCommand("""
            insert into accountability.holding (reference_number, sequence, from_at, officer_id, position_id, level, department_id, jurisdiction_id, district_id, due_at, on_hold)
            select $1 || '-pending-' || lpad(g::text, 6, '0'), 2, timestamptz '2026-11-20 06:00Z', 'OFF-' || $1, 'POS-' || $1, 1, 'rural-development', $1, $1,
                   case when g <= $3 then timestamptz '2026-11-27 06:00Z' else timestamptz '2026-12-05 06:00Z' end, false
            from generate_series(1, $2) g
            """);
        cmd.Parameters.AddWithValue(district);
        cmd.Parameters.AddWithValue(pending);
        cmd.Parameters.AddWithValue(overdue);
        await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private async Task FactsAsync(string district, string kind, int count, int onTime)
    {
        await using var cmd = Sql.CreateCommand("""
            insert into accountability.fact (id, kind, reference_number, sequence, at, officer_id, position_id, level, department_id, jurisdiction_id, district_id, on_time, recorded_at)
            select gen_random_uuid(), $2, $1 || '-' || $2 || '-' || lpad(g::text, 6, '0'), 3, timestamptz '2026-11-10 06:00Z' + g * interval '1 minute',
                   'OFF-' || $1, 'POS-' || $1, 1, 'rural-development', $1, $1, case when $2 = 'disposal' then g <= $4 end, timestamptz '2026-11-10 06:00Z'
            from generate_series(1, $3) g
            """);
        cmd.Parameters.AddWithValue(district);
        cmd.Parameters.AddWithValue(kind);
        cmd.Parameters.AddWithValue(count);
        cmd.Parameters.AddWithValue(onTime);
        await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
