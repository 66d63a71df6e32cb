using System.Net;
using System.Text.Json.Nodes;
using Helpline.LoadTests.Replay;
using Helpline.LoadTests.Replay.Sources;

namespace Helpline.Tests.Replay;

/// <summary>
/// The client side of a replay against <see cref="FakeImportServer"/> (an HttpMessageHandler: no server, no
/// database): batching, the bearer token, what is sent, the server's outcomes in the report and the rejects,
/// idempotent re-runs, retries, a refused token, 413 splitting, concurrency, rate and stopping.
/// The end-to-end run against the real host lives with the host's tests.
/// </summary>
public sealed class ReplayRunnerTests
{
    private const string Head = "boston311_head300.csv";
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<(ReplayReport Report, RejectList Rejects)> Run(
        FakeImportServer server, ReplayOptions options, string file = Head)
    {
        using var http = server.Client();
        var rejects = new RejectList();
        await using var stream = File.OpenRead(ReplayTestData.PathOf(file));
        var source = ReplaySources.Open(ReplayTestData.FormatOf(file), stream);
        var runner = new ReplayRunner(http, options with { VerdictsAsOf = ReplayTestData.Now, RetryDelay = TimeSpan.FromMilliseconds(10) });
        var report = await runner.RunAsync(source, rejects, ReplayTestData.FormatOf(file).ToString().ToLowerInvariant(), file, null, Token);
        return (report, rejects);
    }

    [Fact]
    public async Task Records_go_in_batches_with_the_token_to_graphql_and_all_are_counted()
    {
        var server = new FakeImportServer();

        var (report, rejects) = await Run(server, new ReplayOptions { Batch = 40, Concurrency = 3, Token = "secret-1" });

        Assert.Equal(300, report.Read);
        Assert.Equal(300, report.Imported);
        Assert.Equal(0, report.Rejected + report.Failed + report.AlreadyPresent);
        Assert.Empty(rejects.Items);
        Assert.Equal([40, 40, 40, 40, 40, 40, 40, 20], server.BatchSizes.Order().Reverse().ToList());
        Assert.All(server.Authorizations, a => Assert.Equal("Bearer secret-1", a));
        Assert.All(server.Paths, p => Assert.Equal("/graphql", p));
        Assert.True(server.MaxInFlight <= 3, $"{server.MaxInFlight} calls in flight");
        Assert.Equal(8, report.LatencyMs!.Calls);
        Assert.True(report.LatencyMs.P50 <= report.LatencyMs.P90 && report.LatencyMs.P90 <= report.LatencyMs.P99 && report.LatencyMs.P99 <= report.LatencyMs.Max);
        Assert.Equal(300, report.ServerStatuses.Values.Sum());

        // The verdicts of the imported records are those expected.py computed for the file.
        var expected = ReplayTestData.ExpectedFor(Head);
        Assert.Equal(
            (expected["onTime"]!.GetValue<long>(), expected["overdue"]!.GetValue<long>(), expected["open"]!.GetValue<long>(), expected["noDueDate"]!.GetValue<long>(), expected["agree"]!.GetValue<long>()),
            (report.OnTime, report.Overdue, report.Open, report.NoDueDate, report.Agree!.Value));
    }

    [Fact]
    public async Task A_record_is_sent_as_the_contract_says()
    {
        var server = new FakeImportServer();

        await Run(server, new ReplayOptions { Limit = 5 });

        // Line 2 of the Boston file: opened 01/01/2015 01:09:57 PM, due 01/05/2015 08:30:00 AM, closed 01/02/2015 06:32:22 PM (EST).
        var sent = server.Sent("101001240816");
        Assert.Equal(
            JsonNode.Parse("""
                {"source":"boston311","sourceName":"Boston","timeZone":"America/New_York","sourceId":"101001240816",
                 "department":"PWDx","category":"Pick up Dead Animal","area":"Jamaica Plain","description":"Pick up Dead Animal",
                 "registeredAt":"2015-01-01T18:09:57Z","dueAt":"2015-01-05T13:30:00Z","closedAt":"2015-01-02T23:32:22Z",
                 "closure":"Case Closed Case Resolved i went to location could not find dead animal"}
                """)!.ToJsonString(),
            sent.ToJsonString());
        // Open records send null closedAt and closure; records without a due date send null dueAt.
        Assert.All(server.Records.Where(r => r["closedAt"] is null), r => Assert.Null(r["closure"]));
        Assert.Equal(5, server.Records.Count);
    }

    [Fact]
    public async Task Server_rejections_count_by_error_code_and_go_to_the_rejects_with_the_raw_row()
    {
        var server = new FakeImportServer
        {
            Reject = r => r["category"]!.GetValue<string>() == "Street Light Outages" ? ("UNKNOWN_CATEGORY", "records[].category") : null,
        };

        var (report, rejects) = await Run(server, new ReplayOptions { Batch = 25 }, "boston311_messy.csv");

        var expected = ReplayTestData.ExpectedFor("boston311_messy.csv");
        var refused = expected["records"]!.AsArray().Count(r => r![7]!.GetValue<string>() == "Street Light Outages");
        Assert.True(refused > 0);
        Assert.Equal(expected["rejected"]!.GetValue<long>() + refused, report.Rejected);
        Assert.Equal(refused, report.RejectedByServer);
        Assert.Equal(refused, report.RejectedByReason["UNKNOWN_CATEGORY"]);
        Assert.Equal(expected["accepted"]!.GetValue<long>() - refused, report.Imported);
        Assert.Equal(report.Accepted, report.Imported + report.AlreadyPresent + report.RejectedByServer + report.Failed);
        var serverReject = rejects.Items.First(r => r.Reason == "UNKNOWN_CATEGORY");
        Assert.Equal(refused, rejects.Items.Count(r => r.Reason == "UNKNOWN_CATEGORY"));
        Assert.Equal("records[].category: refused by the fake", serverReject.Detail);
        Assert.Contains(serverReject.SourceId!, serverReject.Raw, StringComparison.Ordinal);
        Assert.Equal(report.OnTime + report.Overdue + report.Open + report.NoDueDate, report.Imported);
    }

    [Fact]
    public async Task Running_the_same_file_again_finds_everything_already_present()
    {
        var server = new FakeImportServer();

        var (first, _) = await Run(server, new ReplayOptions { Batch = 50, Limit = 120 });
        var (second, _) = await Run(server, new ReplayOptions { Batch = 50 });

        Assert.Equal(120, first.Imported);
        Assert.Equal(120, second.AlreadyPresent);
        Assert.Equal(180, second.Imported);
        Assert.Equal(first.OnTime + first.Overdue + first.NoDueDate + first.Open + 180, second.OnTime + second.Overdue + second.NoDueDate + second.Open);
    }

    [Fact]
    public async Task Transient_failures_are_retried()
    {
        var server = new FakeImportServer();
        server.Then(() => FakeImportServer.Json(HttpStatusCode.ServiceUnavailable, "{}"));
        server.Then(() => throw new HttpRequestException("connection reset"));
        server.Then(() => FakeImportServer.Json(HttpStatusCode.OK, """{"data":null,"errors":[{"message":"boom","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"""));

        var (report, rejects) = await Run(server, new ReplayOptions { Batch = 100, Concurrency = 1, Retries = 3 });

        Assert.Equal(300, report.Imported);
        Assert.Equal(0, report.Failed);
        Assert.Empty(rejects.Items);
        Assert.Equal(6, server.Calls);
    }

    [Fact]
    public async Task A_call_that_keeps_failing_fails_its_rows_and_the_run_stops_after_three_such_calls()
    {
        var server = new FakeImportServer();
        for (var i = 0; i < 100; i++)
        {
            server.Then(() => FakeImportServer.Json(HttpStatusCode.BadGateway, "<html>bad gateway</html>"));
        }

        var (report, rejects) = await Run(server, new ReplayOptions { Batch = 10, Concurrency = 1, Retries = 1 });

        Assert.Contains("3 calls in a row failed", report.FatalError, StringComparison.Ordinal);
        Assert.Equal(0, report.Imported);
        Assert.Equal(report.Accepted, report.Failed);
        Assert.Equal(30, report.FailedByReason[FailReasons.CallFailed]);
        Assert.Equal(report.Failed, rejects.Items.Count);
        Assert.True(report.Read < 300 || report.FailedByReason.ContainsKey(FailReasons.NotSent));
    }

    [Fact]
    public async Task A_refused_token_stops_the_run_and_nothing_is_dropped_silently()
    {
        var server = new FakeImportServer();
        server.Then(() => FakeImportServer.Json(HttpStatusCode.OK, """{"data":null,"errors":[{"message":"Importing historical grievances needs the importing role","extensions":{"code":"FORBIDDEN"}}]}"""));

        var (report, rejects) = await Run(server, new ReplayOptions { Batch = 10, Concurrency = 1, Token = "wrong" });

        Assert.NotNull(report.FatalError);
        Assert.Contains("FORBIDDEN", report.FatalError, StringComparison.Ordinal);
        Assert.Contains("--token", report.FatalError, StringComparison.Ordinal);
        Assert.Equal(0, report.Imported);
        Assert.True(report.Read < 300, $"read {report.Read}: reading should stop");
        Assert.Equal(report.Accepted, report.Failed);
        Assert.Equal(report.Failed, rejects.Items.Count);
        Assert.All(rejects.Items, r => Assert.Equal(FailReasons.NotSent, r.Reason));
    }

    [Fact]
    public async Task A_body_too_large_is_split_until_it_fits()
    {
        var server = new FakeImportServer { MaxBodyBytes = 12_000 };

        var (report, _) = await Run(server, new ReplayOptions { Batch = 200, Concurrency = 2 });

        Assert.Equal(300, report.Imported);
        Assert.Contains(server.BatchSizes, size => size < 50);
    }

    [Fact]
    public async Task The_rate_limit_spaces_the_calls()
    {
        var server = new FakeImportServer();
        var started = TimeProvider.System.GetTimestamp();

        var (report, _) = await Run(server, new ReplayOptions { Batch = 10, Concurrency = 4, Rate = 100, Limit = 60 });

        // 60 records at 100/s: the first call goes at once, the sixth no sooner than 0.5 s later.
        Assert.Equal(60, report.Imported);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(450));
    }

    [Fact]
    public async Task Stopping_finishes_what_was_read_and_reports_a_partial_run()
    {
        var server = new FakeImportServer { Delay = TimeSpan.FromMilliseconds(20) };
        using var stop = new CancellationTokenSource();
        using var http = server.Client();
        var runner = new ReplayRunner(http, new ReplayOptions { Batch = 10, Concurrency = 2, VerdictsAsOf = ReplayTestData.Now });
        await using var stream = File.OpenRead(ReplayTestData.PathOf(Head));
        var run = runner.RunAsync(ReplaySources.Open(ReplayFormat.Boston311, stream), new RejectList(), "boston311", stop: stop.Token);
        while (runner.Progress.Imported < 30)
        {
            await Task.Delay(5, Token);
        }

        await stop.CancelAsync();
        var report = await run;

        Assert.True(report.Interrupted);
        Assert.Null(report.FatalError);
        Assert.True(report.Read < 300, $"read {report.Read}");
        Assert.Equal(report.Read, report.Imported + report.Rejected + report.Failed);
        Assert.Equal(0, report.Failed);
    }

    [Fact]
    public async Task Aborting_fails_the_calls_in_flight_as_interrupted()
    {
        var server = new FakeImportServer { Delay = TimeSpan.FromSeconds(30) };
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        using var http = server.Client();
        var rejects = new RejectList();
        var runner = new ReplayRunner(http, new ReplayOptions { Batch = 10, Concurrency = 2 });
        await using var stream = File.OpenRead(ReplayTestData.PathOf(Head));
        var run = runner.RunAsync(ReplaySources.Open(ReplayFormat.Boston311, stream), rejects, "boston311", stop: stop.Token, abort: abort.Token);
        while (runner.Progress.Read < 20)
        {
            await Task.Delay(5, Token);
        }

        await stop.CancelAsync();
        await abort.CancelAsync();
        var report = await run;

        Assert.True(report.Interrupted);
        Assert.Equal(0, report.Imported);
        Assert.Equal(report.Accepted, report.FailedByReason[FailReasons.Interrupted]);
        Assert.Equal(report.Read, report.Rejected + report.Failed);
        Assert.Equal(report.Failed, rejects.Items.Count);
    }

    [Fact]
    public async Task The_json_report_has_the_agreed_keys()
    {
        var server = new FakeImportServer();
        var (report, _) = await Run(server, new ReplayOptions { Limit = 30 });

        var json = JsonNode.Parse(report.ToJson())!.AsObject();

        foreach (var key in new[]
                 {
                     "read", "imported", "rejected", "rejectedByReason", "alreadyPresent", "onTime", "overdue", "open", "noDueDate",
                     "agree", "disagree", "recordsPerSecond", "elapsedSeconds", "latencyMs", "duplicateKeys", "failed", "notes",
                 })
        {
            Assert.True(json.ContainsKey(key), key);
        }

        Assert.Equal(["calls", "p50", "p90", "p99", "max"], json["latencyMs"]!.AsObject().Select(p => p.Key));
        Assert.Equal(30, json["read"]!.GetValue<long>());
        Assert.Equal(report, ReplayReport.FromJson(report.ToJson()) with
        {
            RejectedByReason = report.RejectedByReason,
            FailedByReason = report.FailedByReason,
            Notes = report.Notes,
            HeaderNotes = report.HeaderNotes,
            ServerStatuses = report.ServerStatuses,
            DuplicateKeysByName = report.DuplicateKeysByName,
        });
    }

    [Fact]
    public async Task Open311_duplicate_keys_are_counted_in_a_live_run_too()
    {
        var server = new FakeImportServer();

        var (report, _) = await Run(server, new ReplayOptions(), "open311_head100.json");

        Assert.Equal(100, report.Imported);
        Assert.Equal(200, report.DuplicateKeys);
        Assert.Null(report.Agree);
        Assert.All(server.Records, r => Assert.Equal("sf311", r["source"]!.GetValue<string>()));
        Assert.All(server.Records, r => Assert.Equal("America/Los_Angeles", r["timeZone"]!.GetValue<string>()));
    }
}
