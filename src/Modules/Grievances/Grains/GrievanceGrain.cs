using System.Globalization;
using Helpline.Catalogue;
using Helpline.Grievances.Domain;
using Helpline.Grievances.ReadModel;
using Helpline.Officers;
using Helpline.Officers.Workload;
using Helpline.Platform.Errors;
using Microsoft.Extensions.Logging;

namespace Helpline.Grievances.Grains;

internal sealed partial class GrievanceGrain(
    [PersistentState("grievance")] IPersistentState<GrievanceState> state,
    ICatalogue catalogue,
    IRoutingService routing,
    IOfficerDirectory officers,
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

        var category = catalogue.FindCategory(request.CategoryId)
            ?? throw new HelplineException(ErrorCodes.UnknownCategory, $"No category has id '{request.CategoryId}'.", "input.categoryId");
        var assignment = routing.Route(request.CategoryId, request.JurisdictionId);
        var now = Now();
        var serial = await allocator.NextAsync(CancellationToken.None);
        var due = GrievanceRules.DueAt(category.Sla, 1, now);

        S.ReferenceNumber = ReferenceNumber.Create(serial, now);
        S.Request = request;
        S.Status = GrievanceStatus.Open;
        S.DepartmentId = category.DepartmentId;
        S.PositionId = assignment.Position.Id;
        S.OfficerId = assignment.Officer.Id;
        S.Level = 1;
        S.RegisteredAt = now;
        S.DueAt = due;
        Append(TimelineEventType.Registered, now, request.AgentId, $"Registered via {request.Channel} as {request.Kind}.");
        Append(
            TimelineEventType.Routed,
            now,
            SystemActor,
            $"Routed to {assignment.Position.Title} ({assignment.Position.Id}), L1, category SLA {category.Sla.DaysAt(1)} calendar days.");

        await Save();
        await TrackWithOfficer();
        await Project(force: true);
        LogRegistered(S.ReferenceNumber, S.OfficerId, due);
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
        if (!Registered || S.Status != GrievanceStatus.Open || S.DueAt != dueAt || S.BreachedAtTop)
        {
            return; // already acted on, disposed, or the due date moved: nothing to do, exactly once
        }

        var previousOfficer = S.OfficerId;
        Breach(Now());
        await Save();
        if (previousOfficer != S.OfficerId)
        {
            await GrainFactory.GetGrain<IOfficerGrain>(previousOfficer).Release(Key);
        }

        await TrackWithOfficer();
        await Project(force: true);
        LogBreached(S.ReferenceNumber!, dueAt, S.Level, S.OfficerId);
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
        S.DueAt = import.DueAt;
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

        if (S.Status == GrievanceStatus.Open)
        {
            await TrackWithOfficer();
        }

        await Project(force: false);
    }

    private async Task<Grievance> Dispose(string officerId, GrievanceStatus status, TimelineEventType type, string text)
    {
        RequireOpen(status == GrievanceStatus.Resolved ? "resolve" : "reject");
        if (!string.Equals(officerId, S.OfficerId, StringComparison.Ordinal))
        {
            throw new HelplineException(
                ErrorCodes.NotAssignedOfficer,
                $"Grievance {ReferenceNumber.Display(S.ReferenceNumber!)} is held by officer {S.OfficerId} (L{S.Level}), not {officerId}.",
                "officerId");
        }

        Close(status, type, officerId, text);
        await Save();
        await GrainFactory.GetGrain<IOfficerGrain>(officerId).Release(Key);
        await Project(force: true);
        return Snapshot();
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

    private void Close(GrievanceStatus status, TimelineEventType type, string actor, string text, DateTimeOffset? at = null)
    {
        var when = at ?? Now();
        S.Status = status;
        S.ClosedAt = when;
        S.Disposal = text;
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
        var category = catalogue.FindCategory(S.Request!.CategoryId);
        if (supervisor is not null && category is not null)
        {
            S.Level++;
            S.PositionId = supervisor.Position.Id;
            S.OfficerId = supervisor.Officer.Id;
            S.DueAt = GrievanceRules.DueAt(category.Sla, S.Level, at);
            Append(
                TimelineEventType.Escalated,
                at,
                SystemActor,
                $"Escalated to supervisor {supervisor.Position.Title} ({supervisor.Position.Id}) at L{S.Level}, {category.Sla.DaysAt(S.Level)} calendar days.");
        }
        else
        {
            S.BreachedAtTop = true;
            Append(TimelineEventType.BreachedAtTop, at, SystemActor, $"Due date passed at the top of the chain (L{S.Level}); it stays with {S.PositionId}.");
        }
    }

    private void Append(TimelineEventType type, DateTimeOffset at, string actor, string? note) =>
        S.Timeline.Add(new TimelineEvent(S.Timeline.Count + 1, type, at, actor, note, S.OfficerId, S.Level, S.DueAt));

    private Task TrackWithOfficer() =>
        S.Status == GrievanceStatus.Open && S.DueAt is { } due
            ? GrainFactory.GetGrain<IOfficerGrain>(S.OfficerId).Track(new TrackedGrievance(Key, S.ReferenceNumber!, due, !S.BreachedAtTop))
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
        S.Request!,
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
        S.Timeline.ToArray());

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
