using System.Net;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// Historical import over GraphQL: the source's own world is created under its own root, each record goes through
/// the lifecycle with the source's times, SLA verdicts follow the source's due dates, re-imports add nothing,
/// bad records are rejected one by one, and only the importing role may import.
/// </summary>
public sealed class ImportTests : HostedTest
{
    private const string Mutation = """
        mutation($records: [ImportGrievanceInput!]!) {
          importGrievances(records: $records) {
            sourceId outcome referenceNumber status breached errorCode errorField errorMessage
            grievance { level dueAt closedAt registeredAt jurisdiction { id kind parent { id name } } category { id name department { id } }
                        officer { id position { title } } timeline { type at actor } }
          }
        }
        """;

    private static object Record(string id, string opened, string? due, string? closed, string? area = "Jamaica Plain", string type = "Pick up Dead Animal") => new
    {
        source = "boston311",
        sourceName = "Boston",
        timeZone = "America/New_York",
        sourceId = id,
        department = "PWDx",
        category = type,
        area,
        description = type,
        registeredAt = opened,
        dueAt = due,
        closedAt = closed,
        closure = closed is null ? null : "Case Closed Case Resolved",
    };

    private Task<GraphQLResponse> Import(params object[] records) =>
        Host.GraphQLAsync(Mutation, new { records }, DefaultCallers.ImporterToken);

    [Fact]
    public async Task Records_land_in_the_sources_own_world_with_verdicts_from_the_sources_due_dates()
    {
        // Boston local times converted to UTC by the caller (EST = UTC-5 in January).
        var r = await Import(
            Record("101001240816", "2015-01-01T18:09:57Z", "2015-01-05T13:30:00Z", "2015-01-02T23:32:22Z"),          // closed on time
            Record("101001240819", "2015-01-01T18:20:33Z", "2015-01-05T13:30:00Z", "2015-01-05T15:04:20Z"),          // closed late
            Record("101001240900", "2015-01-02T10:00:00Z", "2015-01-06T10:00:00Z", null),                            // open, long overdue
            Record("101001240901", "2015-01-02T10:00:00Z", null, null, area: null),                                  // open, no SLA, no area
            Record("101001240902", "2015-01-03T10:00:00Z", "2015-01-08T10:00:00Z", "2015-01-02T10:00:00Z"));         // closed before opened

        var results = r.Get("importGrievances").AsArray();
        Assert.Equal(["IMPORTED", "IMPORTED", "IMPORTED", "IMPORTED", "REJECTED"], results.Select(x => x!["outcome"]!.GetValue<string>()));

        var onTime = results[0]!;
        Assert.Equal("RESOLVED", onTime["status"]!.GetValue<string>());
        Assert.False(onTime["breached"]!.GetValue<bool>());
        var g = onTime["grievance"]!;
        Assert.Equal(new DateTimeOffset(2015, 1, 1, 18, 9, 57, TimeSpan.Zero), g["registeredAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2015, 1, 2, 23, 32, 22, TimeSpan.Zero), g["closedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("area:boston311:jamaica-plain", g["jurisdiction"]!["id"]!.GetValue<string>());
        Assert.Equal("AREA", g["jurisdiction"]!["kind"]!.GetValue<string>());
        Assert.Equal(("city:boston311", "Boston"), (g["jurisdiction"]!["parent"]!["id"]!.GetValue<string>(), g["jurisdiction"]!["parent"]!["name"]!.GetValue<string>()));
        Assert.Equal("boston311-pwdx", g["category"]!["department"]!["id"]!.GetValue<string>());
        Assert.Equal("Pick up Dead Animal", g["category"]!["name"]!.GetValue<string>());
        Assert.StartsWith("15", onTime["referenceNumber"]!.GetValue<string>());

        var late = results[1]!;
        Assert.True(late["breached"]!.GetValue<bool>());
        Assert.Equal("RESOLVED", late["status"]!.GetValue<string>());
        var lateTimeline = late["grievance"]!["timeline"]!.AsArray().Select(e => (e!["type"]!.GetValue<string>(), e["at"]!.GetValue<DateTimeOffset>())).ToList();
        Assert.Equal(
            [("REGISTERED", new DateTimeOffset(2015, 1, 1, 18, 20, 33, TimeSpan.Zero)), ("ROUTED", new DateTimeOffset(2015, 1, 1, 18, 20, 33, TimeSpan.Zero)),
             ("BREACHED", new DateTimeOffset(2015, 1, 5, 13, 30, 0, TimeSpan.Zero)), ("ESCALATED", new DateTimeOffset(2015, 1, 5, 13, 30, 0, TimeSpan.Zero)),
             ("RESOLVED", new DateTimeOffset(2015, 1, 5, 15, 4, 20, TimeSpan.Zero))],
            lateTimeline);
        Assert.Equal(2, late["grievance"]!["level"]!.GetValue<int>());

        var overdue = results[2]!;
        Assert.Equal("OPEN", overdue["status"]!.GetValue<string>());
        Assert.True(overdue["breached"]!.GetValue<bool>());

        var noSla = results[3]!;
        Assert.Equal("OPEN", noSla["status"]!.GetValue<string>());
        Assert.False(noSla["breached"]!.GetValue<bool>());
        Assert.Null(noSla["grievance"]!["dueAt"]);
        Assert.Equal("city:boston311", noSla["grievance"]!["jurisdiction"]!["id"]!.GetValue<string>());

        var rejected = results[4]!;
        Assert.Equal("INVALID_VALUE", rejected["errorCode"]!.GetValue<string>());
        Assert.Equal("records[4].closedAt", rejected["errorField"]!.GetValue<string>());

        // Uttar Pradesh's tree is untouched: Boston is a separate root.
        var roots = await Host.GraphQLAsync("{ jurisdictions { id } }");
        Assert.Equal(["state:9", "city:boston311"], roots.Get("jurisdictions").AsArray().Select(j => j!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task Local_times_are_read_in_the_records_zone_the_repeated_hour_is_the_earlier_instant_and_offsets_become_UTC()
    {
        // New York, 1 Nov 2015: 01:30 happened twice (EDT −04:00 then EST −05:00); the earlier is 05:30 UTC.
        // Due 3 Nov 09:00 local, EST: 14:00 UTC. Closed at 2 Nov 20:30 +05:30 (a non-zero offset): 15:00 UTC.
        // The due date had not passed at closing (15:00 on the 2nd < 14:00 on the 3rd), so it closed on time.
        var r = (await Import(Record("501", "2015-11-01T01:30:00", "2015-11-03 09:00", "2015-11-02T20:30:00+05:30"))).Get("importGrievances").AsArray();
        var result = Assert.Single(r)!;
        Assert.Equal(("IMPORTED", false), (result["outcome"]!.GetValue<string>(), result["breached"]!.GetValue<bool>()));
        var g = result["grievance"]!;
        Assert.Equal(new DateTimeOffset(2015, 11, 1, 5, 30, 0, TimeSpan.Zero), g["registeredAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2015, 11, 3, 14, 0, 0, TimeSpan.Zero), g["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2015, 11, 2, 15, 0, 0, TimeSpan.Zero), g["closedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2015, 11, 1, 5, 30, 0, TimeSpan.Zero), g["timeline"]![0]!["at"]!.GetValue<DateTimeOffset>());

        var notes = await Host.GraphQLAsync(
            "query($r: String!) { grievance(referenceNumber: $r) { timeline { type note } } }", new { r = result["referenceNumber"]!.GetValue<string>() });
        Assert.Contains("occurred twice in America/New_York (the clocks went back); read as the earlier instant, 2015-11-01 05:30:00 UTC.", notes.Get("grievance.timeline").AsArray()[0]!["note"]!.GetValue<string>(), StringComparison.Ordinal);

        var bad = Assert.Single((await Import(Record("502", "11/01/2015 01:30", null, null))).Get("importGrievances").AsArray())!;
        Assert.Equal(("REJECTED", "INVALID_VALUE"), (bad["outcome"]!.GetValue<string>(), bad["errorCode"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_due_instant_finer_than_a_microsecond_is_stored_as_the_database_keeps_it_and_breaches_after_a_restart()
    {
        // The fault benchmark's due instants carried 100 ns ticks: the grain kept them, the read model kept
        // microseconds, and an officer re-armed from the read model after a silo's death named an instant the grain did
        // not recognise, so the grievance was never breached.
        var open = (await Import(Record("101001249999", "2026-11-01T10:00:00Z", "2026-11-03T10:00:00.1234567Z", null))).Get("importGrievances.0");
        Assert.Equal("IMPORTED", open["outcome"]!.GetValue<string>());
        var due = new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
        Assert.Equal(due, open["grievance"]!["dueAt"]!.GetValue<DateTimeOffset>());
        var reference = open["referenceNumber"]!.GetValue<string>();

        await Host.StopAsync();
        await Host.StartAsync();
        Host.Clock.SetUtcNow(due.AddSeconds(1));
        var escalated = await Wait.UntilAsync(
            async () => (await Host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { level breached dueAt } }", new { r = reference })).Get("grievance"),
            g => g["breached"]!.GetValue<bool>(),
            "the breach of the imported grievance after a restart");
        Assert.Equal(2, escalated["level"]!.GetValue<int>());
    }

    [Fact]
    public async Task Importing_the_same_records_again_creates_nothing()
    {
        var batch = new[]
        {
            Record("201", "2015-03-01T15:00:00Z", "2015-03-05T15:00:00Z", "2015-03-02T15:00:00Z"),
            Record("202", "2015-03-01T15:00:00Z", "2015-03-05T15:00:00Z", null, area: "Roxbury", type: "Request for Pothole Repair"),
        };
        var first = (await Import(batch)).Get("importGrievances").AsArray();
        var before = await CountRows();
        var second = (await Import(batch)).Get("importGrievances").AsArray();

        Assert.All(first, x => Assert.Equal("IMPORTED", x!["outcome"]!.GetValue<string>()));
        Assert.All(second, x => Assert.Equal("ALREADY_PRESENT", x!["outcome"]!.GetValue<string>()));
        Assert.Equal(
            first.Select(x => x!["referenceNumber"]!.GetValue<string>()),
            second.Select(x => x!["referenceNumber"]!.GetValue<string>()));
        Assert.Equal(before, await CountRows());
    }

    [Fact]
    public async Task Reimporting_a_source_id_with_different_content_is_refused_as_a_reused_key_and_changes_nothing()
    {
        var first = (await Import(Record("211", "2015-03-01T15:00:00Z", null, null))).Get("importGrievances").AsArray()[0]!;
        var before = await CountRows();

        // Issue 8, defect 7: this answered ALREADY_PRESENT, hiding that the source sent something else under the same id.
        var changed = (await Import(Record("211", "2015-03-01T16:00:00Z", null, null))).Get("importGrievances").AsArray()[0]!;
        Assert.Equal(("REJECTED", "IDEMPOTENCY_KEY_REUSED", "records[0].sourceId"), (changed["outcome"]!.GetValue<string>(), changed["errorCode"]!.GetValue<string>(), changed["errorField"]!.GetValue<string>()));
        Assert.Contains(first["referenceNumber"]!.GetValue<string>(), changed["errorMessage"]!.GetValue<string>().Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(before, await CountRows());
    }

    [Fact]
    public async Task Only_the_importing_role_may_import_and_a_normal_agent_may_not()
    {
        var records = new { records = new[] { Record("301", "2015-03-01T15:00:00Z", null, null) } };
        var none = await Host.GraphQLAsync(Mutation, records, HelplineTestHost.NoToken);
        Assert.Equal((HttpStatusCode.Unauthorized, "AUTHENTICATION_REQUIRED"), (none.Status, none.FirstErrorCode));
        var agent = await Host.GraphQLAsync(Mutation, records, TestTokens.Mint(Role.Agent, "agent-1"));
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (agent.Status, agent.FirstErrorCode));
        var wrong = await Host.GraphQLAsync(Mutation, records, "not-the-token");
        Assert.Equal((HttpStatusCode.Unauthorized, "TOKEN_MALFORMED"), (wrong.Status, wrong.FirstErrorCode));
        Assert.Equal(0, await CountRows());
    }

    [Fact]
    public async Task Batches_must_hold_1_to_200_records()
    {
        var tooMany = Enumerable.Range(0, 201).Select(i => Record($"4{i:000}", "2015-03-01T15:00:00Z", null, null)).ToArray();
        var r = await Import(tooMany);
        Assert.Equal("INVALID_VALUE", r.FirstErrorCode);
        Assert.Equal(0, await CountRows());
    }

    private async Task<long> CountRows()
    {
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from grievances.grievance", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
