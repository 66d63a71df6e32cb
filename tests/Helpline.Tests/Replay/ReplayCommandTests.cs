using System.Text.Json.Nodes;
using CsvHelper;
using Helpline.LoadTests.Replay;

namespace Helpline.Tests.Replay;

/// <summary>The command end to end in a dry run: exit code, the JSON report and the rejects file on disk.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("replay-command-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_dry_run_writes_the_report_and_the_rejects_file_next_to_it()
    {
        var report = Path.Combine(_dir, "messy.json");

        var exit = await ReplayCommand.RunAsync(["boston311", ReplayTestData.PathOf("boston311_synthetic.csv"), "--dry-run", "--report", report]);

        Assert.Equal(ReplayCommand.Ok, exit);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report, TestContext.Current.CancellationToken))!.AsObject();
        var expected = ReplayTestData.ExpectedFor("boston311_synthetic.csv");
        Assert.Equal(expected["read"]!.GetValue<long>(), json["read"]!.GetValue<long>());
        Assert.Equal(expected["rejected"]!.GetValue<long>(), json["rejected"]!.GetValue<long>());
        Assert.Equal(Path.Combine(_dir, "messy.rejects.csv"), json["rejectsFile"]!.GetValue<string>());

        using var csv = CsvReader.FromFile(Path.Combine(_dir, "messy.rejects.csv"));
        Assert.Equal(["row", "line", "source_id", "reason", "detail", "raw"], csv.Headers.ToArray());
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add(csv.Current.ToArray());
        }

        var wanted = expected["rejects"]!.AsArray().Select(r => $"{r![0]},{r[1]},{r[2]?.GetValue<string>()},{r[3]}");
        Assert.Equal(wanted, rows.Select(r => string.Join(",", r[..4])));
        var source = File.ReadAllLines(ReplayTestData.PathOf("boston311_synthetic.csv"));
        Assert.All(rows, r => Assert.Equal(source[int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture) - 1], r[5]));
    }

    [Fact]
    public async Task A_file_without_the_required_columns_stops_with_exit_code_2()
    {
        var file = Path.Combine(_dir, "bad.csv");
        await File.WriteAllTextAsync(file, "CASE_ENQUIRY_ID,OPEN_DT\n1,2\n", TestContext.Current.CancellationToken);

        var exit = await ReplayCommand.RunAsync(["boston311", file, "--dry-run", "--rejects", Path.Combine(_dir, "bad.rejects.csv")]);

        Assert.Equal(ReplayCommand.FatalError, exit);
    }

    [Fact]
    public async Task Bad_arguments_exit_with_1_and_help_with_0()
    {
        Assert.Equal(ReplayCommand.UsageError, await ReplayCommand.RunAsync(["boston311"]));
        Assert.Equal(ReplayCommand.Ok, await ReplayCommand.RunAsync(["--help"]));
    }
}
