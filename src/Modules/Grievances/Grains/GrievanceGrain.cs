using System.Globalization;
using Helpline.Catalogue;
using Helpline.Grievances.Domain;
using Helpline.Grievances.ReadModel;
using Helpline.Officers;
using Helpline.Officers.Workload;
using Helpline.Platform.Errors;
using Helpline.Sla;
using Microsoft.Extensions.Logging;

namespace Helpline.Grievances.Grains;

internal sealed partial class GrievanceGrain(
    [PersistentState("grievance")] IPersistentState<GrievanceState> state,
    ICatalogue catalogue,
    IRoutingService routing,
    IOfficerDirectory officers,
    ISlaEngine sla,
    IReferenceNumberAllocator allocator,
    IGrievanceProjection projection,
    TimeProvider clock,
    ILogger<GrievanceGrain> logger) : Grain, IGrievanceGrain
{
    private const string SystemActor = "system";

    // The read-model version this activation knows to be written; -1 means "not known", so the first
    // EnsureProjected of an activation always rewrites (the outbox row says it may lag).
    private int _projectedVersion = -1;

    private GrievanceState S => state.State;

    private string Key => this.GetPrimaryKeyString();

    private bool Registered => S.ReferenceNumber is not null;

    private string CategoryId => S.CurrentCategoryId ?? S.Request!.CategoryId;

    public async Task<Grievance> Register(RegisterGrievance request)
    {
        if (Registered)
        {
            if (S.Request != request)
            {
                throw new HelplineException(
                    ErrorCodes.IdempotencyConflict,
                    $"Client request id '{request.ClientRequestId}' was already used for grievance {ReferenceNumber.Display(S.ReferenceNumber!)} with different content; use a new id for a new grievance.",
                    "input.clientRequestId");
            }

            // A retry: the first attempt may have stopped after storing state, so finish its remaining steps.
            await TrackWithOfficer();
            await Project(force: false);
            return Snapshot();
        }

        if (GrievanceKeys.ForRequest(request.ClientRequestId) != Key)
        {
            throw new ArgumentException("The grain key must be GrievanceKeys.ForRequest of the request's client request id.", nameof(request));
        }

        _ = catalogue.FindCategory(request.CategoryId)
            ?? throw new HelplineException(ErrorCodes.UnknownCategory, $"No category has id '{request.CategoryId}'.", "input.categoryId");
        var assignment = routing.Route(request.CategoryId, request.JurisdictionId);
        var now = Now();
        var serial = await allocator.NextAsync(CancellationToken.None);

        S.ReferenceNumber = ReferenceNumber.Create(serial, now);
        S.Request = request;
        S.Status = GrievanceStatus.Open;
        S.DepartmentId = catalogue.FindCategory(request.CategoryId)!.DepartmentId;
        S.RegisteredAt = now;
        StartLevel(assignment, 1, now);
        Append(TimelineEventType.Registered, now, request.AgentId, $"Registered via {request.Channel} as {request.Kind}.");
        Append(TimelineEventType.Routed, now, SystemActor, $"Routed to {assignment.Position.Title} ({assignment.Position.Id}), L1; {Explain()}.");

        await Save();
        await TrackWithOfficer();
        await Project(force: true);
        LogRegistered(S.ReferenceNumber, S.OfficerId, S.DueAt!.Value);
        return Snapshot();
    }

    public Task<Grievance?> Get() => Task.FromResult(Registered ? Snapshot() : null);

    public Task<Grievance> Resolve(string officerId, string actionTakenReport) =>
        Dispose(officerId, GrievanceStatus.Resolved, TimelineEventType.Resolved, actionTakenReport);

    public Task<Grievance> Reject(string officerId, string reason) =>
        Dispose(officerId, GrievanceStatus.Rejected, TimelineEventType.Rejected, reason);

    public async Task<Grievance> DisposeOnCall(string agentId, string answer)
    {
        RequireOpen("dispose of on the call");
        if (S.Request!.Kind != GrievanceKind.Information)
        {
            throw new HelplineException(
                ErrorCodes.InvalidTransition,
                $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} is a {S.Request.Kind}; only an information request can be disposed of on the call.",
                "referenceNumber");
        }

        var heldBy = S.OfficerId;
        Close(GrievanceStatus.DisposedOnCall, TimelineEventType.DisposedOnCall, agentId, answer);
        await Save();
        await GrainFactory.GetGrain<IOfficerGrain>(heldBy).Release(Key);
        await Project(force: true);
        return Snapshot();
    }

    public async Task OnDueDatePassed(DateTimeOffset dueAt)
    {
        if (!Registered || S.Status != GrievanceStatus.Open || S.DueAt != dueAt || S.BreachedAtTop || S.OnHoldSince is not null)
        {
            return; // already acted on, disposed, on hold, or the due date moved: nothing to do, exactly once
        }

        var previousOfficer = S.OfficerId;
        Breach(Now());
        await Save();
        if (previousOfficer != S.OfficerId)
        {
            await GrainFactory.GetGrain<IOfficerGrain>(previousOfficer).Release(Key);
            await GrainFactory.GetGrain<IOfficerGrain>(S.OfficerId).Notify(new OfficerAlert(
                Now(), S.ReferenceNumber!, "ESCALATED_TO_YOU", $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} breached its due date at L{S.Level - 1} and is now yours at L{S.Level}."));
        }

        await TrackWithOfficer();
        await Project(force: true);
        LogBreached(S.ReferenceNumber!, dueAt, S.Level, S.OfficerId);
    }

    public async Task OnAtRisk(DateTimeOffset atRiskAt)
    {
        if (!Registered || S.Status != GrievanceStatus.Open || S.AtRiskAt != atRiskAt || S.AtRiskAnnounced || S.OnHoldSince is not null)
        {
            return;
        }

        var now = Now();
        S.AtRiskAnnounced = true;
        var policy = sla.GetPolicy(CategoryId, S.Level);
        var message = $"{policy.WarningShare:P0} of the L{S.Level} allowance ({policy.Allowance}) is used; due {Format(S.DueAt!.Value)}.";
        Append(TimelineEventType.AtRisk, now, SystemActor, message);
        await Save();
        var alert = new OfficerAlert(now, S.ReferenceNumber!, "AT_RISK", $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} is at risk: {message}");
        await GrainFactory.GetGrain<IOfficerGrain>(S.OfficerId).Notify(alert);
        if (officers.SupervisorOf(S.PositionId) is { } supervisor)
        {
            await GrainFactory.GetGrain<IOfficerGrain>(supervisor.Officer.Id).Notify(alert with { Kind = "SUBORDINATE_AT_RISK" });
        }

        await TrackWithOfficer();
        await Project(force: true);
    }

    public async Task<Grievance> Pause(string officerId, string reason)
    {
        RequireHolder(officerId, "put on hold");
        if (S.OnHoldSince is not null)
        {
            throw new HelplineException(ErrorCodes.InvalidTransition, $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} is already on hold since {Format(S.OnHoldSince.Value)}.", "referenceNumber");
        }

        if (S.DueAt is null || S.BreachedAtTop)
        {
            throw new HelplineException(ErrorCodes.InvalidTransition, $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} has no running SLA clock to stop.", "referenceNumber");
        }

        var now = Now();
        S.OnHoldSince = now;
        Append(TimelineEventType.Paused, now, officerId, reason);
        await Save();
        await TrackWithOfficer();
        await Project(force: true);
        return Snapshot();
    }

    public async Task<Grievance> Resume(string officerId)
    {
        RequireHolder(officerId, "take off hold");
        if (S.OnHoldSince is not { } pausedAt)
        {
            throw new HelplineException(ErrorCodes.InvalidTransition, $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} is not on hold.", "referenceNumber");
        }

        var now = Now();
        var unit = S.DueFromSource ? SlaUnit.CalendarDays : sla.GetPolicy(CategoryId, S.Level).Allowance.Unit;
        var jurisdiction = S.Request!.JurisdictionId;
        var paused = sla.WorkingTimeBetween(jurisdiction, unit, pausedAt, now);
        var oldDue = S.DueAt!.Value;
        S.DueAt = sla.Extend(jurisdiction, unit, oldDue, pausedAt, now).ToUniversalTime();
        if (S.AtRiskAt is { } atRisk && !S.AtRiskAnnounced)
        {
            S.AtRiskAt = sla.Extend(jurisdiction, unit, atRisk, pausedAt, now).ToUniversalTime();
        }

        S.Pauses.Add(new SlaPause(pausedAt, now));
        S.OnHoldSince = null;
        Append(
            TimelineEventType.Resumed,
            now,
            officerId,
            $"On hold {paused:g} of counted time ({(unit == SlaUnit.CalendarDays ? "calendar" : "working")} time); due date moved from {Format(oldDue)} to {Format(S.DueAt.Value)}.");
        await Save();
        await TrackWithOfficer();
        await Project(force: true);
        return Snapshot();
    }

    public async Task<Grievance> RecordInterimReply(string officerId, string reply)
    {
        RequireHolder(officerId, "reply to");
        Append(TimelineEventType.InterimReply, Now(), officerId, reply);
        await Save();
        await Project(force: true);
        return Snapshot();
    }

    public async Task<Grievance> Recategorise(string actorId, string categoryId, string reason)
    {
        RequireOpen("re-categorise");
        var category = catalogue.FindCategory(categoryId)
            ?? throw new HelplineException(ErrorCodes.UnknownCategory, $"No category has id '{categoryId}'.", "categoryId");
        if (categoryId == CategoryId)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} is already in category '{categoryId}'.", "categoryId");
        }

        var assignment = routing.Route(categoryId, S.Request!.JurisdictionId);
        var now = Now();
        var previousOfficer = S.OfficerId;
        var previous = CategoryId;
        var wasOnHold = S.OnHoldSince is not null;
        S.CurrentCategoryId = categoryId == S.Request.CategoryId ? null : categoryId;
        S.DepartmentId = category.DepartmentId;
        Append(TimelineEventType.Recategorised, now, actorId, $"Category {previous} → {categoryId}: {reason}{(wasOnHold ? " (the hold ended: the new seat's clock starts now)" : "")}");
        StartLevel(assignment, 1, now);
        ClearBreachesThatNoLongerHold(now);
        Append(TimelineEventType.Recomputed, now, SystemActor, $"Routed to {assignment.Position.Title} ({assignment.Position.Id}), L1; {Explain()}.");
        await Save();
        await MoveBetweenOfficers(previousOfficer);
        await Project(force: true);
        return Snapshot();
    }

    public async Task<Grievance> Forward(string officerId, string positionId, string reason)
    {
        RequireHolder(officerId, "forward");
        if (positionId == S.PositionId)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} is already with seat {positionId}.", "positionId");
        }

        var seat = officers.FindPosition(positionId)
            ?? throw new HelplineException(ErrorCodes.Invalid, $"No seat has id '{positionId}'.", "positionId");
        var holder = officers.HolderOf(positionId)
            ?? throw new HelplineException(ErrorCodes.NoRoute, $"Seat {positionId} is vacant.", "positionId");

        // Up the holder's own chain the grievance climbs levels; sideways (another department) it keeps its level.
        var level = S.Level;
        var steps = 0;
        for (var up = officers.SupervisorOf(S.PositionId); up is not null; up = officers.SupervisorOf(up.Position.Id))
        {
            steps++;
            if (up.Position.Id == positionId)
            {
                level = Math.Min(4, S.Level + steps);
                break;
            }
        }

        var now = Now();
        var previousOfficer = S.OfficerId;
        var from = S.PositionId;
        if (seat.DepartmentId != S.DepartmentId)
        {
            S.DepartmentId = seat.DepartmentId;
        }

        StartLevel(new Assignment(seat, holder), level, now);
        ClearBreachesThatNoLongerHold(now);
        Append(TimelineEventType.Forwarded, now, officerId, $"Forwarded from {from} to {seat.Title} ({seat.Id}) at L{S.Level}: {reason}; {Explain()}.");
        await Save();
        await MoveBetweenOfficers(previousOfficer);
        await Project(force: true);
        return Snapshot();
    }

    public async Task<Grievance> RecomputeSla(string actorId, string reason)
    {
        RequireOpen("recompute the due date of");
        if (S.DueFromSource)
        {
            return Snapshot(); // the source's own due date is not Helpline's to recompute
        }

        var now = Now();
        var c = sla.Compute(CategoryId, S.Level, S.Request!.JurisdictionId, S.SlaStartedAt, S.Pauses);
        var due = c.DueAt.ToUniversalTime();
        if (due == S.DueAt)
        {
            return Snapshot();
        }

        var old = S.DueAt;
        S.DueAt = due;
        S.AtRiskAt = c.AtRiskAt.ToUniversalTime();
        S.AtRiskAnnounced = S.AtRiskAt <= now && S.AtRiskAnnounced;
        ClearBreachesThatNoLongerHold(now);
        Append(TimelineEventType.Recomputed, now, actorId, $"{reason}: due date {(old is { } o ? Format(o) : "none")} → {Format(due)}; {Explain()}.");
        await Save();
        await TrackWithOfficer();
        await Project(force: true);
        return Snapshot();
    }

    public async Task<Grievance> Reopen(string actorId, string reason)
    {
        if (!Registered)
        {
            throw new HelplineException(ErrorCodes.UnknownGrievance, "No such grievance.", "referenceNumber");
        }

        if (S.Status == GrievanceStatus.Open)
        {
            throw new HelplineException(ErrorCodes.InvalidTransition, $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} is open; only a disposed grievance can be reopened.", "referenceNumber");
        }

        var now = Now();
        var up = S.Level < 4 ? officers.SupervisorOf(S.PositionId) : null;
        var assignment = up ?? new Assignment(officers.FindPosition(S.PositionId)!, officers.HolderOf(S.PositionId)!);
        S.Status = GrievanceStatus.Open;
        S.ClosedAt = null;
        S.Disposal = null;
        S.BreachedAtTop = false;
        Append(TimelineEventType.Reopened, now, actorId, reason);
        StartLevel(assignment, up is null ? S.Level : S.Level + 1, now);
        Append(TimelineEventType.Routed, now, SystemActor, $"Reopened with {assignment.Position.Title} ({assignment.Position.Id}), L{S.Level}; {Explain()}.");
        await Save();
        await TrackWithOfficer();
        await Project(force: true);
        return Snapshot();
    }

    public Task<SlaExplanation?> ExplainDueDate()
    {
        if (!Registered || S.DueAt is null || S.DueFromSource)
        {
            return Task.FromResult<SlaExplanation?>(null);
        }

        return Task.FromResult<SlaExplanation?>(sla.Compute(CategoryId, S.Level, S.Request!.JurisdictionId, S.SlaStartedAt, S.Pauses).Explanation);
    }

    public async Task<ImportedGrievance> Import(ImportGrievance import)
    {
        if (GrievanceKeys.ForRequest(import.ClientRequestId) != Key)
        {
            throw new ArgumentException("The grain key must be GrievanceKeys.ForRequest of the import's client request id.", nameof(import));
        }

        if (Registered)
        {
            // Re-running an import creates nothing; finish steps a crashed first attempt may have left.
            await TrackWithOfficer();
            await Project(force: false);
            return new ImportedGrievance(Snapshot(), false);
        }

        var category = catalogue.FindCategory(import.CategoryId)
            ?? throw new HelplineException(ErrorCodes.UnknownCategory, $"No category has id '{import.CategoryId}'.", "category");
        var assignment = routing.Route(import.CategoryId, import.JurisdictionId);
        var serial = await allocator.NextAsync(CancellationToken.None);
        var actor = import.ImporterId;

        S.ReferenceNumber = ReferenceNumber.Create(serial, import.RegisteredAt);
        S.Request = new RegisterGrievance(
            import.ClientRequestId,
            import.Kind,
            new Complainant("Not recorded (imported)", ""),
            import.JurisdictionId,
            import.CategoryId,
            import.Description,
            Channel.Import,
            actor);
        S.Status = GrievanceStatus.Open;
        S.DepartmentId = category.DepartmentId;
        S.PositionId = assignment.Position.Id;
        S.OfficerId = assignment.Officer.Id;
        S.Level = 1;
        S.RegisteredAt = import.RegisteredAt;
        S.SlaStartedAt = import.RegisteredAt;
        S.DueAt = import.DueAt;
        S.DueFromSource = import.DueAt is not null;
        Append(TimelineEventType.Registered, import.RegisteredAt, actor, $"Imported from {import.Source}, case {import.SourceId}.");
        Append(
            TimelineEventType.Routed,
            import.RegisteredAt,
            SystemActor,
            import.DueAt is null
                ? $"Routed to {assignment.Position.Title} ({assignment.Position.Id}), L1; the source set no due date, so no SLA applies."
                : $"Routed to {assignment.Position.Title} ({assignment.Position.Id}), L1, due date set by the source.");

        // Judge it as the live engine would have: each due date that passed before the case closed (or before now)
        // breaches and escalates at that instant.
        var until = import.ClosedAt ?? Now();
        while (S.Status == GrievanceStatus.Open && !S.BreachedAtTop && S.DueAt is { } due && due < until)
        {
            Breach(due);
        }

        if (import.ClosedAt is { } closedAt)
        {
            Close(GrievanceStatus.Resolved, TimelineEventType.Resolved, actor, import.Closure ?? $"Closed in {import.Source}.", closedAt);
        }

        await Save();
        await TrackWithOfficer();
        await Project(force: true);
        return new ImportedGrievance(Snapshot(), true);
    }

    public async Task EnsureProjected()
    {
        if (!Registered)
        {
            return;
        }

        await TrackWithOfficer();

        // Called because an outbox row says the read model may lag: write it whatever this activation believes.
        await Project(force: true);
    }

    private async Task<Grievance> Dispose(string officerId, GrievanceStatus status, TimelineEventType type, string text)
    {
        RequireHolder(officerId, status == GrievanceStatus.Resolved ? "resolve" : "reject");
        Close(status, type, officerId, text);
        await Save();
        await GrainFactory.GetGrain<IOfficerGrain>(officerId).Release(Key);
        await Project(force: true);
        return Snapshot();
    }

    /// <summary>Starts the clock of <paramref name="level"/> with <paramref name="assignment"/> at <paramref name="at"/>, due date from the SLA rules.</summary>
    private void StartLevel(Assignment assignment, int level, DateTimeOffset at)
    {
        S.PositionId = assignment.Position.Id;
        S.OfficerId = assignment.Officer.Id;
        S.Level = level;
        S.SlaStartedAt = at;
        S.Pauses = [];
        S.OnHoldSince = null;
        S.AtRiskAnnounced = false;
        S.DueFromSource = false;
        var c = sla.Compute(CategoryId, level, S.Request!.JurisdictionId, at);
        S.DueAt = c.DueAt.ToUniversalTime();
        S.AtRiskAt = c.AtRiskAt.ToUniversalTime();
    }

    private string Explain()
    {
        var policy = sla.GetPolicy(CategoryId, S.Level);
        return $"SLA {policy.Allowance} ({(policy.Source == SlaPolicySource.CategoryOverride ? "category policy" : "catalogue default")}), due {Format(S.DueAt!.Value)}";
    }

    // A breach at the current level no longer holds when the due date moved into the future; breaches at earlier
    // levels (which escalated the grievance) stay on record.
    private void ClearBreachesThatNoLongerHold(DateTimeOffset now)
    {
        if (S.DueAt > now)
        {
            S.BreachedAtTop = false;
            if (!S.Timeline.Exists(e => e.Type == TimelineEventType.Escalated) || S.Level == 1)
            {
                S.Breached = false;
            }
        }
    }

    private async Task MoveBetweenOfficers(string previousOfficer)
    {
        if (previousOfficer != S.OfficerId)
        {
            await GrainFactory.GetGrain<IOfficerGrain>(previousOfficer).Release(Key);
        }

        await TrackWithOfficer();
    }

    // A failed write leaves the in-memory state ahead of storage; dropping the activation makes the next call
    // reload what was really stored, so a refused or failed change is never half-applied.
    private async Task Save()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private void RequireOpen(string action)
    {
        if (!Registered)
        {
            throw new HelplineException(ErrorCodes.UnknownGrievance, "No such grievance.", "referenceNumber");
        }

        if (S.Status != GrievanceStatus.Open)
        {
            throw new HelplineException(
                ErrorCodes.InvalidTransition,
                $"Cannot {action} grievance {ReferenceNumber.Display(S.ReferenceNumber!)}: it is already {S.Status}.",
                "referenceNumber");
        }
    }

    private void RequireHolder(string officerId, string action)
    {
        RequireOpen(action);
        if (!string.Equals(officerId, S.OfficerId, StringComparison.Ordinal))
        {
            throw new HelplineException(
                ErrorCodes.NotAssignedOfficer,
                $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} is held by officer {S.OfficerId} (L{S.Level}), not {officerId}.",
                "officerId");
        }
    }

    private void Close(GrievanceStatus status, TimelineEventType type, string actor, string text, DateTimeOffset? at = null)
    {
        var when = at ?? Now();
        S.Status = status;
        S.ClosedAt = when;
        S.Disposal = text;
        S.OnHoldSince = null;
        Append(type, when, actor, text);
    }

    /// <summary>
    /// The current due date passed at <paramref name="at"/>: mark the breach, then move to the supervisor one level up
    /// with that level's allowance counted from <paramref name="at"/>, or, at L4 or the top of the chain, stay and mark
    /// the breach at the top.
    /// </summary>
    private void Breach(DateTimeOffset at)
    {
        S.Breached = true;
        Append(TimelineEventType.Breached, at, SystemActor, $"Due date {Format(S.DueAt!.Value)} passed at L{S.Level} without disposal.");
        var supervisor = S.Level < 4 ? officers.SupervisorOf(S.PositionId) : null;
        if (supervisor is not null)
        {
            StartLevel(supervisor, S.Level + 1, at);
            Append(TimelineEventType.Escalated, at, SystemActor, $"Escalated to supervisor {supervisor.Position.Title} ({supervisor.Position.Id}) at L{S.Level}; {Explain()}.");
        }
        else
        {
            S.BreachedAtTop = true;
            Append(TimelineEventType.BreachedAtTop, at, SystemActor, $"Due date passed at the top of the chain (L{S.Level}); it stays with {S.PositionId}.");
        }
    }

    private void Append(TimelineEventType type, DateTimeOffset at, string actor, string? note) =>
        S.Timeline.Add(new TimelineEvent(
            S.Timeline.Count + 1, type, at, actor, note, S.OfficerId, S.Level, S.DueAt, S.PositionId, S.DepartmentId, CategoryId, S.Request!.JurisdictionId));

    private Task TrackWithOfficer() =>
        S.Status == GrievanceStatus.Open && S.DueAt is { } due
            ? GrainFactory.GetGrain<IOfficerGrain>(S.OfficerId).Track(new TrackedGrievance(
                Key,
                S.ReferenceNumber!,
                due,
                !S.BreachedAtTop && S.OnHoldSince is null,
                S.AtRiskAt,
                S.OnHoldSince is not null,
                S.AtRiskAnnounced))
            : Task.CompletedTask;

    private async Task Project(bool force)
    {
        var version = int.Parse(state.Etag ?? "0", CultureInfo.InvariantCulture);
        if (!force && version == _projectedVersion)
        {
            return;
        }

        await projection.WriteAsync(Key, Snapshot(), version, CancellationToken.None);
        _projectedVersion = version;
    }

    private Grievance Snapshot() => new(
        S.ReferenceNumber!,
        S.CurrentCategoryId is { } current ? S.Request! with { CategoryId = current } : S.Request!,
        S.Status,
        S.DepartmentId,
        S.PositionId,
        S.OfficerId,
        S.Level,
        S.RegisteredAt,
        S.DueAt,
        S.Breached,
        S.BreachedAtTop,
        S.ClosedAt,
        S.Disposal,
        S.Timeline.ToArray(),
        S.Status == GrievanceStatus.Open ? S.AtRiskAt : null,
        S.OnHoldSince,
        S.SlaStartedAt,
        S.Pauses.ToArray());

    // PostgreSQL keeps microseconds; truncating here makes the grain and the read model report identical instants.
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grievance {ReferenceNumber} registered and routed to officer {OfficerId}, due {DueAt}")]
    private partial void LogRegistered(string referenceNumber, string officerId, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grievance {ReferenceNumber} breached its due date {DueAt}; now at L{Level} with officer {OfficerId}")]
    private partial void LogBreached(string referenceNumber, DateTimeOffset dueAt, int level, string officerId);
}
