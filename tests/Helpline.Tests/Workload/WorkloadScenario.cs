using System.Globalization;
using System.Text.Json.Nodes;
using Helpline.Officers.Workload;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Helpline.Tests.Workload;

/// <summary>
/// A mix of grievances built through GraphQL with the fake clock, and officers' workload figures computed a second
/// way, straight from the read model's rows (<c>grievances.grievance</c>), to compare with what the officer grains say.
/// Starting Monday 2026-11-02 04:30 UTC (T0), rural development's 7-day block category (at risk at 75%):
/// <list type="bullet">
/// <item>A, registered at T0, breaches every level up to the top of its chain: overdue for the top officer;</item>
/// <item>F, resolved at T0 + 1 d: a disposal older than 7 days at the end;</item>
/// <item>E, registered at T0 + 30 d, resolved at T0 + 34 d: a disposal of the last 7 days;</item>
/// <item>C1 (T0 + 30 d) and C2 (T0 + 29.1 d): at risk at the end, C2 also due today (IST);</item>
/// <item>D (T0 + 30 d), put on hold; B (T0 + 35.5 d), open with time left.</item>
/// </list>
/// The end is T0 + 36 d. Everything but A stays with the block's L1 officer.
/// </summary>
internal sealed class WorkloadScenario(Func<string, object?, Task<GraphQLResponse>> graphql, FakeTimeProvider clock, string connectionString)
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);

    public const string WorkloadDocument = """
        query($o: String!) { officer(id: $o) { workload { open overdue atRisk onHold dueToday dueWithin24Hours nextDueAt oldestOpenAt
          loadScore disposedLast7Days attention { referenceNumber dueAt overdue level } } } }
        """;

    public const string AlertsDocument = "query($o: String!) { officer(id: $o) { alerts { at kind referenceNumber message } } }";

    private string _block = null!;
    private string _category = null!;

    public string L1Officer { get; private set; } = null!;

    public string L1Supervisor { get; private set; } = null!;

    public string A { get; private set; } = null!;

    public string C1 { get; private set; } = null!;

    /// <summary>Builds the mix and waits until the grievances have reached the states above.</summary>
    public async Task BuildAsync()
    {
        var cats = (await graphql("{ categories(departmentId: \"rural-development\") { id resolutionLevel slaDays } }", null)).Get("categories").AsArray();
        _category = cats.First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK" && c["slaDays"]![0]!.GetValue<int>() == 7)!["id"]!.GetValue<string>();
        var tree = await graphql("{ jurisdiction(id: \"district:162\") { children { id kind } } }", null);
        _block = tree.Get("jurisdiction.children").AsArray().First(c => c!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();

        A = await Register();
        var f = await Register();
        var first = await Grievance(f);
        L1Officer = first["officer"]!["id"]!.GetValue<string>();
        L1Supervisor = first["position"]!["supervisor"]!["holder"]!["id"]!.GetValue<string>();

        clock.SetUtcNow(T0.AddDays(1));
        await Resolve(f);

        clock.SetUtcNow(T0.AddDays(29.1));
        await Settle(A, g => g["breachedAtTop"]!.GetValue<bool>(), "A breached at the top of its chain");
        var c2 = await Register();
        clock.SetUtcNow(T0.AddDays(30));
        C1 = await Register();
        var d = await Register();
        var e = await Register();
        clock.SetUtcNow(T0.AddDays(30).AddHours(1));
        (await graphql(
            "mutation($r: String!, $o: String!) { pauseGrievance(referenceNumber: $r, officerId: $o, reason: \"Waiting for the job card copy\") { onHold } }",
            new { r = d, o = L1Officer })).Get("pauseGrievance");

        clock.SetUtcNow(T0.AddDays(34));
        await Resolve(e);
        clock.SetUtcNow(T0.AddDays(35.5));
        foreach (var atRisk in new[] { C1, c2 })
        {
            await Settle(atRisk, g => g["atRisk"]!.GetValue<bool>() && g["timeline"]!.AsArray().Any(t => t!["type"]!.GetValue<string>() == "AT_RISK"), $"{atRisk} announced at risk");
        }

        await Register();
        clock.SetUtcNow(T0.AddDays(36)); // nothing falls due between the last step and this one: the figures stay put
    }

    // Waits for the grievance to reach a state its timers lead to. An officer grain bounds its call to a grievance
    // with the (fake) clock and retries after a delay on that clock: a call still in flight when the test moved the
    // clock on may have been given up, so the clock is nudged a second at a time until the retry happens.
    private Task<JsonNode> Settle(string reference, Func<JsonNode, bool> done, string what) =>
        Wait.UntilAsync(
            async () =>
            {
                var g = await Grievance(reference);
                if (!done(g))
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                }

                return g;
            },
            done,
            what);

    /// <summary>Every officer who holds or held one of the grievances.</summary>
    public async Task<IReadOnlyList<string>> OfficersAsync()
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var cmd = data.CreateCommand("select distinct officer_id from grievances.grievance where officer_id is not null order by 1");
        var ids = new SortedSet<string>(StringComparer.Ordinal) { L1Officer, L1Supervisor };
        await using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            ids.Add(r.GetString(0));
        }

        return [.. ids];
    }

    /// <summary>The figures as <c>Officer.workload</c> reports them.</summary>
    public static Figures FromGraphQL(JsonNode w) => new(
        w["open"]!.GetValue<int>(),
        w["overdue"]!.GetValue<int>(),
        w["atRisk"]!.GetValue<int>(),
        w["onHold"]!.GetValue<int>(),
        w["dueToday"]!.GetValue<int>(),
        w["dueWithin24Hours"]!.GetValue<int>(),
        w["nextDueAt"]?.GetValue<DateTimeOffset>(),
        w["oldestOpenAt"]?.GetValue<DateTimeOffset>(),
        w["loadScore"]!.GetValue<double>(),
        w["disposedLast7Days"]?.GetValue<int>(),
        string.Join("; ", w["attention"]!.AsArray().Select(a => Attention(
            a!["referenceNumber"]!.GetValue<string>(), a["dueAt"]!.GetValue<DateTimeOffset>(), a["overdue"]!.GetValue<bool>(), a["level"]!.GetValue<int>()))));

    /// <summary>
    /// The figures worked out from the read model's rows at the clock's instant, by the rules <c>Officer.workload</c>
    /// documents (weights from <see cref="WorkloadScore"/>), without the officer grain's code.
    /// </summary>
    public async Task<Figures> FromReadModelAsync(string officerId)
    {
        var now = clock.GetUtcNow();
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var open = data.CreateCommand(
            "select reference_number, due_at, at_risk_at, on_hold_since is not null, level, registered_at from grievances.grievance where officer_id = $1 and status = 'Open' and due_at is not null");
        open.Parameters.AddWithValue(officerId);
        var rows = new List<(string Ref, DateTimeOffset Due, DateTimeOffset? AtRiskAt, bool Held, int Level, DateTimeOffset Registered)>();
        await using (var r = await open.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await r.ReadAsync(TestContext.Current.CancellationToken))
            {
                rows.Add((r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2), r.GetBoolean(3), r.GetInt32(4), r.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        await using var disposed = data.CreateCommand(
            "select count(*)::int from grievances.grievance where officer_id = $1 and status in ('Resolved', 'Rejected') and closed_at >= $2");
        disposed.Parameters.AddWithValue(officerId);
        disposed.Parameters.AddWithValue(now - TimeSpan.FromDays(7));
        var disposals = (int)(await disposed.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;

        var istToday = now.ToOffset(TimeSpan.FromHours(5.5)).Date;
        var running = rows.Where(g => !g.Held).ToList();
        var overdue = running.Where(g => g.Due < now).ToList();
        var ahead = running.Where(g => g.Due >= now).ToList();
        var atRisk = ahead.Where(g => g.AtRiskAt <= now).ToList();
        var today = ahead.Where(g => g.Due.ToOffset(TimeSpan.FromHours(5.5)).Date == istToday).ToList();
        var score = (rows.Count(g => g.Held) * WorkloadScore.OnHold) + (overdue.Count * WorkloadScore.Overdue) + (atRisk.Count * WorkloadScore.AtRisk)
            + (today.Count(g => !atRisk.Contains(g)) * WorkloadScore.DueToday) + (ahead.Count(g => !atRisk.Contains(g) && !today.Contains(g)) * WorkloadScore.Open);
        var attention = overdue.Select(g => (g.Ref, g.Due, Overdue: true, g.Level)).Concat(atRisk.Select(g => (g.Ref, g.Due, Overdue: false, g.Level)))
            .OrderBy(a => a.Due).ThenBy(a => a.Ref, StringComparer.Ordinal);
        return new Figures(
            rows.Count,
            overdue.Count,
            atRisk.Count,
            rows.Count(g => g.Held),
            today.Count,
            ahead.Count(g => g.Due <= now.AddHours(24)),
            ahead.Count == 0 ? null : ahead.Min(g => g.Due),
            rows.Count == 0 ? null : rows.Min(g => g.Registered),
            score,
            disposals,
            string.Join("; ", attention.Select(a => Attention(a.Ref, a.Due, a.Overdue, a.Level))));
    }

    private static string Attention(string reference, DateTimeOffset due, bool overdue, int level) =>
        string.Create(CultureInfo.InvariantCulture, $"{reference} due {due.UtcDateTime:O} {(overdue ? "overdue" : "at risk")} L{level}");

    private async Task<string> Register()
    {
        var r = await graphql(Complaints.Register, Complaints.Input("workload-" + Guid.NewGuid().ToString("N"), _block, _category));
        return r.Get("registerGrievance.referenceNumber").GetValue<string>();
    }

    private async Task Resolve(string reference) =>
        (await graphql(
            "mutation($r: String!, $o: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: \"Job card issued\") { status } }",
            new { r = reference, o = L1Officer })).Get("resolveGrievance");

    private async Task<JsonNode> Grievance(string reference) =>
        (await graphql(
            "query($r: String!) { grievance(referenceNumber: $r) { atRisk breachedAtTop officer { id } position { supervisor { holder { id } } } timeline { type } } }",
            new { r = reference })).Get("grievance");
}

/// <summary>An officer's workload figures, comparable as a whole.</summary>
internal sealed record Figures(
    int Open,
    int Overdue,
    int AtRisk,
    int OnHold,
    int DueToday,
    int DueWithin24Hours,
    DateTimeOffset? NextDueAt,
    DateTimeOffset? OldestOpenAt,
    double LoadScore,
    int? DisposedLast7Days,
    string Attention);
