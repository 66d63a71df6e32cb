using Helpline.Grievances.Grains;
using Helpline.Officers;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>
/// What a lifecycle transition decided: the new state (a copy; the state given is never changed), the timeline events
/// it appended, and what the grain must tell officers once the state is stored.
/// </summary>
/// <param name="State">The state after the transition; the same object as before when <paramref name="Changed"/> is false.</param>
/// <param name="Changed">False when there was nothing to do (a stale deadline, a due date that did not move): store nothing.</param>
/// <param name="Appended">The timeline events appended, oldest first.</param>
/// <param name="Effects">Calls to officer grains, in order, before the holder is told to track it.</param>
/// <param name="Track">Whether the current holder must (re)track the grievance afterwards.</param>
internal sealed record Transition(
    GrievanceState State,
    bool Changed,
    IReadOnlyList<TimelineEvent> Appended,
    IReadOnlyList<OfficerEffect> Effects,
    bool Track)
{
    /// <summary>Nothing to do: the state stays as it is.</summary>
    public static Transition None(GrievanceState state) => new(state, false, [], [], false);
}

/// <summary>A call the grain makes to an officer grain after storing a transition.</summary>
/// <param name="OfficerId">The officer grain's key.</param>
internal abstract record OfficerEffect(string OfficerId);

/// <summary>The officer no longer holds the grievance; <paramref name="DisposedAt"/> when they disposed of it (resolved or rejected).</summary>
internal sealed record ReleaseFrom(string OfficerId, DateTimeOffset? DisposedAt = null) : OfficerEffect(OfficerId);

/// <summary>
/// A registration that passed its checks and has its L1 seat: only now is a reference number spent on it.
/// </summary>
/// <param name="Request">What is registered (for an import, the request made from the source record).</param>
/// <param name="DepartmentId">The category's department.</param>
/// <param name="Route">The L1 seat and its holder.</param>
internal sealed record Admission(RegisterGrievance Request, string DepartmentId, Assignment Route);

/// <summary>Where an imported registration came from, and the due date the source set (null: no SLA).</summary>
internal sealed record ImportSource(string System, string CaseId, DateTimeOffset? DueAt, string? TimeNote = null);
