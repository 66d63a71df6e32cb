using Helpline.LoadTests.GraphQLBenchmark;

namespace Helpline.Tests.GraphQL;

/// <summary>The command line of <c>graphql-bench</c>: the documented defaults, and errors that name the option.</summary>
public sealed class GraphQLBenchArgumentsTests
{
    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var a = GraphQLBenchArguments.Parse([], NoEnvironment, out var error);

        Assert.Null(error);
        Assert.NotNull(a);
        Assert.Equal((3000, 16, 2, 15, 30, 1000, 20, 30), (a.Grievances, a.Clients, a.Phases, a.PhaseSeconds, a.WarmupSeconds, a.Subscribers, a.Rate, a.RegisterSeconds));
        Assert.Contains("Port=55433", a.AdminConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_and_the_test_cluster_from_the_environment_are_read()
    {
        var a = GraphQLBenchArguments.Parse(
            ["--subscribers", "1,000", "--rate", "5", "--clients", "4", "--keep-db"],
            name => name == "HELPLINE_TEST_DB" ? "Host=127.0.0.1;Port=55891;Username=postgres;Database=postgres" : null,
            out var error);

        Assert.Null(error);
        Assert.Equal((1000, 5, 4, true), (a!.Subscribers, a.Rate, a.Clients, a.KeepDatabase));
        Assert.Contains("Port=55891", a.AdminConnectionString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rate", "0", "--rate 0")]
    [InlineData("--clients", "many", "--clients many")]
    [InlineData("--subscribers", "10001", "--subscribers 10001")]
    public void A_bad_value_is_refused_naming_the_option(string option, string value, string expected)
    {
        Assert.Null(GraphQLBenchArguments.Parse([option, value], NoEnvironment, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_and_unknown_options()
    {
        Assert.Null(GraphQLBenchArguments.Parse(["--help"], NoEnvironment, out var help));
        Assert.Null(help);
        Assert.Null(GraphQLBenchArguments.Parse(["--fast"], NoEnvironment, out var unknown));
        Assert.Equal("unknown option --fast", unknown);
    }
}
