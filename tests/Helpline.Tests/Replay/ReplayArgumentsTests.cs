using Helpline.LoadTests.Replay;
using Helpline.LoadTests.Replay.Sources;

namespace Helpline.Tests.Replay;

/// <summary>The command line of <c>./helpline replay</c>.</summary>
public sealed class ReplayArgumentsTests
{
    private static ReplayArguments? Parse(string[] args, out string? error, out bool help, string? envToken = null) =>
        ReplayArguments.Parse(args, name => name == ReplayDefaults.TokenVariable ? envToken : null, out error, out help);

    [Fact]
    public void Defaults()
    {
        var parsed = Parse(["boston311", "data/boston.csv"], out var error, out var help);

        Assert.Null(error);
        Assert.False(help);
        Assert.Equal(ReplayFormat.Boston311, parsed!.Format);
        Assert.Equal("http://127.0.0.1:5076", parsed.Url);
        Assert.Equal((50, 8, 0d, (long?)null, "", false), (parsed.Options.Batch, parsed.Options.Concurrency, parsed.Options.Rate, parsed.Options.Limit, parsed.Options.Token, parsed.Options.DryRun));
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "boston.rejects.csv"), parsed.RejectsPath);
        Assert.Equal("boston311", parsed.Profile.Code);
    }

    [Fact]
    public void Every_option_in_both_spellings()
    {
        var parsed = Parse(
            ["open311", "sf.json", "--url=http://10.0.0.1:9000/x", "--rate", "2.5", "--concurrency=3", "--batch", "200", "--report", "out/r.json",
             "--limit=10", "--token", "t0k", "--dry-run", "--source", "oakland311", "--source-name=Oakland", "--time-zone", "America/Los_Angeles"],
            out var error, out _);

        Assert.Null(error);
        Assert.Equal("http://10.0.0.1:9000/x", parsed!.Url);
        Assert.Equal((200, 3, 2.5, (long?)10, "t0k", true), (parsed.Options.Batch, parsed.Options.Concurrency, parsed.Options.Rate, parsed.Options.Limit, parsed.Options.Token, parsed.Options.DryRun));
        Assert.Equal(Path.Combine(Path.GetFullPath("out"), "r.rejects.csv"), parsed.RejectsPath);
        Assert.Equal(new SourceProfile("oakland311", "Oakland", "America/Los_Angeles", "SF311"), parsed.Profile);
    }

    [Fact]
    public void The_token_comes_from_the_option_then_the_environment_else_it_is_minted()
    {
        Assert.Equal("from-env", Parse(["nyc311", "f.csv"], out _, out _, envToken: "from-env")!.Options.Token);
        Assert.Equal("from-option", Parse(["nyc311", "f.csv", "--token", "from-option"], out _, out _, envToken: "from-env")!.Options.Token);
        Assert.False(Parse(["nyc311", "f.csv"], out _, out _, envToken: "from-env")!.MintsToken);
        Assert.True(Parse(["nyc311", "f.csv"], out _, out _)!.MintsToken);
        Assert.True(Parse(["nyc311", "f.csv"], out _, out _, envToken: "")!.MintsToken);
        Assert.False(Parse(["nyc311", "f.csv", "--dry-run"], out _, out _)!.MintsToken); // a dry run sends nothing
    }

    [Fact]
    public void Default_rejects_go_to_the_replay_folder_the_script_names()
    {
        var folder = Path.Combine(Path.GetTempPath(), "helpline-replay-out");

        var parsed = ReplayArguments.Parse(["boston311", "data/boston.csv"],
            name => name == ReplayDefaults.OutputDirectoryVariable ? folder : null, out _, out _);

        Assert.Equal(Path.Combine(folder, "boston.rejects.csv"), parsed!.RejectsPath);
    }

    [Fact]
    public void Rejects_path_can_be_given()
    {
        Assert.Equal("x.csv", Parse(["nyc311", "f.csv", "--rejects", "x.csv", "--report", "r.json"], out _, out _)!.RejectsPath);
    }

    [Theory]
    [InlineData("unknown format", "chicago311", "f.csv")]
    [InlineData("give a format and a file", "boston311")]
    [InlineData("unexpected argument", "boston311", "f.csv", "g.csv")]
    [InlineData("unknown option", "boston311", "f.csv", "--speed", "3")]
    [InlineData("needs a value", "boston311", "f.csv", "--batch")]
    [InlineData("batch must be 1..200", "boston311", "f.csv", "--batch", "201")]
    [InlineData("batch must be 1..200", "boston311", "f.csv", "--batch", "0")]
    [InlineData("whole number", "boston311", "f.csv", "--concurrency", "2.5")]
    [InlineData("concurrency must be at least 1", "boston311", "f.csv", "--concurrency", "0")]
    [InlineData("rate must be 0", "boston311", "f.csv", "--rate", "-1")]
    [InlineData("not a number", "boston311", "f.csv", "--rate", "fast")]
    [InlineData("not an http(s) URL", "boston311", "f.csv", "--url", "ftp://x")]
    public void Bad_arguments_are_named(string message, params string[] args)
    {
        Assert.Null(Parse(args, out var error, out var help));
        Assert.False(help);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_is_asked_for_anywhere()
    {
        Assert.Null(Parse(["boston311", "--help"], out var error, out var help));
        Assert.True(help);
        Assert.Null(error);
        Assert.Contains("--rejects FILE", ReplayCommand.Usage, StringComparison.Ordinal);
    }
}
