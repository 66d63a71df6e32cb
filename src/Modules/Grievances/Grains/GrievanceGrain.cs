using System.Globalization;
using System.Runtime.ExceptionServices;
using Helpline.Catalogue;
using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Grievances.ReadModel;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Officers.Workload;
using Helpline.Platform.Errors;
using Helpline.Platform.SharedData;
using Helpline.Sla;
using Microsoft.Extensions.Logging;

namespace Helpline.Grievances.Grains;

/// <summary>
/// A grievance: loads its state, applies a <see cref="GrievanceLifecycle"/> transition, stores the result with its
/// read-model row and events (one transaction, see <see cref="GrievanceStateStorage"/>), tells the officers what the
/// transition asks for, then acknowledges the change's outbox entry. The rules live in the lifecycle.
/// </summary>
// The grain type is part of every stored grievance's id: "grievance" is the name Orleans derived before it was pinned.
[GrainType("grievance")]
// A grievance is worked on in bursts (an officer's actions, a call-back) with days between them: an idle one leaves
// memory after minutes, not the default quarter of an hour, so a day's intake and an import stay within bounds.
[CollectionAgeLimit(Minutes = 3)]
internal sealed partial class GrievanceGrain(
    [PersistentState("grievance", GrievanceStateStorage.Name)] IPersistentState<GrievanceState> state,
    ICatalogue catalogue,
    IJurisdictionDirectory jurisdictions,
    IRoutingService routing,
    IOfficerDirectory officers,
    IPoolAssignment pools,
    ISlaEngine sla,
    ISharedData sharedData,
    IReferenceNumberAllocator allocator,
    IGrievanceProjection projection,
    TimeProvider clock,
    GrievanceClockSettings settings,
    RegistrationChecks checks,
    ILogger<GrievanceGrain> logger) : Grain, IGrievanceGrain
{
    private readonly LifecycleLookups _lookups = new(catalogue, jurisdictions, routing, officers, sla);
    private GrievanceLifecycle? _lifecycle;
    private readonly ReferenceGuard _references = new(catalogue, jurisdictions, officers, sharedData);

    // The read-model version this activation knows to be written; -1 means "not known", so the first
    // EnsureProjected of an activation always rewrites (the outbox row says it may lag).
    private int _projectedVersion = -1;

    private GrievanceLifecycle Lifecycle => _lifecycle ??= new(_lookups, settings.Recategorisation);

    private GrievanceState S => state.State;

    private string Key => this.GetPrimaryKeyString();

    public async Task<Grievance> Register(RegisterGrievance request)
    {
        if (!GrievanceLifecycle.IsRegistered(S) && GrievanceKeys.ForRequest(request.ClientRequestId) != Key)
        {
            throw new ArgumentException("The grain key must be GrievanceKeys.ForRequest of the request's client request id.", nameof(request));
        }

        await _references.EnsureAsync(S, request.CategoryId, request.JurisdictionId);
        if (await AdmitAsync(() => Lifecycle.Admit(S, request)) is not { } admission)
        {
            // A retry: the first attempt may have stopped after storing state, so finish its remaining steps.
            await FinishEarlierAttempt();
            return Snapshot();
        }

        var (admitted, choice) = await ChooseInPool(admission);
        var now = Now();
        var serial = await allocator.NextAsync(CancellationToken.None);

        // A new complaint's monthly limit is counted by the transaction that stores it (a retry never gets here).
        checks.Begin(this.GetGrainId(), request, now);
        try
        {
            await Create(Noted(Lifecycle.Register(S, admitted, serial, now), admitted, choice, now));
        }
        catch (ProjectionRefusedException refused)
        {
            // Nothing was stored: the caller sees the read model's own error, and the same request can be sent again.
            ExceptionDispatchInfo.Throw(refused.InnerException!);
        }
        finally
        {
            checks.End(this.GetGrainId());
        }

        LogRegistered(S.ReferenceNumber!, S.OfficerId, S.DueAt!.Value);
        LeaveMemory();
        return Snapshot();
    }

    public async Task<ImportedGrievance> Import(ImportGrievance import)
    {
        if (GrievanceKeys.ForRequest(import.ClientRequestId) != Key)
        {
            throw new ArgumentException("The grain key must be GrievanceKeys.ForRequest of the import's client request id.", nameof(import));
        }

        await _references.EnsureAsync(S, import.CategoryId, import.JurisdictionId);
        if (await AdmitAsync(() => Lifecycle.AdmitImport(S, import)) is not { } admission)
        {
            // Re-running an import creates nothing; finish steps a crashed first attempt may have left. A file run
            // again touches every record once, so this activation is not kept either.
            await FinishEarlierAttempt();
            LeaveMemory();
            return new ImportedGrievance(Snapshot(), false);
        }

        var (admitted, choice) = await ChooseInPool(admission);
        var serial = await allocator.NextAsync(CancellationToken.None);
        try
        {
            var now = Now();
            await Create(Noted(Lifecycle.Import(S, admitted, import, serial, now), admitted, choice, now));
        }
        catch (ProjectionRefusedException refused)
        {
            throw new HelplineException(
                GrievanceErrorCodes.ImportFailed,
                $"Source id '{import.SourceId}' of {import.Source} could not be stored: the read model refused it ({refused.InnerException!.Message}). Nothing of it was kept; correct the record and send it again.");
        }

        LeaveMemory();
        return new ImportedGrievance(Snapshot(), true);
    }

    public Task<Grievance?> Get() => Task.FromResult(GrievanceLifecycle.IsRegistered(S) ? Snapshot() : null);

    public Task<Grievance> Resolve(string officerId, string actionTakenReport) => Apply((s, now) => Lifecycle.Resolve(s, officerId, actionTakenReport, now));

    public Task<Grievance> Reject(string officerId, string reason) => Apply((s, now) => Lifecycle.Reject(s, officerId, reason, now));

    public Task<Grievance> DisposeOnCall(string agentId, string answer) => Apply((s, now) => Lifecycle.DisposeOnCall(s, agentId, answer, now));

    public async Task OnDueDatePassed(DateTimeOffset dueAt)
    {
        await _references.EnsureAsync(S);
        var now = Now();
        var transition = await Decide(() => Lifecycle.OnDueDatePassed(S, dueAt, now), now);
        await Store(transition);
        if (transition.Changed)
        {
            LogBreached(S.ReferenceNumber!, dueAt, S.Level, S.OfficerId);
        }
    }

    public async Task OnAtRisk(DateTimeOffset atRiskAt)
    {
        await _references.EnsureAsync(S);
        await Store(Lifecycle.OnAtRisk(S, atRiskAt, Now()));
    }

    public Task<Grievance> Pause(string officerId, string reason) => Apply((s, now) => Lifecycle.Pause(s, officerId, reason, now));

    public Task<Grievance> Resume(string officerId) => Apply((s, now) => Lifecycle.Resume(s, officerId, now));

    public Task<Grievance> RecordInterimReply(string officerId, string reply) => Apply((s, now) => Lifecycle.RecordInterimReply(s, officerId, reply, now));

    public Task<Grievance> Recategorise(string actorId, string categoryId, string reason) =>
        Apply((s, now) => Lifecycle.Recategorise(s, actorId, categoryId, reason, now), categoryId: categoryId);

    public Task<Grievance> Forward(string officerId, string positionId, string reason) =>
        Apply((s, now) => Lifecycle.Forward(s, officerId, positionId, reason, now), positionId: positionId);

    public Task<Grievance> RequestReturn(string officerId, ReturnKind kind, string reason) =>
        Apply((s, now) => Lifecycle.RequestReturn(s, officerId, kind, reason, now));

    public Task<Grievance> DecideReturn(string officerId, bool approve, string reason, string? positionId, string? categoryId) =>
        Apply((s, now) => Lifecycle.DecideReturn(s, officerId, approve, reason, positionId, categoryId, now), categoryId: categoryId, positionId: positionId);

    public Task<Grievance> LinkCall(string clientRequestId, string agentId, string mobile, string? note) =>
        Apply((s, now) => Lifecycle.LinkCall(s, clientRequestId, agentId, mobile, note, now));

    public async Task<Grievance> RecomputeSla(string actorId, string reason)
    {
        // Asked for after a policy change another silo may have stored: recompute with at least that change applied.
        await _references.CatchUpAsync();
        await _references.EnsureAsync(S);
        return await Apply(Lifecycle.RecomputeSla(S, actorId, reason, Now()));
    }

    public async Task<Grievance> Reopen(string actorId, string reason)
    {
        await _references.EnsureAsync(S);
        var now = Now();
        return await Apply(await Decide(() => Lifecycle.Reopen(S, actorId, reason, now), now));
    }

    public async Task<Grievance> ApplyCallBack(CallBackVerdict verdict)
    {
        await _references.EnsureAsync(S);
        var now = Now();
        return await Apply(await Decide(() => Lifecycle.ApplyCallBack(S, verdict, now), now));
    }

    public async Task<bool> HandOver(string positionId, string toOfficerId, string actor, string reason)
    {
        await _references.EnsureAsync(S, positionId: positionId);
        var now = Now();
        await Store(await Decide(() => Lifecycle.CatchUp(S, now), now)); // a due date that passed first escalates it away from the position
        if (!GrievanceLifecycle.WouldHandOver(S, positionId, toOfficerId))
        {
            return false;
        }

        // The officer was posted on another silo a moment ago, perhaps: load that change before handing anything to them.
        if (officers.FindOfficer(toOfficerId) is null)
        {
            await _references.CatchUpAsync();
            if (officers.FindOfficer(toOfficerId) is null)
            {
                throw new InvalidOperationException(
                    $"Grievance {S.ReferenceNumber} cannot be handed to officer '{toOfficerId}', whom this silo does not know even after loading every shared-data change; nothing was done.");
            }
        }

        var from = S.OfficerId;
        var transition = Lifecycle.HandOver(S, positionId, toOfficerId, actor, reason, now);
        await Store(transition);
        LogHandedOver(S.ReferenceNumber!, from, toOfficerId, positionId);
        return transition.Changed;
    }

    public async Task<bool> Reassign(string fromOfficerId, string toPositionId, string toOfficerId, string actor, string reason)
    {
        await _references.EnsureAsync(S, positionId: toPositionId);
        var now = Now();
        await Store(await Decide(() => Lifecycle.CatchUp(S, now), now)); // a due date that passed first escalates it away
        // The receiving officer's posting may have ended on another silo a moment ago: check against every change
        // committed before this move, so a move never lands on someone who no longer serves the seat.
        await _references.CatchUpAsync();
        if (officers.FindOfficer(toOfficerId) is null || !officers.Serves(toOfficerId, toPositionId))
        {
            throw new HelplineException(
                GrievanceErrorCodes.TargetNotServing,
                $"Officer {toOfficerId} does not serve seat {toPositionId} now; grievance {S.ReferenceNumber} was not moved.",
                "toOfficerId");
        }

        var transition = Lifecycle.Reassign(S, fromOfficerId, toPositionId, toOfficerId, actor, reason, now);
        await Store(transition);
        return transition.Changed;
    }

    public Task<SlaExplanation?> ExplainDueDate() => Task.FromResult(Lifecycle.ExplainDueDate(S));

    public async Task EnsureProjected()
    {
        if (!GrievanceLifecycle.IsRegistered(S))
        {
            // A state cleared (by an earlier version of the service, which took refused creations back) whose outbox
            // entry was not acknowledged yet: nothing to show.
            if (state.Etag is { } etag)
            {
                await projection.AcknowledgeAsync(Key, int.Parse(etag, CultureInfo.InvariantCulture), CancellationToken.None);
            }

            return;
        }

        await TrackWithOfficer();

        // Called because an outbox row says the read model may lag: write it whatever this activation believes.
        await Project(force: true);
    }

    // The seat a new grievance is routed to may have been added on another silo a moment ago, after this silo loaded
    // the category and jurisdiction: a refusal is given only once this silo has every change committed so far.
    private async Task<T?> AdmitAsync<T>(Func<T?> admit)
        where T : class
    {
        try
        {
            return admit();
        }
        catch (HelplineException)
        {
            await _references.CatchUpAsync();
            return admit();
        }
    }

    private async Task<Grievance> Apply(Transition transition)
    {
        await Store(transition);
        return Snapshot();
    }

    // A command after a due instant whose timer has not fired yet (or was lost in an outage) meets the grievance as
    // the rules left it: the passed due dates are acted on first (and stored even if the command is then refused).
    private async Task<Grievance> Apply(Func<GrievanceState, DateTimeOffset, Transition> command, string? categoryId = null, string? positionId = null)
    {
        await _references.EnsureAsync(S, categoryId, positionId: positionId);
        var now = Now();
        await Store(await Decide(() => Lifecycle.CatchUp(S, now), now));
        return await Apply(await Decide(() => command(S, now), now));
    }

    // A new grievance routed to a pool goes to the member the pool chooses by load.
    private async Task<(Admission Admission, PoolChoice? Choice)> ChooseInPool(Admission admission)
    {
        if (!admission.Route.Position.IsPool)
        {
            return (admission, null);
        }

        var choice = await pools.ChooseAsync(admission.Route.Position, Key);
        return (admission with { Route = admission.Route with { Officer = choice.Officer } }, choice);
    }

    private static Transition Noted(Transition t, Admission admission, PoolChoice? choice, DateTimeOffset at) =>
        choice is null ? t : GrievanceLifecycle.NoteAssignment(t, admission.Route.Position, choice, at);

    /// <summary>
    /// Runs a transition; when it puts the grievance with a pool seat (an escalation, a reopening, a forward or a
    /// re-categorisation into it), asks the pool which member takes it and runs it again with that choice, noted on
    /// the timeline. The transition is pure, so running it twice decides nothing twice.
    /// </summary>
    private async Task<Transition> Decide(Func<Transition> run, DateTimeOffset now)
    {
        _lookups.PoolChoices.Clear();
        var t = run();
        var moved = t.State.PositionId != S.PositionId || t.State.OfficerId != S.OfficerId || S.Status != GrievanceStatus.Open;
        if (!t.Changed || !moved || t.State.Status != GrievanceStatus.Open || t.State.PositionId is not { } seat
            || officers.FindPosition(seat) is not { IsPool: true } pool)
        {
            return t;
        }

        var choice = await pools.ChooseAsync(pool, Key);
        _lookups.PoolChoices[seat] = choice.Officer;
        try
        {
            return GrievanceLifecycle.NoteAssignment(run(), pool, choice, now);
        }
        finally
        {
            _lookups.PoolChoices.Clear();
        }
    }

    /// <summary>
    /// Stores the transition's state with its projection, makes its officer calls, has the holder track it, and
    /// acknowledges its outbox entry. A call that fails leaves the entry, and the repair job makes the calls again.
    /// </summary>
    private async Task Store(Transition transition, bool creating = false)
    {
        if (!transition.Changed)
        {
            return;
        }

        await Save(transition.State, creating);
        foreach (var effect in transition.Effects)
        {
            var officer = GrainFactory.GetGrain<IOfficerGrain>(effect.OfficerId);
            await (effect switch
            {
                ReleaseFrom { DisposedAt: { } disposedAt } => officer.ReleaseDisposed(Key, disposedAt),
                ReleaseFrom => officer.Release(Key),
                _ => throw new InvalidOperationException($"Unknown officer effect {effect}."),
            });
        }

        if (transition.Track)
        {
            await TrackWithOfficer();
        }

        // Not waited for: it rides with other grievances' next writes instead of a commit of its own.
        projection.Acknowledge(Key, _projectedVersion);
    }

    /// <summary>
    /// Stores a new grievance like any transition. If the read model refuses it for good, nothing was stored (its state
    /// is written in the same transaction) and no officer was told: the activation goes, and the same client request
    /// id or source id starts afresh. Throws <see cref="ProjectionRefusedException"/> then.
    /// </summary>
    private async Task Create(Transition creation)
    {
        var referenceNumber = creation.State.ReferenceNumber!;
        try
        {
            await Store(creation, creating: true);
        }
        catch (ProjectionRefusedException refused)
        {
            LogRefused(refused.InnerException!, referenceNumber);
            throw;
        }
    }

    // A new grievance is stored, projected and tracked by its officer (whose grain keeps its live deadline), and the
    // caller has its snapshot: nothing calls it again for hours or days as a rule. Kept active until the collection
    // age, every registration would hold its memory for that long, gigabytes at full intake; the next command reads
    // the stored state back.
    private void LeaveMemory() => DeactivateOnIdle();

    private async Task FinishEarlierAttempt()
    {
        await TrackWithOfficer();
        await Project(force: false);
    }

    // A failed write may or may not have reached storage; dropping the activation makes the next call reload what
    // was really stored, so a refused or failed change is never half-applied. Until then the state before stands.
    // A change the read model refuses was not stored at all: a creation says so (it is the caller's to report), any
    // other change answers with the read model's own error.
    private async Task Save(GrievanceState changed, bool creating)
    {
        var before = state.State;
        changed.SharedDataPosition = Math.Max(changed.SharedDataPosition, _references.AppliedPosition);
        state.State = changed;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            state.State = before;
            DeactivateOnIdle();
            if ((ex as ProjectionRefusedException ?? ex.InnerException as ProjectionRefusedException) is { } refused)
            {
                ExceptionDispatchInfo.Throw(creating ? refused : refused.InnerException!);
            }

            throw;
        }

        if (creating && checks.RefusalOf(this.GetGrainId()) is { } overLimit)
        {
            // Refused by the complaint limit counted in the write's transaction: nothing was stored, so the state before
            // is the stored one and this activation stays. Dropped, it would pass each copy of the request queued behind
            // this one on to a new activation, which refuses and drops again, until Orleans gives up forwarding.
            state.State = before;
            throw overLimit;
        }

        _projectedVersion = int.Parse(state.Etag!, CultureInfo.InvariantCulture);
    }

    private Task TrackWithOfficer() =>
        GrievanceView.Tracked(S, Key) is { } tracked
            ? GrainFactory.GetGrain<IOfficerGrain>(S.OfficerId).Track(tracked)
            : Task.CompletedTask;

    // Writes the stored state's projection again (which acknowledges its outbox entry); a refusal is answered with
    // the read model's own error. Called once the officers were told.
    private async Task Project(bool force)
    {
        var version = int.Parse(state.Etag ?? "0", CultureInfo.InvariantCulture);
        if (!force && version == _projectedVersion)
        {
            // Shown already (stored with its row) but perhaps not acknowledged: its officer call failed the first time.
            projection.Acknowledge(Key, version);
            return;
        }

        try
        {
            await projection.WriteAsync(Key, Snapshot(), version, CancellationToken.None);
        }
        catch (ProjectionRefusedException refused)
        {
            ExceptionDispatchInfo.Throw(refused.InnerException!);
        }

        _projectedVersion = version;
    }

    private Grievance Snapshot() => GrievanceView.Of(S);

    // PostgreSQL keeps microseconds; truncating here makes the grain and the read model report identical instants.
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
