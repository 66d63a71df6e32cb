using System.Net.Sockets;
using Helpline.Grievances.ReadModel;
using Npgsql;

namespace Helpline.Tests.Grievances.ReadModel;

/// <summary>
/// Which answers to the projection's commit leave its outcome unknown: a session the server ended, unlike its refusal
/// of the transaction, does not say the transaction rolled back.
/// </summary>
public sealed class ProjectionSessionEndedTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)] // pg_terminate_backend
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    public void A_session_the_server_ended_leaves_the_commit_unknown(string sqlState) =>
        Assert.True(GrievanceProjection.SessionEnded(Error(sqlState)));

    [Fact]
    public void Npgsql_counts_a_terminated_session_transient_like_a_serialization_failure_which_did_roll_back()
    {
        // Why IsTransient cannot tell them apart: both are transient, only one says the transaction rolled back.
        Assert.True(Error(PostgresErrorCodes.AdminShutdown).IsTransient);
        Assert.True(Error(PostgresErrorCodes.SerializationFailure).IsTransient);
        Assert.False(GrievanceProjection.SessionEnded(Error(PostgresErrorCodes.SerializationFailure)));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.RaiseException)]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    public void The_servers_answer_to_the_transaction_is_not_a_session_ended(string sqlState) =>
        Assert.False(GrievanceProjection.SessionEnded(Error(sqlState)));

    [Fact]
    public void A_connection_lost_without_an_answer_is_not_a_postgres_answer_at_all() =>
        Assert.False(GrievanceProjection.SessionEnded(new NpgsqlException("Exception while reading from stream", new IOException("reset", new SocketException(104)))));

    private static PostgresException Error(string sqlState) => new("message", "ERROR", "ERROR", sqlState);
}
