using Helpline.Host;
using Npgsql;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>The service's connection pools stay below PostgreSQL's max_connections unless the operator says otherwise.</summary>
public sealed class DatabasePoolTests
{
    [Fact]
    public void A_connection_string_without_a_pool_size_gets_the_default()
    {
        var result = new NpgsqlConnectionStringBuilder(DatabasePool.WithDefaults("Host=127.0.0.1;Port=5432;Database=helpline"));

        Assert.Equal(DatabasePool.DefaultMaxPoolSize, result.MaxPoolSize);
        Assert.Equal("helpline", result.Database);
        // Three pools a silo (service, Orleans, Quartz): three silos fit under ./helpline up's max_connections of 200.
        Assert.True(3 * 3 * DatabasePool.DefaultMaxPoolSize + 3 < 200);
    }

    [Theory]
    [InlineData("Host=h;Maximum Pool Size=7")]
    [InlineData("Host=h;maximum pool size=7")]
    [InlineData("Host=h;MaxPoolSize=7")]
    public void A_pool_size_in_the_connection_string_is_kept(string connectionString)
    {
        Assert.Equal(7, new NpgsqlConnectionStringBuilder(DatabasePool.WithDefaults(connectionString)).MaxPoolSize);
    }

    // A returned connection is not reset (28 reset statements a registration were measured): nothing may leave session
    // state on a pooled connection, and an operator who sets the keyword keeps their choice.
    [Fact]
    public void Pooled_connections_are_not_reset_unless_the_connection_string_asks()
    {
        Assert.True(new NpgsqlConnectionStringBuilder(DatabasePool.WithDefaults("Host=h")).NoResetOnClose);
        Assert.False(new NpgsqlConnectionStringBuilder(DatabasePool.WithDefaults("Host=h;No Reset On Close=false")).NoResetOnClose);
    }

    [Fact]
    public void The_default_connection_string_of_helpline_up_sets_the_pool_size()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryRoot(), "helpline"));

        Assert.Matches(@"HELPLINE_DB=""[^""]*Maximum Pool Size=\d+", script);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Helpline.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Helpline.sln not found above " + AppContext.BaseDirectory);
    }
}
