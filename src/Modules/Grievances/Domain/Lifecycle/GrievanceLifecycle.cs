using Helpline.Catalogue;
using Helpline.Grievances.Grains;
using Helpline.Officers;
using Helpline.Platform.Errors;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>
/// The rules of a grievance's life, without Orleans or I/O: each transition takes the state, the command and the
/// instant, and returns a new state with the timeline events it appended and what officers must be told
/// (<see cref="Transition"/>). A refusal throws <see cref="HelplineException"/> and leaves the state as it was.
/// Reference data comes through <see cref="ILifecycleLookups"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Performance",
    "CA1822:Mark members as static",
    Justification = "Every transition is called on the lifecycle, whether or not it needs reference data today, so a rule that comes to need a lookup changes no caller.")]
internal sealed partial class GrievanceLifecycle(ILifecycleLookups lookups, RecategorisationClock recategorisationClock = RecategorisationClock.FromLevelStart)
{
    /// <summary>The actor of timeline events the SLA rules cause.</summary>
    public const string SystemActor = "system";

    /// <summary>Whether the state holds a registered grievance.</summary>
    public static bool IsRegistered(GrievanceState s) => s.ReferenceNumber is not null;

    /// <summary>
    /// Checks a registration before a reference number is spent on it. Null when this very request is already
    /// registered (a retry); otherwise the category's department and L1 seat.
    /// </summary>
    /// <exception cref="HelplineException">IDEMPOTENCY_KEY_REUSED, UNKNOWN_CATEGORY, and the routing refusals.</exception>
    public Admission? Admit(GrievanceState s, RegisterGrievance request)
    {
        if (IsRegistered(s))
        {
            return s.Request == request
                ? null
                : throw new HelplineException(
                    GrievanceErrorCodes.IdempotencyConflict,
                    $"Client request id '{request.ClientRequestId}' was already used for grievance {ReferenceNumber.Display(s.ReferenceNumber!)} with different content; use a new id for a new grievance.",
                    "input.clientRequestId");
        }

        return AdmitNew(request, "input.categoryId");
    }

    /// <summary>
    /// As <see cref="Admit"/> for an import: null when the same source record was imported before. The same source id
    /// with a different kind, place, case type, description or registration instant is refused, as registration
    /// refuses a reused client request id (the grievance keeps what was imported first).
    /// </summary>
    /// <exception cref="HelplineException">IDEMPOTENCY_KEY_REUSED (field <c>sourceId</c>), UNKNOWN_CATEGORY (field <c>category</c>) and the routing refusals.</exception>
    public Admission? AdmitImport(GrievanceState s, ImportGrievance import) =>
        IsRegistered(s)
            ? SameImport(s, import)
                ? null
                : throw new HelplineException(
                    GrievanceErrorCodes.IdempotencyConflict,
                    $"Source id '{import.SourceId}' of {import.Source} was already imported as grievance {ReferenceNumber.Display(s.ReferenceNumber!)} with different content; a record is imported once.",
                    "sourceId")
            : AdmitNew(
                new RegisterGrievance(
                    import.ClientRequestId,
                    import.Kind,
                    new Complainant("Not recorded (imported)", ""),
                    import.JurisdictionId,
                    import.CategoryId,
                    import.Description,
                    Channel.Import,
                    import.ImporterId),
                "category");

    /// <summary>
    /// Registers at <paramref name="at"/> with the admitted L1 seat: Registered and Routed events. Live traffic gets the
    /// due date from the SLA rules; an import (<paramref name="source"/>) keeps the source's own due date, if any.
    /// </summary>
    public Transition Register(GrievanceState current, Admission admission, long serial, DateTimeOffset at, ImportSource? source = null)
    {
        if (IsRegistered(current))
        {
            throw new InvalidOperationException("This grievance is already registered.");
        }

        var change = new Change(current);
        var s = change.S;
        var request = admission.Request;
        var seat = admission.Route.Position;
        s.ReferenceNumber = ReferenceNumber.Create(serial, at);
        s.Request = request;
        s.Status = GrievanceStatus.Open;
        s.DepartmentId = admission.DepartmentId;
        s.RegisteredAt = at;
        if (source is null)
        {
            StartLevel(s, admission.Route, 1, at);
            Append(s, TimelineEventType.Registered, at, request.AgentId, $"Registered via {request.Channel} as {request.Kind}.");
            Append(s, TimelineEventType.Routed, at, SystemActor, $"Routed to {seat.Title} ({seat.Id}), L1; {Explain(s)}.");
        }
        else
        {
            s.PositionId = seat.Id;
            s.OfficerId = admission.Route.Officer.Id;
            s.Level = 1;
            s.SlaStartedAt = at;
            s.DueAt = source.DueAt;
            s.DueFromSource = source.DueAt is not null;
            Append(s, TimelineEventType.Registered, at, request.AgentId, $"Imported from {source.System}, case {source.CaseId}.{(source.TimeNote is null ? "" : " " + source.TimeNote)}");
            Append(
                s,
                TimelineEventType.Routed,
                at,
                SystemActor,
                source.DueAt is null
                    ? $"Routed to {seat.Title} ({seat.Id}), L1; the source set no due date, so no SLA applies."
                    : $"Routed to {seat.Title} ({seat.Id}), L1, due date set by the source.");
        }

        return change.Done(track: true);
    }

    /// <summary>
    /// An import is a registration with the source's times, then a breach at each due date that passed before the case
    /// closed (or before <paramref name="now"/>, if still open), exactly as the live engine would have done, then the
    /// closure at the source's closing time. Officers are told only of the end result (the holder tracks it).
    /// </summary>
    public Transition Import(GrievanceState current, Admission admission, ImportGrievance import, long serial, DateTimeOffset now)
    {
        var registered = Register(current, admission, serial, import.RegisteredAt, new ImportSource(import.Source, import.SourceId, import.DueAt, import.TimeNote));
        var s = registered.State;
        var until = import.ClosedAt ?? now;
        while (s.Status == GrievanceStatus.Open && !s.BreachedAtTop && s.DueAt is { } due && due < until)
        {
            s = OnDueDatePassed(s, due, due).State;
        }

        if (import.ClosedAt is { } closedAt)
        {
            s = Close(s, GrievanceStatus.Resolved, TimelineEventType.Resolved, import.ImporterId, import.Closure ?? $"Closed in {import.Source}.", closedAt, release: null).State;
        }

        return new Transition(s, true, s.Timeline.GetRange(current.Timeline.Count, s.Timeline.Count - current.Timeline.Count), [], true);
    }

    /// <summary>The holding officer resolves it with an action taken report; the officer releases it.</summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION, NOT_ASSIGNED_OFFICER.</exception>
    public Transition Resolve(GrievanceState s, string officerId, string actionTakenReport, DateTimeOffset now)
    {
        RequireHolder(s, officerId, "resolve");
        return Close(s, GrievanceStatus.Resolved, TimelineEventType.Resolved, officerId, actionTakenReport, now, release: s.OfficerId, disposedByHolder: true);
    }

    /// <summary>The holding officer rejects it with a reason; the officer releases it.</summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION, NOT_ASSIGNED_OFFICER.</exception>
    public Transition Reject(GrievanceState s, string officerId, string reason, DateTimeOffset now)
    {
        RequireHolder(s, officerId, "reject");
        return Close(s, GrievanceStatus.Rejected, TimelineEventType.Rejected, officerId, reason, now, release: s.OfficerId, disposedByHolder: true);
    }

    /// <summary>An agent answers an open information request on the call; the holder releases it.</summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION (not open, or not an information request).</exception>
    public Transition DisposeOnCall(GrievanceState s, string agentId, string answer, DateTimeOffset now)
    {
        RequireOpen(s, "dispose of on the call");
        if (s.Request!.Kind != GrievanceKind.Information)
        {
            throw new HelplineException(
                GrievanceErrorCodes.InvalidTransition,
                $"Grievance {ReferenceNumber.Display(s.ReferenceNumber!)} is a {s.Request.Kind}; only an information request can be disposed of on the call.",
                "referenceNumber");
        }

        return Close(s, GrievanceStatus.DisposedOnCall, TimelineEventType.DisposedOnCall, agentId, answer, now, release: s.OfficerId);
    }

    /// <summary>The holding officer records an interim reply; the clock keeps running.</summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION, NOT_ASSIGNED_OFFICER.</exception>
    public Transition RecordInterimReply(GrievanceState current, string officerId, string reply, DateTimeOffset now)
    {
        RequireHolder(current, officerId, "reply to");
        var change = new Change(current);
        Append(change.S, TimelineEventType.InterimReply, now, officerId, reply);
        return change.Done(track: false);
    }

    /// <summary>
    /// Reopens a disposed grievance with the supervisor one level up (or the same seat at L4 or the top of the chain),
    /// with a fresh due date from <paramref name="now"/>.
    /// </summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION (open), NO_ROUTE (the seat it stays with is vacant).</exception>
    public Transition Reopen(GrievanceState current, string actorId, string reason, DateTimeOffset now)
    {
        if (!IsRegistered(current))
        {
            throw new HelplineException(GrievanceErrorCodes.UnknownGrievance, "No such grievance.", "referenceNumber");
        }

        if (current.Status == GrievanceStatus.Open)
        {
            throw new HelplineException(GrievanceErrorCodes.InvalidTransition, $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is open; only a disposed grievance can be reopened.", "referenceNumber");
        }

        var up = current.Level < 4 ? lookups.SupervisorOf(current.PositionId) : null;
        var assignment = up ?? SeatWithHolder(current.PositionId)
            ?? throw new HelplineException(OfficerErrorCodes.NoRoute, $"Seat {current.PositionId} is vacant.", "referenceNumber");
        var change = new Change(current);
        var s = change.S;
        s.Status = GrievanceStatus.Open;
        s.ClosedAt = null;
        s.Disposal = null;
        s.BreachedAtTop = false;
        StartLevel(s, assignment, up is null ? s.Level : s.Level + 1, now);
        Append(s, TimelineEventType.Reopened, now, actorId, reason);
        Append(s, TimelineEventType.Routed, now, SystemActor, $"Reopened with {assignment.Position.Title} ({assignment.Position.Id}), L{s.Level}; {Explain(s)}.");
        return change.Done(track: true);
    }

    private static bool SameImport(GrievanceState s, ImportGrievance import) =>
        s.Request is { } r
        && r.Kind == import.Kind
        && r.JurisdictionId == import.JurisdictionId
        && r.CategoryId == import.CategoryId
        && r.Description == import.Description
        && s.RegisteredAt == import.RegisteredAt;

    private Admission AdmitNew(RegisterGrievance request, string categoryField)
    {
        var department = lookups.DepartmentOf(request.CategoryId)
            ?? throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has id '{request.CategoryId}'.", categoryField);
        try
        {
            return new Admission(request, department, lookups.Route(request.CategoryId, request.JurisdictionId));
        }
        catch (HelplineException ex) when (ex.Code == OfficerErrorCodes.NoRoute)
        {
            // The place the grievance was raised in is what cannot be served: name that input, beside the category's.
            throw new HelplineException(ex.Code, ex.Message, categoryField[..(categoryField.LastIndexOf('.') + 1)] + "jurisdictionId");
        }
    }

    private Assignment? SeatWithHolder(string positionId) =>
        lookups.FindPosition(positionId) is { } seat && lookups.HolderOf(positionId) is { } holder ? new Assignment(seat, holder) : null;

    // The holder counts the disposal among their recent ones only when the holding officer (or their supervisor for
    // them) resolved or rejected it; an agent's answer on the call is not the officer's work.
    private static Transition Close(GrievanceState current, GrievanceStatus status, TimelineEventType type, string actor, string text, DateTimeOffset at, string? release, bool disposedByHolder = false, ReturnKind? returnKind = null)
    {
        var change = new Change(current);
        var s = change.S;
        s.Status = status;
        s.ClosedAt = at;
        s.Disposal = text;
        s.OnHoldSince = null;
        Append(s, type, at, actor, text, returnKind);
        if (release is not null)
        {
            change.Effects.Add(new ReleaseFrom(release, disposedByHolder ? at : null));
        }

        return change.Done(track: false);
    }
}
