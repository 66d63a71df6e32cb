using System.Text.Json.Nodes;
using Helpline.LoadTests.Replay;

namespace Helpline.Tests.Replay;

/// <summary>
/// The readers against expectations computed independently by TestData/replay/expected.py from the same files:
/// every row's fate (record or reject, with row, line, source id and reason), every record's fields and UTC
/// instants, notes, duplicate JSON keys, and the verdict counts of a dry run. Pure: no server.
/// </summary>
public sealed class ExpectedCountsTests
{
    public static TheoryData<string> Files() => [.. ReplayTestData.Files];

    [Theory]
    [MemberData(nameof(Files))]
    public void Rejects_match_row_line_id_and_reason(string file)
    {
        var expected = ReplayTestData.ExpectedFor(file);
        var (results, _) = ReplayTestData.Read(file);

        Assert.Equal(expected["read"]!.GetValue<int>(), results.Count);
        var rejects = results.Where(r => r.Rejected is not null).Select(r => r.Rejected!)
            .Select(r => $"{r.Row}|{r.Line}|{r.SourceId}|{r.Reason}").ToList();
        var wanted = expected["rejects"]!.AsArray()
            .Select(r => $"{r![0]}|{r[1]}|{r[2]?.GetValue<string>()}|{r[3]}").ToList();
        Assert.Equal(wanted, rejects);
        Assert.All(results.Where(r => r.Rejected is not null), r => Assert.False(string.IsNullOrEmpty(r.Rejected!.Detail)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Records_match_field_by_field(string file)
    {
        var expected = ReplayTestData.ExpectedFor(file);
        var (results, source) = ReplayTestData.Read(file);

        var records = results.Where(r => r.Accepted is not null).Select(r => r.Accepted!).ToList();
        var wanted = expected["records"]!.AsArray();
        Assert.Equal(wanted.Count, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var row = records[i];
            var r = row.Record;
            var e = wanted[i]!.AsArray();
            var actual = new object?[]
            {
                row.Row, row.Line, r.SourceId, SourceTime.Format(r.RegisteredAt), r.DueAt is { } d ? SourceTime.Format(d) : null,
                r.ClosedAt is { } c ? SourceTime.Format(c) : null, r.Department, r.Category, r.Area, r.Description, r.Closure?.Length,
            };
            var want = new object?[]
            {
                e[0]!.GetValue<long>(), e[1]!.GetValue<long>(), Str(e[2]), Str(e[3]), Str(e[4]), Str(e[5]), Str(e[6]), Str(e[7]),
                Str(e[8]), Str(e[9]), e[10]?.GetValue<int>(),
            };
            Assert.True(want.SequenceEqual(actual), $"{file} record {i}:\n want {string.Join(" | ", want)}\n got  {string.Join(" | ", actual)}");
            Assert.Equal(source.Profile.Code, r.Source);
            Assert.Equal(source.Profile.Name, r.SourceName);
            Assert.Equal(source.Profile.TimeZoneId, r.TimeZone);
            Assert.Equal(TimeSpan.Zero, r.RegisteredAt.Offset);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Dry_run_report_counts_match(string file)
    {
        var expected = ReplayTestData.ExpectedFor(file);
        var rejects = new RejectList();
        var runner = new ReplayRunner(null, new ReplayOptions { DryRun = true, VerdictsAsOf = ReplayTestData.Now });
        await using var stream = File.OpenRead(ReplayTestData.PathOf(file));
        var source = Helpline.LoadTests.Replay.Sources.ReplaySources.Open(ReplayTestData.FormatOf(file), stream);

        var report = await runner.RunAsync(source, rejects, expected["format"]!.GetValue<string>(), file, stop: TestContext.Current.CancellationToken);

        Assert.Equal(expected["read"]!.GetValue<long>(), report.Read);
        Assert.Equal(expected["accepted"]!.GetValue<long>(), report.Accepted);
        Assert.Equal(expected["rejected"]!.GetValue<long>(), report.Rejected);
        Assert.Equal(report.Rejected, rejects.Items.Count);
        Assert.Equal(Counts(expected["rejectedByReason"]), report.RejectedByReason.ToDictionary());
        Assert.Equal(expected["onTime"]!.GetValue<long>(), report.OnTime);
        Assert.Equal(expected["overdue"]!.GetValue<long>(), report.Overdue);
        Assert.Equal(expected["open"]!.GetValue<long>(), report.Open);
        Assert.Equal(expected["noDueDate"]!.GetValue<long>(), report.NoDueDate);
        Assert.Equal(expected["agree"]?.GetValue<long>(), report.Agree);
        Assert.Equal(expected["disagree"]?.GetValue<long>(), report.Disagree);
        Assert.Equal(Counts(expected["notes"]), report.Notes.ToDictionary());
        Assert.Equal(expected["duplicateKeys"]?.GetValue<long>(), report.DuplicateKeys);
        Assert.Equal(expected["duplicateKeysByName"] is JsonObject byName ? Counts(byName) : null, report.DuplicateKeysByName?.ToDictionary());
        Assert.Equal(0, report.Imported + report.AlreadyPresent + report.Failed);
        Assert.Equal(report.Accepted, report.OnTime + report.Overdue + report.Open + report.NoDueDate);
        Assert.Null(report.LatencyMs);
    }

    [Fact]
    public void Every_test_file_is_covered_and_every_reject_reason_is_exercised()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(ReplayTestData.PathOf("expected.json"))!)
            .Select(f => Path.GetFileName(f)!).Where(f => f.EndsWith(".csv", StringComparison.Ordinal) || (f.EndsWith(".json", StringComparison.Ordinal) && f != "expected.json"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, ReplayTestData.Files.Order(StringComparer.Ordinal).ToList());

        var reasons = ReplayTestData.Files.SelectMany(f => ReplayTestData.ExpectedFor(f)["rejectedByReason"]!.AsObject().Select(p => p.Key)).ToHashSet();
        var declared = typeof(RejectReasons).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        Assert.Equal(declared.Order(StringComparer.Ordinal), reasons.Order(StringComparer.Ordinal));
    }

    private static string? Str(JsonNode? node) => node?.GetValue<string>();

    private static Dictionary<string, long> Counts(JsonNode? node) =>
        node!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<long>());
}
