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
        var now = clock.GetUtcNow();
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

        var now = clock.GetUtcNow();
        var previousOfficer = S.OfficerId;
        S.Breached = true;
        Append(TimelineEventType.Breached, now, SystemActor, $"Due date {Format(dueAt)} passed at L{S.Level} without disposal.");

        var supervisor = S.Level < 4 ? officers.SupervisorOf(S.PositionId) : null;
        var category = catalogue.FindCategory(S.Request!.CategoryId);
        if (supervisor is not null && category is not null)
        {
            S.Level++;
            S.PositionId = supervisor.Position.Id;
            S.OfficerId = supervisor.Officer.Id;
            S.DueAt = GrievanceRules.DueAt(category.Sla, S.Level, now);
            Append(
                TimelineEventType.Escalated,
                now,
                SystemActor,
                $"Escalated to supervisor {supervisor.Position.Title} ({supervisor.Position.Id}) at L{S.Level}, {category.Sla.DaysAt(S.Level)} calendar days.");
        }
        else
        {
            S.BreachedAtTop = true;
            Append(TimelineEventType.BreachedAtTop, now, SystemActor, $"Due date passed at the top of the chain (L{S.Level}); it stays with {S.PositionId}.");
        }

        await Save();
        if (previousOfficer != S.OfficerId)
        {
            await GrainFactory.GetGrain<IOfficerGrain>(previousOfficer).Release(Key);
        }

        await TrackWithOfficer();
        await Project(force: true);
        LogBreached(S.ReferenceNumber!, dueAt, S.Level, S.OfficerId);
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

    private void Close(GrievanceStatus status, TimelineEventType type, string actor, string text)
    {
        var now = clock.GetUtcNow();
        S.Status = status;
        S.ClosedAt = now;
        S.Disposal = text;
        Append(type, now, actor, text);
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

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grievance {ReferenceNumber} registered and routed to officer {OfficerId}, due {DueAt}")]
    private partial void LogRegistered(string referenceNumber, string officerId, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grievance {ReferenceNumber} breached its due date {DueAt}; now at L{Level} with officer {OfficerId}")]
    private partial void LogBreached(string referenceNumber, DateTimeOffset dueAt, int level, string officerId);
}
