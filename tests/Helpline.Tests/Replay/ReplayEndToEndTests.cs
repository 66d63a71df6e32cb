using System.Text.Json.Nodes;
using Helpline.Grievances;
using Helpline.LoadTests.Replay;
using Helpline.LoadTests.Replay.Sources;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Replay;

/// <summary>
/// The replay tool against the real service over HTTP: slices of the real Boston, NYC and San Francisco exports
/// go through the import API and the grievance lifecycle; counts are compared with expected.json, which a separate
/// Python implementation computed from the files (TestData/replay/expected.py), and with the database itself.
/// </summary>
public sealed class ReplayEndToEndTests : HostedTest
{
    private static readonly JsonObject Expected =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "replay", "expected.json")))!["files"]!.AsObject();

    private Task<ReplayReport> Replay(ReplayFormat format, string file) =>
        new ReplayRunner(Host.Http, new ReplayOptions { Token = DefaultCallers.ImporterToken, VerdictsAsOf = Host.Clock.GetUtcNow(), Batch = 40, Concurrency = 4 })
            .RunFileAsync(format, Path.Combine(AppContext.BaseDirectory, "TestData", "replay", file), rejectsPath: null, stop: TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(ReplayFormat.Boston311, "boston311_head300.csv", "boston311")]
    [InlineData(ReplayFormat.Boston311, "boston311_messy.csv", "boston311")]
    [InlineData(ReplayFormat.Nyc311, "nyc311_head200.csv", "nyc311")]
    [InlineData(ReplayFormat.Open311, "open311_head100.json", "sf311")]
    public async Task A_slice_imports_with_the_expected_counts_and_verdicts_and_a_second_run_adds_nothing(ReplayFormat format, string file, string source)
    {
        var expected = Expected[file]!;
        long E(string key) => expected[key]!.GetValue<long>();

        var first = await Replay(format, file);
        Assert.Null(first.FatalError);
        Assert.Equal((E("read"), E("accepted"), E("rejected")), (first.Read, first.Imported, first.Rejected));
        Assert.Equal((E("onTime"), E("overdue"), E("open"), E("noDueDate")), (first.OnTime, first.Overdue, first.Open, first.NoDueDate));
        if (expected["agree"] is { } agree)
        {
            Assert.Equal((agree.GetValue<long>(), 0L), (first.Agree, first.Disagree));
        }

        // Helpline's own verdicts, from the read model: breached = overdue.
        await using (var conn = new NpgsqlConnection(Db.ConnectionString))
        {
            await conn.OpenAsync(TestContext.Current.CancellationToken);
            await using var cmd = new NpgsqlCommand(
                "select count(*), count(*) filter (where breached) from grievances.grievance where grain_key like $1", conn);
            // Every grain key of this source: the source id is the LIKE wildcard.
            cmd.Parameters.AddWithValue(GrievanceKeys.ForImport(source, "%"));
            await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            await reader.ReadAsync(TestContext.Current.CancellationToken);
            Assert.Equal((E("accepted"), E("overdue")), (reader.GetInt64(0), reader.GetInt64(1)));
        }

        var second = await Replay(format, file);
        Assert.Equal((0L, E("accepted")), (second.Imported, second.AlreadyPresent));
    }
}
