using Helpline.Officers.Workload;

namespace Helpline.Grievances;

/// <summary>What the caller wants, as the CM Helpline classifies calls.</summary>
public enum GrievanceKind
{
    /// <summary>Something is wrong and an officer must act.</summary>
    Complaint = 0,
    /// <summary>The caller wants information; an agent may answer it on the call.</summary>
    Information = 1,
    /// <summary>The caller asks for a new facility or benefit.</summary>
    Demand = 2,
    /// <summary>The caller suggests an improvement.</summary>
    Suggestion = 3,
}

/// <summary>How the grievance reached Helpline.</summary>
public enum Channel
{
    /// <summary>The toll-free line (1076).</summary>
    Phone = 0,
    /// <summary>The public web portal.</summary>
    Web = 1,
    /// <summary>The mobile app.</summary>
    MobileApp = 2,
    /// <summary>E-mail.</summary>
    Email = 3,
    /// <summary>A letter or petition.</summary>
    Letter = 4,
    /// <summary>Social media.</summary>
    SocialMedia = 5,
    /// <summary>In person at an office.</summary>
    WalkIn = 6,
    /// <summary>Imported from another grievance system.</summary>
    Import = 7,
}

/// <summary>Where a grievance stands in its lifecycle.</summary>
public enum GrievanceStatus
{
    /// <summary>With an officer, awaiting disposal.</summary>
    Open = 0,
    /// <summary>Disposed of by the officer with an action taken report.</summary>
    Resolved = 1,
    /// <summary>Disposed of by the officer as not actionable, with a reason.</summary>
    Rejected = 2,
    /// <summary>An information request answered by the call-centre agent on the call.</summary>
    DisposedOnCall = 3,
    /// <summary>
    /// Closed after its call-back: the complainant was satisfied with the disposal, or could not be reached and the
    /// not-reachable rule closes it. The disposal (instant and text) stays as the officer made it.
    /// </summary>
    Closed = 4,
    /// <summary>
    /// Closed without an action taken report after the L2 officer approved the L1 officer's request for a special
    /// closure (sub judice, a personal dispute, a repeat). A disposal like the others: the officer releases it, the
    /// complainant still gets a call-back, and it can be reopened.
    /// </summary>
    SpeciallyClosed = 5,
}

/// <summary>Why an L1 officer asks to return a grievance instead of acting on it; the L2 officer decides.</summary>
public enum ReturnKind
{
    /// <summary>Not this seat's matter: on approval it goes to another seat of the department, or to another category.</summary>
    NotPertaining = 0,
    /// <summary>The matter is before a court: on approval it is specially closed.</summary>
    SubJudice = 1,
    /// <summary>A private dispute between parties, not a matter for the administration: on approval it is specially closed.</summary>
    PersonalDispute = 2,
    /// <summary>A repeat of a grievance already disposed of: on approval it is specially closed.</summary>
    Repeat = 3,
}

/// <summary>
/// A return the L1 officer asked for and the L2 officer has not decided yet. It lapses when the grievance leaves the
/// seat that asked (escalated, forwarded, re-categorised, disposed of).
/// </summary>
/// <param name="Kind">What is asked for.</param>
/// <param name="Reason">Why, in the asking officer's words.</param>
/// <param name="RequestedBy">The officer who asked (the holder, or their supervisor acting for them).</param>
/// <param name="RequestedAt">When (UTC).</param>
/// <param name="PositionId">The seat that asked: the deciding officer holds the seat above it.</param>
[GenerateSerializer]
[Alias("helpline.pending-return")]
public sealed record PendingReturn(
    [property: Id(0)] ReturnKind Kind,
    [property: Id(1)] string Reason,
    [property: Id(2)] string RequestedBy,
    [property: Id(3)] DateTimeOffset RequestedAt,
    [property: Id(4)] string PositionId);

/// <summary>What happened to a grievance; each timeline event has one.</summary>
public enum TimelineEventType
{
    /// <summary>Registered by an agent or imported.</summary>
    Registered = 0,
    /// <summary>Assigned to an officer (L1 on registration).</summary>
    Routed = 1,
    /// <summary>The due date passed without disposal.</summary>
    Breached = 2,
    /// <summary>Moved to the supervisor one level up with a new due date.</summary>
    Escalated = 3,
    /// <summary>The due date passed at the top of the chain (L4); it stays there, overdue.</summary>
    BreachedAtTop = 4,
    /// <summary>Resolved with an action taken report.</summary>
    Resolved = 5,
    /// <summary>Rejected with a reason.</summary>
    Rejected = 6,
    /// <summary>Answered on the call by the agent.</summary>
    DisposedOnCall = 7,
    /// <summary>The warning share of the level's allowance was used; the officer and the supervisor were told.</summary>
    AtRisk = 8,
    /// <summary>Put on hold while waiting for the complainant; the SLA clock stopped.</summary>
    Paused = 9,
    /// <summary>Taken off hold; the due date moved by exactly the paused (working) time.</summary>
    Resumed = 10,
    /// <summary>An interim reply to the complainant; the clock keeps running.</summary>
    InterimReply = 11,
    /// <summary>The SLA was computed again (category changed, forwarded, or the policy changed).</summary>
    Recomputed = 12,
    /// <summary>Moved to another category (and possibly another department and officer).</summary>
    Recategorised = 13,
    /// <summary>Forwarded by the holding officer to another seat.</summary>
    Forwarded = 14,
    /// <summary>Reopened after disposal, one level up, with a fresh due date from the reopening.</summary>
    Reopened = 15,
    /// <summary>Moved to the officer now acting for its position: a transfer, a posting, or a leave begun or ended; the due date stays.</summary>
    HandedOver = 16,
    /// <summary>Given to one officer of a pool (several officers posted to one position): who, and why (their load against their capacity).</summary>
    Assigned = 17,
    /// <summary>Moved by a supervisor to another officer of their team at the same level to balance load; the due date stays.</summary>
    Reassigned = 18,
    /// <summary>Closed after the call-back to the complainant (satisfied, or not reachable under the closing rule); the note says which.</summary>
    Closed = 19,
    /// <summary>The L1 officer asked to return it (not pertaining, or a special closure); nothing else changes until the L2 officer decides.</summary>
    ReturnRequested = 20,
    /// <summary>The L2 officer approved the return; the move or the special closure follows. Its holder is the seat and officer that returned it.</summary>
    ReturnApproved = 21,
    /// <summary>The L2 officer refused the return; it stays with the L1 officer, due date unchanged.</summary>
    ReturnRefused = 22,
    /// <summary>Specially closed after an approved return (sub judice, personal dispute, repeat): a disposal.</summary>
    SpeciallyClosed = 23,
    /// <summary>An agent linked a call to it instead of registering a new grievance (the same matter raised again); the note names the caller's mobile, masked, and the agent's note.</summary>
    CallLinked = 24,
}

/// <summary>What the complainant's call-back decides about a disposal.</summary>
public enum CallBackDecision
{
    /// <summary>The disposal stands: the grievance is closed.</summary>
    Close = 0,
    /// <summary>The complainant is not satisfied: the grievance is reopened one level up with a fresh due date.</summary>
    Reopen = 1,
}

/// <summary>
/// The outcome of the call-back that checked one disposal, for the grievance to act on.
/// </summary>
/// <param name="CallBackId">The call-back's id: applying the same call-back again changes nothing.</param>
/// <param name="DisposalSequence">The timeline sequence of the disposal it checked; a grievance disposed of again or reopened since refuses it.</param>
/// <param name="Decision">Close or reopen.</param>
/// <param name="Actor">The call-back agent (or <c>system</c> for a rule applied without a call).</param>
/// <param name="Note">What goes on the timeline: the complainant's words, rating and reason.</param>
[GenerateSerializer]
[Alias("helpline.call-back-verdict")]
public sealed record CallBackVerdict(
    [property: Id(0)] string CallBackId,
    [property: Id(1)] int DisposalSequence,
    [property: Id(2)] CallBackDecision Decision,
    [property: Id(3)] string Actor,
    [property: Id(4)] string Note);

/// <summary>The person who raised the grievance.</summary>
/// <param name="Name">Name as given, 1..100 characters.</param>
/// <param name="Mobile">Indian mobile number, normalised to 10 digits starting 6-9.</param>
[GenerateSerializer]
[Alias("helpline.complainant")]
public sealed record Complainant([property: Id(0)] string Name, [property: Id(1)] string Mobile);

/// <summary>A request to register a grievance, as an agent enters it. Validated by <see cref="IGrievanceService"/>.</summary>
/// <param name="ClientRequestId">Caller-chosen id of this request (1..100 of A-Z a-z 0-9 . _ : -); a retry with the same id returns the grievance the first attempt created.</param>
/// <param name="Kind">Complaint, information, demand or suggestion.</param>
/// <param name="Complainant">Who raised it.</param>
/// <param name="JurisdictionId">Where the matter lies (a jurisdiction id).</param>
/// <param name="CategoryId">Catalogue category.</param>
/// <param name="Description">What the complainant said, 1..4000 characters.</param>
/// <param name="Channel">How it arrived.</param>
/// <param name="AgentId">The call-centre agent registering it.</param>
[GenerateSerializer]
[Alias("helpline.register-grievance")]
public sealed record RegisterGrievance(
    [property: Id(0)] string ClientRequestId,
    [property: Id(1)] GrievanceKind Kind,
    [property: Id(2)] Complainant Complainant,
    [property: Id(3)] string JurisdictionId,
    [property: Id(4)] string CategoryId,
    [property: Id(5)] string Description,
    [property: Id(6)] Channel Channel,
    [property: Id(7)] string AgentId);

/// <summary>One entry of a grievance's timeline: what happened, who did it, when and why.</summary>
/// <param name="Sequence">1-based position in the timeline.</param>
/// <param name="Type">What happened.</param>
/// <param name="At">When, a UTC instant.</param>
/// <param name="Actor">Who: an agent or officer id, or <c>system</c> for SLA actions.</param>
/// <param name="Note">Why, or the action taken report / reason / answer.</param>
/// <param name="OfficerId">The officer holding the grievance after the event.</param>
/// <param name="Level">The level (1..4) after the event.</param>
/// <param name="DueAt">The due date after the event, a UTC instant.</param>
/// <param name="PositionId">The position holding the grievance after the event (null on events stored before it was recorded).</param>
/// <param name="DepartmentId">The department after the event (null on events stored before it was recorded).</param>
/// <param name="CategoryId">The category after the event (null on events stored before it was recorded).</param>
/// <param name="JurisdictionId">The grievance's jurisdiction (null on events stored before it was recorded).</param>
/// <param name="Breached">Whether a breach stands after the event (null on events stored before it was recorded); a
/// recompute that clears a breach shows false here, so accountability counts that breach against nobody.</param>
/// <param name="BreachedAtTop">Whether a breach at the top of the chain stands after the event (null on events stored before it was recorded).</param>
/// <param name="ReturnKind">The kind of return, on ReturnRequested, ReturnApproved, ReturnRefused and SpeciallyClosed; null otherwise.</param>
[GenerateSerializer]
[Alias("helpline.timeline-event")]
public sealed record TimelineEvent(
    [property: Id(0)] int Sequence,
    [property: Id(1)] TimelineEventType Type,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Actor,
    [property: Id(4)] string? Note,
    [property: Id(5)] string? OfficerId,
    [property: Id(6)] int? Level,
    [property: Id(7)] DateTimeOffset? DueAt,
    [property: Id(8)] string? PositionId = null,
    [property: Id(9)] string? DepartmentId = null,
    [property: Id(10)] string? CategoryId = null,
    [property: Id(11)] string? JurisdictionId = null,
    [property: Id(12)] bool? Breached = null,
    [property: Id(13)] bool? BreachedAtTop = null,
    [property: Id(14)] ReturnKind? ReturnKind = null);

/// <summary>A grievance as it stands, with its whole timeline.</summary>
/// <param name="ReferenceNumber">12-digit reference number with a Verhoeff check digit.</param>
/// <param name="Request">What was registered.</param>
/// <param name="Status">Lifecycle status.</param>
/// <param name="DepartmentId">Department of the category.</param>
/// <param name="PositionId">Position holding it now.</param>
/// <param name="OfficerId">Officer holding it now.</param>
/// <param name="Level">Level 1..4 of the current holder.</param>
/// <param name="RegisteredAt">Registration instant (UTC).</param>
/// <param name="DueAt">Current due date (UTC); null once disposed on the call.</param>
/// <param name="Breached">True once any due date has passed without disposal.</param>
/// <param name="BreachedAtTop">True when the due date passed at L4 (or the top of the chain).</param>
/// <param name="ClosedAt">Disposal instant (UTC), when disposed.</param>
/// <param name="Disposal">Action taken report, rejection reason, or answer given on the call.</param>
/// <param name="Timeline">Every change, oldest first.</param>
/// <param name="AtRiskAt">When the warning share of the current level's allowance is used (UTC); null without an SLA.</param>
/// <param name="OnHoldSince">When it was put on hold (UTC); null when the clock runs.</param>
/// <param name="SlaStartedAt">When the current level's clock started (registration, escalation, forward, reopen; UTC).</param>
/// <param name="Pauses">Pauses at the current level, oldest first.</param>
/// <param name="PendingReturn">The return the L1 officer asked for and the L2 officer has not decided yet; null when none.</param>
// A snapshot the grain builds afresh for each answer (its lists copied) and nobody changes: a call within the silo
// hands it over as it is instead of deep-copying the timeline.
[GenerateSerializer]
[Immutable]
[Alias("helpline.grievance")]
public sealed record Grievance(
    [property: Id(0)] string ReferenceNumber,
    [property: Id(1)] RegisterGrievance Request,
    [property: Id(2)] GrievanceStatus Status,
    [property: Id(3)] string DepartmentId,
    [property: Id(4)] string PositionId,
    [property: Id(5)] string OfficerId,
    [property: Id(6)] int Level,
    [property: Id(7)] DateTimeOffset RegisteredAt,
    [property: Id(8)] DateTimeOffset? DueAt,
    [property: Id(9)] bool Breached,
    [property: Id(10)] bool BreachedAtTop,
    [property: Id(11)] DateTimeOffset? ClosedAt,
    [property: Id(12)] string? Disposal,
    [property: Id(13)] IReadOnlyList<TimelineEvent> Timeline,
    [property: Id(14)] DateTimeOffset? AtRiskAt = null,
    [property: Id(15)] DateTimeOffset? OnHoldSince = null,
    [property: Id(16)] DateTimeOffset? SlaStartedAt = null,
    [property: Id(17)] IReadOnlyList<Helpline.Sla.SlaPause>? Pauses = null,
    [property: Id(18)] PendingReturn? PendingReturn = null)
{
    /// <summary>Whether it is overdue at <paramref name="now"/> (<see cref="Overdue.Is"/>).</summary>
    public bool IsOverdue(DateTimeOffset now) => Overdue.Is(Status, OnHoldSince, DueAt, now);
}

/// <summary>
/// A historical grievance brought in from another grievance system, with the source's own times. Only callers with
/// the importing role may submit these (see <see cref="IGrievanceService.ImportAsync"/>).
/// </summary>
/// <param name="Source">Source system code, for example <c>boston311</c>.</param>
/// <param name="SourceId">The source's case id, unique within the source.</param>
/// <param name="Kind">Kind (complaints unless the source says otherwise).</param>
/// <param name="JurisdictionId">Jurisdiction under the source's own root.</param>
/// <param name="CategoryId">Category created for the source's case type.</param>
/// <param name="Description">What the case was about, 1..4000 characters.</param>
/// <param name="RegisteredAt">When the source registered it (UTC instant).</param>
/// <param name="DueAt">The source's own due date (UTC); null means no SLA: never overdue.</param>
/// <param name="ClosedAt">When the source closed it (UTC); null means still open.</param>
/// <param name="Closure">The source's closure note, if any.</param>
/// <param name="ImporterId">Who imported it (recorded as the actor).</param>
/// <param name="TimeNote">How a repeated or skipped local hour was read, if one was; recorded on the timeline.</param>
[GenerateSerializer]
[Alias("helpline.import-grievance")]
public sealed record ImportGrievance(
    [property: Id(0)] string Source,
    [property: Id(1)] string SourceId,
    [property: Id(2)] GrievanceKind Kind,
    [property: Id(3)] string JurisdictionId,
    [property: Id(4)] string CategoryId,
    [property: Id(5)] string Description,
    [property: Id(6)] DateTimeOffset RegisteredAt,
    [property: Id(7)] DateTimeOffset? DueAt,
    [property: Id(8)] DateTimeOffset? ClosedAt,
    [property: Id(9)] string? Closure,
    [property: Id(10)] string ImporterId,
    [property: Id(11)] string? TimeNote = null)
{
    /// <summary>The client request id an import is registered under: <c>import:&lt;source&gt;:&lt;sourceId&gt;</c>.</summary>
    public string ClientRequestId => GrievanceKeys.ImportRequestId(Source, SourceId);
}

/// <summary>The grievance an import produced or found, and whether this call created it.</summary>
/// <param name="Grievance">The grievance.</param>
/// <param name="Created">False when the source record had been imported before (nothing changed).</param>
[GenerateSerializer]
[Alias("helpline.import-result")]
public sealed record ImportedGrievance([property: Id(0)] Grievance Grievance, [property: Id(1)] bool Created);

/// <summary>Keys of grievance grains.</summary>
public static class GrievanceKeys
{
    /// <summary>
    /// The grain key for a registration request: <c>g:</c> + client request id. The prefix matters: Orleans stores a
    /// string key made only of hex digits as an integer key, which would break finding the grain from its stored key.
    /// </summary>
    public static string ForRequest(string clientRequestId) => "g:" + clientRequestId;

    /// <summary>The client request id an imported record is registered under: <c>import:&lt;source&gt;:&lt;sourceId&gt;</c>.</summary>
    public static string ImportRequestId(string source, string sourceId) => $"import:{source}:{sourceId}";

    /// <summary>The grain key of an imported record (<see cref="ForRequest"/> of <see cref="ImportRequestId"/>).</summary>
    public static string ForImport(string source, string sourceId) => ForRequest(ImportRequestId(source, sourceId));
}

/// <summary>
/// A grievance as a grain, keyed by <see cref="GrievanceKeys.ForRequest"/> of the registering request's client request id. It owns the lifecycle, persists
/// through Orleans ADO.NET storage (state name <c>grievance</c>), keeps its read-model row in step, and keeps its
/// current officer's deadline list in step.
/// </summary>
[Alias("helpline.IGrievanceGrain")]
public interface IGrievanceGrain : IDueDateHandler
{
    /// <summary>Registers and routes; a repeat of the same request returns the grievance already registered.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">IDEMPOTENCY_KEY_REUSED, NO_ROUTE, UNKNOWN_CATEGORY, UNKNOWN_JURISDICTION.</exception>
    Task<Grievance> Register(RegisterGrievance request);

    /// <summary>The grievance, or null when this key was never registered.</summary>
    Task<Grievance?> Get();

    /// <summary>The holding officer disposes of it with an action taken report.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_STATE_TRANSITION, NOT_ASSIGNED_OFFICER.</exception>
    Task<Grievance> Resolve(string officerId, string actionTakenReport);

    /// <summary>The holding officer rejects it with a reason.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_STATE_TRANSITION, NOT_ASSIGNED_OFFICER.</exception>
    Task<Grievance> Reject(string officerId, string reason);

    /// <summary>An agent answers an open information request on the call.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_STATE_TRANSITION when it is not an open information request.</exception>
    Task<Grievance> DisposeOnCall(string agentId, string answer);

    /// <summary>
    /// Registers a historical grievance with the source's own times and puts it through the same lifecycle as live
    /// traffic: routed at its registration time; every due date that passed before it closed (or before now, if it is
    /// still open) is breached and escalated at that instant, exactly as the live SLA engine would have done; closed
    /// cases are resolved at their closing time. A repeat returns the existing grievance with Created = false.
    /// </summary>
    Task<ImportedGrievance> Import(ImportGrievance import);

    /// <summary>The holding officer puts it on hold while waiting for the complainant; the SLA clock stops.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_STATE_TRANSITION (not open, already on hold, no SLA), NOT_ASSIGNED_OFFICER.</exception>
    Task<Grievance> Pause(string officerId, string reason);

    /// <summary>The holding officer takes it off hold; the due date moves by exactly the paused time in the policy's unit.</summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_STATE_TRANSITION (not on hold), NOT_ASSIGNED_OFFICER.</exception>
    Task<Grievance> Resume(string officerId);

    /// <summary>The holding officer records an interim reply; the clock does not stop.</summary>
    Task<Grievance> RecordInterimReply(string officerId, string reply);

    /// <summary>
    /// Moves it to another category: routed afresh to that category's L1 seat, with the due date computed from the
    /// rules from now; a breach flag that no longer holds is cleared.
    /// </summary>
    Task<Grievance> Recategorise(string actorId, string categoryId, string reason);

    /// <summary>
    /// The holding officer forwards it to another seat (another department's, or one up the chain). The level is
    /// the current one, or higher by the number of steps when the seat is up the holder's supervisor chain (at most
    /// L4); the due date is computed from the rules from now, and a breach that no longer holds is cleared.
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">NOT_ASSIGNED_OFFICER, INVALID_STATE_TRANSITION, INVALID_VALUE (same seat), NO_ROUTE (vacant seat).</exception>
    Task<Grievance> Forward(string officerId, string positionId, string reason);

    /// <summary>Computes the current level's due date again from the rules (after a policy change); clears a breach that no longer holds.</summary>
    Task<Grievance> RecomputeSla(string actorId, string reason);

    /// <summary>Reopens a disposed grievance one level up with a fresh due date from now (never the old one).</summary>
    Task<Grievance> Reopen(string actorId, string reason);

    /// <summary>
    /// Acts on a call-back's outcome: closes the disposal it checked, or reopens the grievance one level up. Applying the
    /// same call-back again returns the grievance unchanged.
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">DISPOSAL_SUPERSEDED (reopened, disposed of again or closed since that disposal), NO_ROUTE (reopening at a vacant seat).</exception>
    Task<Grievance> ApplyCallBack(CallBackVerdict verdict);

    /// <summary>Why it is due when it is: policy, level, calendar, holidays skipped, pauses; null without an SLA.</summary>
    Task<Helpline.Sla.SlaExplanation?> ExplainDueDate();

    /// <summary>
    /// Hands it to <paramref name="toOfficerId"/>, the officer now acting for <paramref name="positionId"/> (a transfer, a
    /// posting, a leave begun or ended). Only an open grievance (on hold included) still at that position and held by
    /// someone else moves; level, position, due date, at-risk instant, pauses and breaches stay (the SLA clock belongs to
    /// the grievance), and the deadline moves to the new holder's officer grain. Anything else changes nothing, so a
    /// repeated or stale call is harmless.
    /// </summary>
    /// <returns>True when this call moved it.</returns>
    /// <exception cref="InvalidOperationException">The officer is unknown on this silo even after loading every shared-data change; nothing was done.</exception>
    Task<bool> HandOver(string positionId, string toOfficerId, string actor, string reason);

    /// <summary>
    /// A supervisor's rebalancing move: the grievance goes from <paramref name="fromOfficerId"/> to
    /// <paramref name="toOfficerId"/> at <paramref name="toPositionId"/> (a seat of the same department), keeping its level,
    /// due date, at-risk instant, pauses and breaches. Checked here, atomically with the move: it must be open and held by
    /// <paramref name="fromOfficerId"/>; when it is already held by <paramref name="toOfficerId"/> at that seat nothing changes
    /// and false is returned (a retried move).
    /// </summary>
    /// <returns>True when this call moved it.</returns>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION (not open), HOLDER_CHANGED (held by someone else now), TARGET_NOT_SERVING (the receiver no longer serves the seat), INVALID_VALUE (a seat of another department).</exception>
    Task<bool> Reassign(string fromOfficerId, string toPositionId, string toOfficerId, string actor, string reason);

    /// <summary>
    /// The L1 holder (or their supervisor acting) asks to return it: <see cref="ReturnKind.NotPertaining"/>, or a special
    /// closure. Only a ReturnRequested event is appended: the officer still holds it and the SLA clock keeps running. The
    /// same request repeated while it is pending returns the grievance unchanged.
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_STATE_TRANSITION (not open), RETURN_NOT_AT_LEVEL_ONE, NOT_ASSIGNED_OFFICER, RETURN_ALREADY_PENDING.</exception>
    Task<Grievance> RequestReturn(string officerId, ReturnKind kind, string reason);

    /// <summary>
    /// The officer acting for the seat above the one that asked decides the pending return. Refused: it stays as it is.
    /// Approved: a not-pertaining return moves to <paramref name="positionId"/> (sideways, at L1) or is re-routed to
    /// <paramref name="categoryId"/>, with a due date from now; a special closure disposes of it.
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">NO_PENDING_RETURN (none, lapsed, or already decided), NOT_ASSIGNED_OFFICER, REQUIRED / INVALID_VALUE (positionId, categoryId), and the forward / recategorise refusals.</exception>
    Task<Grievance> DecideReturn(string officerId, bool approve, string reason, string? positionId, string? categoryId);

    /// <summary>
    /// Links the call on the line to this open grievance instead of registering a new one: a CallLinked event by the
    /// agent, naming the caller's mobile (masked) and the agent's note. The same client request id again returns the
    /// grievance unchanged, even once it is no longer open.
    /// </summary>
    /// <exception cref="Helpline.Platform.Errors.HelplineException">INVALID_STATE_TRANSITION (not open; the message names its status).</exception>
    Task<Grievance> LinkCall(string clientRequestId, string agentId, string mobile, string? note);

    /// <summary>Writes the read-model row again if it may lag the grain's state (used by the read-model repair job).</summary>
    Task EnsureProjected();
}
