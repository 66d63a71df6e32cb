using Helpline.Grievances.Jobs;
using Helpline.Grievances.ReadModel;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// The grievances list's filters, orders, page limits and counts, and the dashboard, over GraphQL against real
/// PostgreSQL. Rows are written straight into the read model so that every instant is exactly where a boundary is.
/// </summary>
public sealed class GrievanceListTests() : HostedTest(new FakeTimeProvider(Now))
{
    private static readonly DateTimeOffset Now = new(2026, 11, 10, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Before = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private const string District = "district:162";
    private const string Officer = "OFF-list-1";

    private int _next;

    private async Task<string> Insert(
        DateTimeOffset registered, DateTimeOffset? due = null, DateTimeOffset? disposed = null, DateTimeOffset? closed = null,
        DateTimeOffset? changed = null, string status = "Open", string channel = "Phone", string kind = "Complaint", int level = 1,
        string department = "rural-development", string mobile = "9415012345", string officer = Officer,
        DateTimeOffset? atRisk = null, DateTimeOffset? onHold = null, string? reference = null, string position = "POS-list")
    {
        reference ??= $"L{Interlocked.Increment(ref _next):D11}";
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(
            """
            insert into grievances.grievance (
                reference_number, grain_key, kind, status, channel, complainant_name, complainant_mobile, jurisdiction_id,
                jurisdiction_path, category_id, department_id, description, position_id, officer_id, level, registered_at,
                due_at, breached, breached_at_top, closed_at, registered_by, version, at_risk_at, on_hold_since, last_changed_at, final_closed_at)
            values ($1, $1, $2, $3, $4, 'Ramesh Kumar', $5, $6, array[$6, 'state:9'], 'cat', $7, 'x', $17, $8, $9, $10,
                    $11, false, false, $12, 'agent-test', 1, $13, $14, $15, $16)
            """, conn);
        foreach (var v in new object?[] { reference, kind, status, channel, mobile, District, department, officer, level, registered, due, disposed, atRisk, onHold, changed ?? registered, closed, position })
        {
            cmd.Parameters.Add(v is null
                ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz }
                : new NpgsqlParameter { Value = v is DateTimeOffset d ? d.ToUniversalTime() : v });
        }

        await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return reference;
    }

    private async Task<(long Total, List<string> Refs)> List(string filter, string? bearer = null, object? variables = null)
    {
        var r = await Host.GraphQLAsync($"query {{ grievances(filter: {filter}, first: 100) {{ totalCount nodes {{ referenceNumber }} }} }}", variables, bearer);
        Assert.Null(r.Errors);
        return (r.Get("grievances.totalCount").GetValue<long>(), r.Get("grievances.nodes").AsArray().Select(n => n!["referenceNumber"]!.GetValue<string>()).ToList());
    }

    // The rows listed are exactly these, and totalCount agrees.
    private static void Listed(List<string> expected, (long Total, List<string> Refs) actual)
    {
        Assert.Equal(expected, actual.Refs);
        Assert.Equal(expected.Count, actual.Total);
    }

    [Theory]
    [InlineData("registered")]
    [InlineData("due")]
    [InlineData("disposed")]
    [InlineData("closed")]
    public async Task An_instant_range_includes_its_start_and_excludes_its_end_whatever_the_offsets(string field)
    {
        async Task<string> At(DateTimeOffset at) => field switch
        {
            "registered" => await Insert(at),
            "due" => await Insert(From.AddDays(-5), due: at),
            "disposed" => await Insert(From.AddDays(-5), status: "Resolved", disposed: at),
            _ => await Insert(From.AddDays(-5), status: "Closed", disposed: From.AddDays(-4), closed: at),
        };

        var atFrom = await At(From);
        var inside = await At(From.AddHours(7));
        await At(Before);
        await At(From.AddTicks(-10));
        await Insert(From.AddDays(-9)); // no instant of the kind at all (registered outside, not due, not disposed)

        // 05:30 on 1 November in India is midnight UTC: the same instant as From.
        var ist = await List($$"""{ {{field}}: { from: "2026-11-01T05:30:00+05:30", before: "2026-11-02T00:00:00Z" } }""");
        var utc = await List($$"""{ {{field}}: { from: "2026-11-01T00:00:00Z", before: "2026-11-01T19:00:00-05:00" } }""");
        Assert.Equal(2, ist.Total);
        Assert.Equal([atFrom, inside], ist.Refs.Order(StringComparer.Ordinal));
        Assert.Equal(ist.Total, utc.Total);
        Assert.Equal(ist.Refs, utc.Refs);
    }

    [Theory]
    [InlineData("registered", """{ registered: { from: "2026-11-02T05:30:00+05:30", before: "2026-11-02T00:00:00Z" } }""")]
    [InlineData("due", """{ due: { from: "2026-11-02T00:00:00Z", before: "2026-11-01T00:00:00Z" } }""")]
    public async Task A_range_whose_start_is_not_before_its_end_is_refused_naming_the_filter(string field, string filter)
    {
        var r = await Host.GraphQLAsync($"query {{ grievances(filter: {filter}) {{ totalCount }} }}");
        Assert.Equal(("INVALID_VALUE", $"filter.{field}"), (r.FirstErrorCode, r.FirstErrorField));
    }

    [Fact]
    public async Task Channel_kind_and_level_filter_rows_and_counts_alike()
    {
        var web = await Insert(From, channel: "Web");
        var info = await Insert(From, kind: "Information");
        var l3 = await Insert(From, level: 3);
        await Insert(From);

        Listed([web], await List("{ channel: WEB }"));
        Listed([info], await List("{ kind: INFORMATION }"));
        Listed([l3], await List("{ level: 3 }"));
        Listed([l3], await List($$"""{ level: 3, jurisdictionId: "{{District}}", status: OPEN }"""));
        var bad = await Host.GraphQLAsync("{ grievances(filter: { level: 5 }) { totalCount } }");
        Assert.Equal(("INVALID_VALUE", "filter.level"), (bad.FirstErrorCode, bad.FirstErrorField));
    }

    [Fact]
    public async Task The_mobile_filter_is_for_officers_and_supervisors_only()
    {
        var mine = await Insert(From, mobile: "9415012345");
        await Insert(From, mobile: "9415099999");
        var officer = TestTokens.Mint(Role.Officer, Officer);
        Listed([mine], await List("""{ complainantMobile: "+91 94150 12345" }""", officer));

        foreach (var role in new[] { Role.Partner, Role.Auditor, Role.Administrator })
        {
            var r = await Host.GraphQLAsync("""{ grievances(filter: { complainantMobile: "9415012345" }) { totalCount } }""", bearer: TestTokens.Mint(role, "someone"));
            Assert.Equal(("MOBILE_FILTER_NOT_ALLOWED", "filter.complainantMobile"), (r.FirstErrorCode, r.FirstErrorField));
        }
    }

    [Theory]
    [InlineData("REGISTERED_AT", "ASC")]
    [InlineData("REGISTERED_AT", "DESC")]
    [InlineData("DUE_AT", "ASC")]
    [InlineData("DUE_AT", "DESC")]
    [InlineData("LAST_CHANGED_AT", "ASC")]
    [InlineData("LAST_CHANGED_AT", "DESC")]
    public async Task Each_order_pages_through_every_row_once_ties_broken_by_reference_number(string field, string direction)
    {
        // Ties on every key (two rows share each instant), a row without a due date, and keys that disagree between
        // the orders.
        var rows = new List<(string Ref, DateTimeOffset Registered, DateTimeOffset? Due, DateTimeOffset Changed)>();
        for (var i = 0; i < 7; i++)
        {
            var registered = From.AddHours(i / 2);
            DateTimeOffset? due = i == 3 ? null : From.AddDays(10 - (i / 2));
            var changed = From.AddHours(20 + ((i * 5) % 7 / 2));
            rows.Add((await Insert(registered, due: due, changed: changed), registered, due, changed));
        }

        var desc = direction == "DESC";
        Func<(string Ref, DateTimeOffset Registered, DateTimeOffset? Due, DateTimeOffset Changed), DateTimeOffset> key = field switch
        {
            "REGISTERED_AT" => r => r.Registered,
            "DUE_AT" => r => r.Due ?? DateTimeOffset.MaxValue,
            _ => r => r.Changed,
        };
        var expected = (desc
                ? rows.OrderByDescending(key).ThenByDescending(r => r.Ref, StringComparer.Ordinal)
                : rows.OrderBy(key).ThenBy(r => r.Ref, StringComparer.Ordinal))
            .Select(r => r.Ref).ToList();

        var q = $"query($after: String) {{ grievances(orderBy: {{ field: {field}, direction: {direction} }}, first: 2, after: $after) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ referenceNumber }} }} }}";
        var seen = new List<string>();
        string? after = null;
        for (var page = 0; page < 4; page++)
        {
            var r = await Host.GraphQLAsync(q, new { after });
            Assert.Null(r.Errors);
            Assert.Equal(7, r.Get("grievances.totalCount").GetValue<long>());
            seen.AddRange(r.Get("grievances.nodes").AsArray().Select(n => n!["referenceNumber"]!.GetValue<string>()));
            Assert.Equal(page < 3, r.Get("grievances.pageInfo.hasNextPage").GetValue<bool>());
            after = r.Get("grievances.pageInfo.endCursor").GetValue<string>();
        }

        Assert.Equal(expected, seen);

        // Past the end: an empty page, no next page.
        var past = await Host.GraphQLAsync(q, new { after });
        Assert.Empty(past.Get("grievances.nodes").AsArray());
        Assert.False(past.Get("grievances.pageInfo.hasNextPage").GetValue<bool>());

        // The same cursor in another order is refused.
        var other = field == "REGISTERED_AT" ? "DUE_AT" : "REGISTERED_AT";
        var mismatch = await Host.GraphQLAsync(
            $"query($after: String) {{ grievances(orderBy: {{ field: {other}, direction: {direction} }}, first: 2, after: $after) {{ totalCount }} }}", new { after });
        Assert.Equal(("CURSOR_ORDER_MISMATCH", "after"), (mismatch.FirstErrorCode, mismatch.FirstErrorField));
    }

    [Fact]
    public async Task The_largest_page_is_100_and_a_larger_one_is_refused_naming_the_argument()
    {
        await Insert(From);
        var ok = await Host.GraphQLAsync("{ grievances(first: 100) { totalCount } }");
        Assert.Null(ok.Errors);
        var tooMany = await Host.GraphQLAsync("{ grievances(first: 101) { totalCount } }");
        // The transport's page cap refuses it before anything runs.
        Assert.Equal(("PAGE_TOO_LARGE", "grievances.first"), (tooMany.FirstErrorCode, tooMany.FirstErrorField));
    }

    [Fact]
    public async Task Counts_stay_exact_through_changes_before_and_after_the_fold()
    {
        var a = await Insert(From);
        var b = await Insert(From, department: "revenue");
        await Insert(From, status: "Resolved", disposed: From.AddDays(1));
        var queries = Host.Services.GetRequiredService<GrievanceQueries>();

        async Task Check()
        {
            foreach (var filter in new[]
                     {
                         "{}", "{ status: OPEN }", $$"""{ jurisdictionId: "{{District}}" }""", """{ departmentId: "revenue" }""",
                         "{ onHold: true }", "{ onHold: false, level: 1 }", $$"""{ jurisdictionId: "{{District}}", status: RESOLVED, departmentId: "rural-development" }""",
                     })
            {
                var listed = await List(filter);
                Assert.Equal(listed.Refs.Count, listed.Total);
            }
        }

        await Check();
        await using (var conn = new NpgsqlConnection(Db.ConnectionString))
        {
            await conn.OpenAsync(TestContext.Current.CancellationToken);
            await using var cmd = new NpgsqlCommand("update grievances.grievance set status = 'Rejected', closed_at = $2 where reference_number = $1", conn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
            cmd.Parameters.Add(new NpgsqlParameter { Value = From.AddDays(2) });
            await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            await using var hold = new NpgsqlCommand("update grievances.grievance set on_hold_since = $2, department_id = 'revenue' where reference_number = $1", conn);
            hold.Parameters.Add(new NpgsqlParameter { Value = b });
            hold.Parameters.Add(new NpgsqlParameter { Value = From.AddDays(2) });
            await hold.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await Check();
        await queries.FoldCountsAsync(TestContext.Current.CancellationToken);
        await Check();
        Listed([b], await List("{ onHold: true }"));
        await using var count = new NpgsqlConnection(Db.ConnectionString);
        await count.OpenAsync(TestContext.Current.CancellationToken);
        await using var deltas = new NpgsqlCommand("select count(*) from grievances.grievance_count_delta", count);
        Assert.Equal(0L, (long)(await deltas.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    [Fact]
    public async Task A_fold_of_a_bulk_load_vacuums_the_delta_table_so_later_folds_read_no_emptied_pages()
    {
        // Only this test's run of the job folds: the scheduled one must not take the deltas first.
        var scheduler = await Host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        await scheduler.PauseJob(CountFoldJob.Key, TestContext.Current.CancellationToken);
        var a = await Insert(From);
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);

        async Task<long> Scalar(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        // What an import leaves: a delta per row, here in pairs that cancel out so every count stays as it was.
        await Scalar($$"""
            insert into grievances.grievance_count_delta
            select array['{{District}}', 'state:9'], 'rural-development', 'Open', 1, false, case when i % 2 = 0 then 1 else -1 end
            from generate_series(1, 30000) i
            """);
        Assert.True(await Scalar("select pg_relation_size('grievances.grievance_count_delta') / 8192") > CountFoldJob.ShrinkAbovePages);

        // A vacuum frees nothing while a transaction older than the fold still runs (the host's own background work):
        // the next fold tries again, as the scheduled job would every 5 seconds.
        var job = ActivatorUtilities.CreateInstance<CountFoldJob>(Host.Services);
        var pages = long.MaxValue;
        for (var run = 0; run < 20 && pages > 0; run++)
        {
            await job.Execute(null!, TestContext.Current.CancellationToken);
            pages = await Scalar("select pg_relation_size('grievances.grievance_count_delta')");
            if (pages > 0)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(0L, await Scalar("select count(*) from grievances.grievance_count_delta"));
        Assert.Equal(0L, pages);
        Listed([a], await List("{ status: OPEN }"));
        Assert.Equal(1L, (await List("{}")).Total);
    }

    [Fact]
    public async Task A_fold_does_not_queue_its_vacuum_behind_another_session_holding_the_delta_table()
    {
        var scheduler = await Host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        await scheduler.PauseJob(CountFoldJob.Key, TestContext.Current.CancellationToken);
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using (var fill = new NpgsqlCommand(
            $"insert into grievances.grievance_count_delta select array['{District}'], 'rural-development', 'Open', 1, false, 1 - 2 * (i % 2) from generate_series(1, 30000) i", conn))
        {
            await fill.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // What a manual VACUUM or ANALYZE, or an index build, holds: a vacuum of the fold's would wait behind it.
        await using var holder = new NpgsqlConnection(Db.ConnectionString);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using var tx = await holder.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var hold = new NpgsqlCommand("lock table grievances.grievance_count_delta in share update exclusive mode", holder, tx))
        {
            await hold.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var job = ActivatorUtilities.CreateInstance<CountFoldJob>(Host.Services);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        await job.Execute(null!, deadline.Token); // a vacuum that queued would wait here until the holder commits

        await using var size = new NpgsqlCommand("select pg_relation_size('grievances.grievance_count_delta') / 8192", conn);
        Assert.True((long)(await size.ExecuteScalarAsync(TestContext.Current.CancellationToken))! > CountFoldJob.ShrinkAbovePages);
        await tx.CommitAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_dashboard_counts_by_status_overdue_at_risk_and_on_hold_per_department_within_the_scope()
    {
        await Insert(From, due: Now.AddHours(-1));                                          // overdue
        await Insert(From, due: Now, atRisk: Now.AddHours(-1));                             // due exactly now: at risk, not overdue
        await Insert(From, due: Now.AddDays(1), atRisk: Now.AddHours(1));                   // clock running, not yet at risk
        await Insert(From, due: Now.AddHours(-1), onHold: From.AddDays(1));                 // on hold: neither overdue nor at risk
        await Insert(From, status: "Resolved", disposed: From.AddDays(1), due: Now.AddHours(-1));
        await Insert(From, department: "revenue", due: Now.AddDays(-1));                     // overdue, another department

        const string q = """
            query($j: String, $d: String) { grievanceDashboard(jurisdictionId: $j, departmentId: $d) {
              asOf total { total open overdue atRisk onHold byStatus { status count } }
              departments { departmentId figures { total open overdue atRisk onHold } } } }
            """;
        var all = (await Host.GraphQLAsync(q, new { j = District })).Get("grievanceDashboard");
        Assert.Equal(Now, all["asOf"]!.GetValue<DateTimeOffset>());
        var total = all["total"]!;
        Assert.Equal((6, 5, 2, 1, 1), (total["total"]!.GetValue<int>(), total["open"]!.GetValue<int>(), total["overdue"]!.GetValue<int>(), total["atRisk"]!.GetValue<int>(), total["onHold"]!.GetValue<int>()));
        Assert.Equal(["OPEN:5", "RESOLVED:1"], total["byStatus"]!.AsArray().Select(s => $"{s!["status"]!.GetValue<string>()}:{s["count"]!.GetValue<long>()}"));
        var departments = all["departments"]!.AsArray().ToDictionary(d => d!["departmentId"]!.GetValue<string>(), d => d!["figures"]!);
        Assert.Equal((1, 1), (departments["revenue"]["total"]!.GetValue<int>(), departments["revenue"]["overdue"]!.GetValue<int>()));
        Assert.Equal((5, 1, 1), (departments["rural-development"]["total"]!.GetValue<int>(), departments["rural-development"]["overdue"]!.GetValue<int>(), departments["rural-development"]["onHold"]!.GetValue<int>()));

        // A partner limited to the revenue department sees only its figures.
        var partner = TestTokens.Mint(Role.Partner, "dash-partner", departments: ["revenue"]);
        var scoped = (await Host.GraphQLAsync(q, new { j = District }, partner)).Get("grievanceDashboard");
        Assert.Equal((1, 1), (scoped["total"]!["total"]!.GetValue<int>(), scoped["departments"]!.AsArray().Count));

        var unknown = await Host.GraphQLAsync(q, new { j = "district:999999" });
        Assert.Equal(("UNKNOWN_JURISDICTION", "jurisdictionId"), (unknown.FirstErrorCode, unknown.FirstErrorField));
    }

    // The sweeps' holder queries hop along an index from one holder to the next instead of reading every open row:
    // they must answer exactly what "select distinct" answers, whatever lies between the holders in the index.
    [Fact]
    public async Task The_sweeps_holder_queries_answer_exactly_the_distinct_holders_of_open_grievances()
    {
        var queries = Host.Services.GetRequiredService<GrievanceQueries>();
        var ct = TestContext.Current.CancellationToken;
        Assert.Empty(await queries.OpenHoldingsAsync(ct));
        Assert.Empty(await queries.OfficersWithOpenDeadlinesAsync(ct));

        var due = From.AddDays(7);
        await Insert(From, due, position: "P1", officer: "O1");
        await Insert(From, due, position: "P1", officer: "O1");
        await Insert(From, position: "P1", officer: "O2");
        await Insert(From, due, status: "Resolved", disposed: Before, position: "P2", officer: "O1");
        await Insert(From, due, position: "P2", officer: "O3");
        await Insert(From, due, status: "Closed", disposed: Before, position: "P0", officer: "O9");
        await Insert(From, position: "P3", officer: "O1");
        await Insert(From, position: "P4", officer: "O4");      // O4's first open rows have no due date; a later one has
        await Insert(From, position: "P4", officer: "O4");
        await Insert(From, due, position: "P5", officer: "O4");
        await Insert(From, position: "P6", officer: "O5");      // open, but nothing due
        await Insert(From, due, status: "Resolved", disposed: Before, position: "P7", officer: "O6");

        var holdings = (await queries.OpenHoldingsAsync(ct)).Select(h => $"{h.PositionId}/{h.OfficerId}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["P1/O1", "P1/O2", "P2/O3", "P3/O1", "P4/O4", "P5/O4", "P6/O5"], holdings);
        Assert.Equal(await DistinctAsync("select distinct position_id || '/' || officer_id from grievances.grievance where status = 'Open'"), holdings);

        var officers = (await queries.OfficersWithOpenDeadlinesAsync(ct)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["O1", "O3", "O4"], officers);
        Assert.Equal(await DistinctAsync("select distinct officer_id from grievances.grievance where status = 'Open' and due_at is not null"), officers);
    }

    private async Task<List<string>> DistinctAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }
}
