using Helpline.LoadTests.ThroughputBenchmark;

namespace Helpline.Tests.GraphQL;

/// <summary>The command line of <c>throughput-bench</c>: the documented defaults, and errors that name the option.</summary>
public sealed class ThroughputBenchArgumentsTests
{
    private const string Header = "CASE_ENQUIRY_ID,OPEN_DT,TARGET_DT,CLOSED_DT,CASE_STATUS,TYPE,Department\n";

    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var a = ThroughputBenchArguments.Parse([], NoEnvironment, out var error);

        Assert.Null(error);
        Assert.NotNull(a);
        Assert.Equal((16, 2, 15, 30, false, 0, false), (a.Clients, a.Phases, a.PhaseSeconds, a.WarmupSeconds, a.SkipLookups, a.SustainMinutes, a.KeepDatabase));
        Assert.Contains("Port=55433", a.AdminConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_and_the_test_cluster_from_the_environment_are_read()
    {
        var a = ThroughputBenchArguments.Parse(
            ["--clients", "8", "--skip-lookups", "--sustain-minutes", "30", "--keep-db"],
            name => name == "HELPLINE_TEST_DB" ? "Host=127.0.0.1;Port=55891;Username=postgres;Database=postgres" : null,
            out var error);

        Assert.Null(error);
        Assert.Equal((8, true, 30, true), (a!.Clients, a.SkipLookups, a.SustainMinutes, a.KeepDatabase));
        Assert.Contains("Port=55891", a.AdminConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replay_file_is_read_as_a_full_path_and_one_that_is_not_there_is_refused()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Header + "101001,2015-01-01 08:00:00,,,Open,Pothole,PWDx\n");
            var a = ThroughputBenchArguments.Parse(["--replay", Path.GetRelativePath(Environment.CurrentDirectory, file)], NoEnvironment, out var error);
            Assert.Null(error);
            Assert.Equal(file, a!.ReplayFile);
            Assert.Null(ThroughputBenchArguments.Parse([], NoEnvironment, out _)!.ReplayFile);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Null(ThroughputBenchArguments.Parse(["--replay", file], NoEnvironment, out var missing));
        Assert.Equal($"--replay {file}: no such file", missing);
    }

    [Fact]
    public void A_replay_file_that_is_a_directory_or_not_a_Boston_export_or_empty_is_refused_before_any_setup()
    {
        var directory = Directory.CreateTempSubdirectory().FullName;
        var other = Path.Combine(directory, "nyc.csv");
        try
        {
            Assert.Null(ThroughputBenchArguments.Parse(["--replay", directory], NoEnvironment, out var isDirectory));
            Assert.Equal($"--replay {directory}: a directory, not a file; give a Boston 311 export (a CSV file)", isDirectory);

            File.WriteAllText(other, "Unique Key,Created Date,Closed Date,Agency,Complaint Type\n1,2015-01-01,,NYPD,Noise\n");
            Assert.Null(ThroughputBenchArguments.Parse(["--replay", other], NoEnvironment, out var notBoston));
            Assert.StartsWith($"--replay {other}: not a Boston 311 export: ", notBoston, StringComparison.Ordinal);
            Assert.Contains("CASE_ENQUIRY_ID", notBoston, StringComparison.Ordinal);

            var headerOnly = Path.Combine(directory, "header.csv");
            File.WriteAllText(headerOnly, Header);
            Assert.Null(ThroughputBenchArguments.Parse(["--replay", headerOnly], NoEnvironment, out var empty));
            Assert.Equal($"--replay {headerOnly}: a Boston 311 header with no records under it", empty);

            Assert.Null(ThroughputBenchArguments.Parse(["--replay", ""], NoEnvironment, out var noName));
            Assert.Equal("--replay: give a file name", noName);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_db_that_names_no_server_is_refused_before_any_setup()
    {
        Assert.Null(ThroughputBenchArguments.Parse(["--db", "Host=;;;"], NoEnvironment, out var error));
        Assert.Equal("--db: give a Host", error);
    }

    [Fact]
    public void Check_only_is_read()
    {
        Assert.False(ThroughputBenchArguments.Parse([], NoEnvironment, out _)!.CheckOnly);
        Assert.True(ThroughputBenchArguments.Parse(["--check", "--clients", "4"], NoEnvironment, out _)!.CheckOnly);
    }

    [Theory]
    [InlineData("--clients", "0", "--clients 0")]
    [InlineData("--phase-seconds", "soon", "--phase-seconds soon")]
    [InlineData("--sustain-minutes", "601", "--sustain-minutes 601")]
    public void A_bad_value_is_refused_naming_the_option(string option, string value, string expected)
    {
        Assert.Null(ThroughputBenchArguments.Parse([option, value], NoEnvironment, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_and_unknown_options()
    {
        Assert.Null(ThroughputBenchArguments.Parse(["--help"], NoEnvironment, out var help));
        Assert.Null(help);
        Assert.Null(ThroughputBenchArguments.Parse(["--fast"], NoEnvironment, out var unknown));
        Assert.Equal("unknown option --fast", unknown);
    }
}
