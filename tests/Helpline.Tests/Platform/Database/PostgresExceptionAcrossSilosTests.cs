using Helpline.GraphQL.Http;
using Helpline.Platform.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

namespace Helpline.Tests.Platform.Database;

/// <summary>
/// A database error thrown by a grain on another silo reaches its caller through Orleans' serializer, configured as a
/// silo is. Before the surrogate it arrived without its SQLSTATE, and a terminated session (57P01) was answered as a bug.
/// </summary>
public sealed class PostgresExceptionAcrossSilosTests
{
    [Fact]
    public void A_terminated_session_inside_a_storage_error_arrives_transient_and_is_answered_as_outcome_unknown()
    {
        var sent = new Orleans.Runtime.OrleansException(
            "Error from storage provider during WriteStateAsync",
            new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown));

        var received = RoundTrip(sent);

        var inner = Assert.IsType<PostgresException>(received.InnerException);
        Assert.Equal((PostgresErrorCodes.AdminShutdown, "FATAL", true), (inner.SqlState, inner.InvariantSeverity, inner.IsTransient));
        Assert.Contains("administrator command", inner.Message, StringComparison.Ordinal);
        Assert.Same(inner, OutcomeUnknownFailures.Find(received));
    }

    [Fact]
    public void A_refusal_arrives_with_its_state_detail_and_constraint_and_stays_a_refusal()
    {
        var sent = new PostgresException("the stored grievance state of g:1 is not at version 3", "ERROR", "ERROR", ProjectedStateWriteVersionConflict, "detail", constraintName: "c");

        var received = Assert.IsType<PostgresException>(RoundTrip(sent));

        Assert.Equal((sent.SqlState, sent.MessageText, sent.Detail, sent.ConstraintName), (received.SqlState, received.MessageText, received.Detail, received.ConstraintName));
        Assert.True(ProjectedStateWrite.IsVersionConflict(received));
        Assert.Null(OutcomeUnknownFailures.Find(received));
    }

    private const string ProjectedStateWriteVersionConflict = "HL409";

    private static Exception RoundTrip(Exception sent)
    {
        var services = new ServiceCollection().AddSerializer();
        services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql")); // as UseHelplinePostgres does
        using var provider = services.BuildServiceProvider();
        var serializer = provider.GetRequiredService<Serializer>();
        return serializer.Deserialize<Exception>(serializer.SerializeToArray(sent))!;
    }
}
