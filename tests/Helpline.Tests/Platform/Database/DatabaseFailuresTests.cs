using System.Net.Sockets;
using Helpline.Platform.Database;
using Npgsql;

namespace Helpline.Tests.Platform.Database;

/// <summary>Which database failures say nothing about the statement: the session ended or the connection lost.</summary>
public sealed class DatabaseFailuresTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)] // pg_terminate_backend
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    public void A_session_the_server_ended_is_neither_a_refusal_nor_final(string sqlState)
    {
        var ended = Error(sqlState);
        Assert.True(DatabaseFailures.SessionEnded(ended));
        Assert.True(DatabaseFailures.MayPass(ended));
    }

    [Fact]
    public void Npgsql_counts_a_terminated_session_transient_like_a_serialization_failure_which_did_roll_back()
    {
        // Why SessionEnded exists beside IsTransient: both are transient, only one says the transaction rolled back.
        Assert.True(Error(PostgresErrorCodes.AdminShutdown).IsTransient);
        Assert.True(Error(PostgresErrorCodes.SerializationFailure).IsTransient);
    }

    [Fact]
    public void A_lost_connection_and_a_serialization_failure_may_pass_without_the_session_having_ended()
    {
        var lost = new NpgsqlException("Exception while reading from stream", new IOException("Connection reset", new SocketException(104)));
        Assert.True(DatabaseFailures.MayPass(lost));
        Assert.False(DatabaseFailures.SessionEnded(lost));
        Assert.True(DatabaseFailures.MayPass(Error(PostgresErrorCodes.SerializationFailure)));
        Assert.False(DatabaseFailures.SessionEnded(Error(PostgresErrorCodes.SerializationFailure)));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.RaiseException)]
    [InlineData(PostgresErrorCodes.SyntaxError)]
    public void The_servers_refusal_of_a_statement_is_final(string sqlState)
    {
        Assert.False(DatabaseFailures.MayPass(Error(sqlState)));
        Assert.False(DatabaseFailures.SessionEnded(Error(sqlState)));
    }

    private static PostgresException Error(string sqlState) => new("message", "ERROR", "ERROR", sqlState);
}
