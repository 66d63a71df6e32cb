using Npgsql;

namespace Helpline.Grievances.ReadModel;

/// <summary>
/// The read model refused one grievance's write for good: its transaction did not commit (so nothing of this write is
/// in the read model or the event log) and sending the same rows again would fail the same way (a value the read
/// model rejects, a constraint, a fault in our own code). Thrown only for a write made alone, never for a gathered
/// batch, so the refusal is this grievance's own. A failure that may pass (the database unreachable, a deadlock, a
/// timeout) or whose outcome is unknown (the connection lost while committing) is thrown as it is.
/// </summary>
internal sealed class ProjectionRefusedException(string referenceNumber, Exception cause)
    : Exception($"The read model refused grievance {referenceNumber}: {cause.Message}", cause)
{
    /// <summary>Whether a failure before the commit was sent can pass if the same write is tried again.</summary>
    public static bool MayPass(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } or TimeoutException or OperationCanceledException or ObjectDisposedException;
}
