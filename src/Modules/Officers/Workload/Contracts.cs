using Orleans.Concurrency;

namespace Helpline.Officers.Workload;

/// <summary>One open grievance as an officer tracks it: which grain, its reference number, and its due date.</summary>
/// <param name="GrievanceKey">Key of the grievance grain.</param>
/// <param name="ReferenceNumber">The grievance's 12-digit reference number.</param>
/// <param name="DueAt">Due date, a UTC instant.</param>
/// <param name="DeadlineArmed">False once the due date has passed at the top of the chain (L4), or while on hold: nothing fires.</param>
/// <param name="AtRiskAt">When the grievance becomes (or became) at risk (UTC); null without a warning instant.</param>
/// <param name="OnHold">On hold: the SLA clock is stopped.</param>
/// <param name="AtRiskAnnounced">The at-risk warning has been given; it does not fire again.</param>
/// <param name="PositionId">The seat it is at.</param>
/// <param name="Level">Its level (1..4); 0 when not known.</param>
/// <param name="DepartmentId">Its department.</param>
/// <param name="CategoryId">Its category.</param>
/// <param name="JurisdictionId">Where the matter lies.</param>
/// <param name="RegisteredAt">When it was registered (UTC).</param>
[Immutable]
[GenerateSerializer]
[Alias("helpline.tracked-grievance")]
public sealed record TrackedGrievance(
    [property: Id(0)] string GrievanceKey,
    [property: Id(1)] string ReferenceNumber,
    [property: Id(2)] DateTimeOffset DueAt,
    [property: Id(3)] bool DeadlineArmed,
    [property: Id(4)] DateTimeOffset? AtRiskAt = null,
    [property: Id(5)] bool OnHold = false,
    [property: Id(6)] bool AtRiskAnnounced = false,
    [property: Id(7)] string? PositionId = null,
    [property: Id(8)] int Level = 0,
    [property: Id(9)] string? DepartmentId = null,
    [property: Id(10)] string? CategoryId = null,
    [property: Id(11)] string? JurisdictionId = null,
    [property: Id(12)] DateTimeOffset? RegisteredAt = null);

/// <summary>An officer's open count as a pool assignment sees it (<see cref="IOfficerGrain.LoadExpecting"/>).</summary>
/// <param name="Open">Open grievances held plus those expected and not held yet.</param>
/// <param name="Held">The expected grievances now held.</param>
[GenerateSerializer]
[Alias("helpline.expected-load")]
public sealed record ExpectedLoad([property: Id(0)] int Open, [property: Id(1)] IReadOnlyList<string> Held);

/// <summary>An open grievance that needs the officer's attention now: at risk or overdue.</summary>
/// <param name="ReferenceNumber">The grievance.</param>
/// <param name="DueAt">Its due date (UTC).</param>
/// <param name="Overdue">Strictly after its due date; otherwise at risk.</param>
/// <param name="Level">Its level (1..4).</param>
[Immutable]
[GenerateSerializer]
[Alias("helpline.attention-item")]
public sealed record AttentionItem(
    [property: Id(0)] string ReferenceNumber,
    [property: Id(1)] DateTimeOffset DueAt,
    [property: Id(2)] bool Overdue,
    [property: Id(3)] int Level);

/// <summary>An officer's live workload, computed in memory by the officer grain.</summary>
/// <param name="OfficerId">The officer.</param>
/// <param name="Open">Open grievances held.</param>
/// <param name="Overdue">Open grievances whose due date has passed.</param>
/// <param name="DueWithin24Hours">Open grievances due in the next 24 hours (not yet overdue).</param>
/// <param name="NextDueAt">The earliest due date among open grievances that are not overdue; null when none.</param>
/// <param name="AtRisk">Open grievances past their at-risk instant but not yet overdue.</param>
/// <param name="OnHold">Open grievances on hold (clock stopped).</param>
/// <param name="DueToday">Open grievances not on hold, not yet overdue, due on today's date in India (IST).</param>
/// <param name="DisposedLast7Days">Grievances the officer resolved or rejected in the last 7 × 24 hours; null when counted over a caller's scope (see <c>Officer.workload</c>).</param>
/// <param name="OldestOpenAt">Registration instant of the oldest open grievance held; null when none.</param>
/// <param name="LoadScore">The load score (<see cref="WorkloadScore"/>).</param>
/// <param name="Attention">The open grievances at risk or overdue, most urgent (earliest due) first.</param>
// Immutable: a board copies nothing when it reads many officers' workloads from grains on the same silo.
[Immutable]
[GenerateSerializer]
[Alias("helpline.officer-workload")]
public sealed record OfficerWorkload(
    [property: Id(0)] string OfficerId,
    [property: Id(1)] int Open,
    [property: Id(2)] int Overdue,
    [property: Id(3)] int DueWithin24Hours,
    [property: Id(4)] DateTimeOffset? NextDueAt,
    [property: Id(5)] int AtRisk = 0,
    [property: Id(6)] int OnHold = 0,
    [property: Id(7)] int DueToday = 0,
    [property: Id(8)] int? DisposedLast7Days = null,
    [property: Id(9)] DateTimeOffset? OldestOpenAt = null,
    [property: Id(10)] double LoadScore = 0,
    [property: Id(11)] IReadOnlyList<AttentionItem>? Attention = null);

/// <summary>
/// An officer, as a grain keyed by officer id. It holds in memory the officer's open grievances and their due
/// dates, and runs one grain timer for the earliest due date; when it fires, it tells the grievance
/// (<see cref="IDueDateHandler"/>). Its list is rebuilt from the grievance read model on activation
/// (<see cref="IOfficerCaseload"/>), so it needs no persistent state and no reminder per grievance.
/// </summary>
[Alias("helpline.IOfficerGrain")]
public interface IOfficerGrain : IGrainWithStringKey
{
    /// <summary>Starts tracking a grievance, or updates its due date. Idempotent.</summary>
    [AlwaysInterleave]
    Task Track(TrackedGrievance grievance);

    /// <summary>Stops tracking a grievance (resolved, rejected or moved to another officer). Idempotent.</summary>
    [AlwaysInterleave]
    Task Release(string grievanceKey);

    /// <summary>The officer disposed of the grievance at <paramref name="disposedAt"/>: released, and counted among recent disposals. Idempotent.</summary>
    [AlwaysInterleave]
    Task ReleaseDisposed(string grievanceKey, DateTimeOffset disposedAt);

    /// <summary>The live workload.</summary>
    [AlwaysInterleave]
    Task<OfficerWorkload> GetWorkload();

    /// <summary>Every open grievance held, as tracked (for rebalancing).</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<TrackedGrievance>> GetOpen();

    /// <summary>
    /// The count a pool assignment decides on while registrations are in flight: open grievances held, plus those of
    /// <paramref name="expected"/> (grievance keys just given to the officer) not held yet; and which of them are held
    /// now, so the pool can stop expecting them.
    /// </summary>
    [AlwaysInterleave]
    Task<ExpectedLoad> LoadExpecting(IReadOnlyCollection<string> expected);

    /// <summary>Activates the grain so that its deadlines are armed; used by the deadline sweep after a restart.</summary>
    Task Arm();

    /// <summary>
    /// A silo has left the cluster: grievances whose last call failed are told again now (their grain may have been
    /// activated elsewhere since) instead of after their back-off. Activates the grain, like <see cref="Arm"/>, if it was lost.
    /// </summary>
    [AlwaysInterleave]
    Task Recheck();
}

/// <summary>A grain that is told when a due date it registered with an officer has passed.</summary>
[Alias("helpline.IDueDateHandler")]
public interface IDueDateHandler : IGrainWithStringKey
{
    /// <summary>
    /// The due date <paramref name="dueAt"/> has passed. The handler acts only if that is still its current due date,
    /// so a repeated or late call changes nothing.
    /// </summary>
    Task OnDueDatePassed(DateTimeOffset dueAt);

    /// <summary>The at-risk instant <paramref name="atRiskAt"/> has passed; acted on once, only if it is still current.</summary>
    Task OnAtRisk(DateTimeOffset atRiskAt);
}

/// <summary>Where an officer grain rebuilds its list of open grievances from (implemented by the Grievances module's read model).</summary>
public interface IOfficerCaseload
{
    /// <summary>Every open grievance held by the officer.</summary>
    Task<IReadOnlyList<TrackedGrievance>> OpenGrievancesOfAsync(string officerId, CancellationToken cancellationToken);

    /// <summary>When the officer disposed of grievances (resolved, rejected, answered on the call) at or after <paramref name="since"/>, from the read model.</summary>
    Task<IReadOnlyList<(string GrievanceKey, DateTimeOffset At)>> DisposalsOfAsync(string officerId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// The open grievances held by each of <paramref name="officerIds"/> that <paramref name="scope"/> reaches (from the
    /// read model), in the same order: one read for all of them.
    /// </summary>
    Task<IReadOnlyList<IReadOnlyList<TrackedGrievance>>> OpenGrievancesOfAsync(IReadOnlyList<string> officerIds, Helpline.Platform.Access.CallerScope scope, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="referenceNumbers"/> that <paramref name="scope"/> reaches.</summary>
    Task<IReadOnlySet<string>> VisibleAsync(IReadOnlyCollection<string> referenceNumbers, Helpline.Platform.Access.CallerScope scope, CancellationToken cancellationToken);
}
