namespace Helpline.Grievances;

/// <summary>
/// The one definition of overdue, used by the grievance's field, the list filter (the same condition in SQL), and the
/// officer's workload: open, its clock running (a grievance on hold is not overdue, whatever its old due date), and
/// strictly after its due instant (disposed of at the due instant is on time).
/// </summary>
internal static class Overdue
{
    /// <summary>Whether a grievance in this state is overdue at <paramref name="now"/>.</summary>
    public static bool Is(GrievanceStatus status, DateTimeOffset? onHoldSince, DateTimeOffset? dueAt, DateTimeOffset now) =>
        status == GrievanceStatus.Open && onHoldSince is null && dueAt is { } due && due < now; // strictly after: the officer grain's DueInstantRule
}
