using Npgsql;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace Helpline.GraphQL.Http;

/// <summary>
/// Recognises failures after which nobody can tell whether the request took effect, so that the caller is told to
/// retry (<see cref="GraphQLHttpErrorCodes.OutcomeUnknown"/>) instead of being told that it failed: a grain call
/// rejected or broken because a silo died or the cluster is reconfiguring, a call that timed out, a database that
/// could not be reached or dropped the connection. Any other exception is a bug and stays an internal error.
/// </summary>
internal static class OutcomeUnknownFailures
{
    /// <summary>The message clients get.</summary>
    public const string Message =
        "The outcome is unknown: the service could not confirm whether this request took effect (a server of the cluster " +
        "stopped, the cluster is reconfiguring, or the database is unreachable). Retrying is safe: send the same request " +
        "again (for a registration or import, with the same clientRequestId or source id: a retry never creates a second grievance).";

    /// <summary>The first exception in <paramref name="error"/>'s chain (inner and single aggregated exceptions) whose outcome is unknown, or null.</summary>
    public static Exception? Find(Exception? error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (IsOutcomeUnknown(current))
            {
                return current;
            }

            if (current is AggregateException { InnerExceptions.Count: > 1 } aggregate)
            {
                return aggregate.InnerExceptions.Select(Find).FirstOrDefault(e => e is not null);
            }
        }

        return null;
    }

    private static bool IsOutcomeUnknown(Exception error) => error switch
    {
        // Includes SiloUnavailableException: the target silo is dead or being declared dead; or the message was
        // rejected in transit while the cluster changed (forwarding failed, activation moving, silo stopping).
        OrleansMessageRejectionException => true,
        ConnectionFailedException => true,
        OrleansLifecycleCanceledException => true,

        // Orleans' response timeout, and bounded waits on grain calls: the call may still complete.
        TimeoutException => true,

        // A grain found its stored state changed by another activation (possible while a dead silo's grains move):
        // its write was refused, and the grain reloads on the next call.
        InconsistentStateException => true,

        // Connection failures, timeouts, and server states such as an administrator shutdown or a serialization
        // failure: Npgsql marks them transient. From a grain on another silo they arrive whole (PostgresExceptionSurrogate).
        NpgsqlException { IsTransient: true } => true,

        // A silo could not load the shared-data changes the request needed in time: nothing was done, a retry is safe.
        Helpline.Platform.SharedData.SharedDataBehindException => true,
        _ => false,
    };
}
