using Helpline.Catalogue;
using Helpline.Grievances.Grains;
using Helpline.Officers;
using Helpline.Platform.Errors;
using Helpline.Sla;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>The transitions of the SLA clock: deadlines, warnings, holds, recomputation, and moves to another seat.</summary>
internal sealed partial class GrievanceLifecycle
{
    /// <summary>
    /// The due date <paramref name="dueAt"/> passed (reported at <paramref name="now"/>): breach and escalate to the
    /// supervisor one level up (the former holder releases it; the Workload module tells the new one from the event), or mark the breach at the top.
    /// The breach, the escalation and the next level's clock are at <paramref name="dueAt"/> however late the report;
    /// the lateness goes in the breach's note. Nothing happens unless it is still the open grievance's running due date,
    /// so a repeated or late report is harmless.
    /// </summary>
    public Transition OnDueDatePassed(GrievanceState current, DateTimeOffset dueAt, DateTimeOffset now)
    {
        if (!IsRegistered(current) || current.Status != GrievanceStatus.Open || current.DueAt != dueAt || current.BreachedAtTop || current.OnHoldSince is not null)
        {
            return Transition.None(current); // already acted on, disposed, on hold, or the due date moved: nothing to do, exactly once
        }

        var change = new Change(current);
        var s = change.S;
        Breach(s, now);
        if (current.OfficerId != s.OfficerId)
        {
            change.Effects.Add(new ReleaseFrom(current.OfficerId));
        }

        return change.Done(track: true);
    }

    /// <summary>
    /// Acts on every due date that passed before <paramref name="now"/> and was not acted on yet (its timer has not
    /// fired, or the service was down), each breach at its own due instant, so that a command arriving after a due
    /// instant meets the grievance where the rules have put it. A due date exactly at <paramref name="now"/> has not passed.
    /// </summary>
    public Transition CatchUp(GrievanceState current, DateTimeOffset now)
    {
        var s = current;
        var appended = new List<TimelineEvent>();
        var effects = new List<OfficerEffect>();
        while (IsRegistered(s) && s.DueAt is { } due && due < now)
        {
            var t = OnDueDatePassed(s, due, now);
            if (!t.Changed)
            {
                break; // disposed, on hold, or already breached at the top
            }

            appended.AddRange(t.Appended);
            effects.AddRange(t.Effects);
            s = t.State;
        }

        return appended.Count == 0 ? Transition.None(current) : new Transition(s, true, appended, effects, true);
    }

    /// <summary>
    /// The warning share of the level's allowance is used (at <paramref name="atRiskAt"/>): recorded once (the Workload
    /// module tells the holder and the holder's supervisor from the event). Nothing happens unless it is the open, running grievance's current instant.
    /// </summary>
    public Transition OnAtRisk(GrievanceState current, DateTimeOffset atRiskAt, DateTimeOffset now)
    {
        if (!IsRegistered(current) || current.Status != GrievanceStatus.Open || current.AtRiskAt != atRiskAt || current.AtRiskAnnounced || current.OnHoldSince is not null)
        {
            return Transition.None(current);
        }

        var change = new Change(current);
        var s = change.S;
        s.AtRiskAnnounced = true;
        var policy = lookups.Policy(CategoryOf(s), s.Level);
        var message = $"{policy.WarningShare:P0} of the L{s.Level} allowance ({policy.Allowance}) is used; due {Format(s.DueAt!.Value)}.";
        Append(s, TimelineEventType.AtRisk, now, SystemActor, message);
        return change.Done(track: true);
    }

    /// <summary>The holding officer puts it on hold; the SLA clock stops.</summary>
    /// <exception cref="HelplineException">INVALID_STATE_TRANSITION (not open, already on hold, no running clock), NOT_ASSIGNED_OFFICER.</exception>
    public Transition Pause(GrievanceState current, string officerId, string reason, DateTimeOffset now)
    {
        RequireHolder(current, officerId, "put on hold");
        if (current.OnHoldSince is not null)
        {
            throw new HelplineException(GrievanceErrorCodes.InvalidTransition, $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is already on hold since {Format(current.OnHoldSince.Value)}.", "referenceNumber");
        }

        if (current.DueAt is null || current.BreachedAtTop)
        {
            throw new HelplineException(GrievanceErrorCodes.InvalidTransition, $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} has no running SLA clock to stop.", "referenceNumber");
        }

        var change = new Change(current);
        change.S.OnHoldSince = now;
        Append(change.S, TimelineEventType.Paused, now, officerId, reason);
        return change.Done(track: true);
    }

    /// <summary>The holding officer takes it off hold: the due date (and an unannounced at-risk instant) moves by exactly the counted time paused.</summary>
    /// <exception cref="HelplineException">INVALID_STATE_TRANSITION (not on hold), NOT_ASSIGNED_OFFICER.</exception>
    public Transition Resume(GrievanceState current, string officerId, DateTimeOffset now)
    {
        RequireHolder(current, officerId, "take off hold");
        if (current.OnHoldSince is not { } pausedAt)
        {
            throw new HelplineException(GrievanceErrorCodes.InvalidTransition, $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is not on hold.", "referenceNumber");
        }

        var change = new Change(current);
        var s = change.S;
        var unit = s.DueFromSource ? SlaUnit.CalendarDays : lookups.Policy(CategoryOf(s), s.Level).Allowance.Unit;
        var jurisdiction = s.Request!.JurisdictionId;
        var paused = lookups.CountedTime(jurisdiction, unit, pausedAt, now);
        var oldDue = s.DueAt!.Value;
        s.DueAt = lookups.Extend(jurisdiction, unit, oldDue, pausedAt, now).ToUniversalTime();
        if (s.AtRiskAt is { } atRisk && !s.AtRiskAnnounced)
        {
            s.AtRiskAt = lookups.Extend(jurisdiction, unit, atRisk, pausedAt, now).ToUniversalTime();
        }

        s.Pauses.Add(new SlaPause(pausedAt, now));
        s.OnHoldSince = null;
        Append(
            s,
            TimelineEventType.Resumed,
            now,
            officerId,
            $"On hold {paused:g} of counted time ({(unit is SlaUnit.WorkingDays or SlaUnit.WorkingHours ? "working" : "calendar")} time); due date moved from {Format(oldDue)} to {Format(s.DueAt.Value)}.");
        return change.Done(track: true);
    }

    /// <summary>
    /// Computes the current level's due date again from the rules (after a policy change). Nothing changes when the due
    /// date is the source's own or comes out the same; a breach that no longer holds is cleared.
    /// </summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION.</exception>
    public Transition RecomputeSla(GrievanceState current, string actorId, string reason, DateTimeOffset now)
    {
        RequireOpen(current, "recompute the due date of");
        if (current.DueFromSource)
        {
            return Transition.None(current); // the source's own due date is not Helpline's to recompute
        }

        var c = lookups.Compute(CategoryOf(current), current.Level, current.Request!.JurisdictionId, current.SlaStartedAt, current.Pauses);
        var due = c.DueAt.ToUniversalTime();
        if (due == current.DueAt)
        {
            return Transition.None(current);
        }

        var change = new Change(current);
        var s = change.S;
        var old = s.DueAt;
        s.DueAt = due;
        s.AtRiskAt = c.AtRiskAt.ToUniversalTime();
        s.AtRiskAnnounced = s.AtRiskAt <= now && s.AtRiskAnnounced;
        ClearBreachesThatNoLongerHold(s, now);
        Append(s, TimelineEventType.Recomputed, now, actorId, $"{reason}: due date {(old is { } o ? Format(o) : "none")} → {Format(due)}; {Explain(s)}.");
        return change.Done(track: true);
    }

    /// <summary>
    /// Moves it to another category, routed afresh to that category's L1 seat; the former holder releases it. By default
    /// (<see cref="RecategorisationClock.FromLevelStart"/>) the new allowance counts from when the grievance reached its
    /// current level, with the pauses of that level kept out; <see cref="RecategorisationClock.Restart"/> counts it from
    /// <paramref name="now"/>. A hold goes on until it is resumed. The timeline says which rule applied.
    /// </summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION, UNKNOWN_CATEGORY, INVALID_VALUE (same category), routing refusals.</exception>
    public Transition Recategorise(GrievanceState current, string actorId, string categoryId, string reason, DateTimeOffset now)
    {
        RequireOpen(current, "re-categorise");
        return Reroute(current, actorId, categoryId, reason, now, restartClock: recategorisationClock == RecategorisationClock.Restart);
    }

    /// <summary>
    /// The re-categorisation itself, for <see cref="Recategorise"/> and an approved not-pertaining return (which restarts
    /// the clock at <paramref name="now"/>: the new seat gets its whole allowance, as for a fresh routing).
    /// </summary>
    // awayFrom: a seat the new category must not route back to (the one whose not-pertaining return is approved).
    private Transition Reroute(GrievanceState current, string actorId, string categoryId, string reason, DateTimeOffset now, bool restartClock, string? awayFrom = null)
    {
        var department = lookups.DepartmentOf(categoryId)
            ?? throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has id '{categoryId}'.", "categoryId");
        var previous = CategoryOf(current);
        if (categoryId == previous)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is already in category '{categoryId}'.", "categoryId");
        }

        Assignment assignment;
        try
        {
            assignment = lookups.Route(categoryId, current.Request!.JurisdictionId);
        }
        catch (HelplineException ex) when (ex.Code == OfficerErrorCodes.NoRoute)
        {
            // The grievance's place is fixed; it is the new category that has nobody there.
            throw new HelplineException(ex.Code, ex.Message, "categoryId");
        }

        if (assignment.Position.Id == awayFrom)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"Category '{categoryId}' routes grievance {ReferenceNumber.Display(current.ReferenceNumber!)} back to seat {awayFrom}, which returned it as not pertaining: choose a category another seat handles, or give a 'positionId'.",
                "categoryId");
        }

        var change = new Change(current);
        var s = change.S;
        var heldSince = s.OnHoldSince;
        var restart = restartClock;
        var (start, pauses) = restart ? (now, new List<SlaPause>()) : (s.SlaStartedAt, s.Pauses);
        s.CurrentCategoryId = categoryId == s.Request!.CategoryId ? null : categoryId;
        s.DepartmentId = department;
        StartLevel(s, assignment, 1, start, pauses);
        if (heldSince is { } held)
        {
            // Still on hold: the time already held stays out of the count when it is resumed (a restarted clock
            // has counted nothing yet, so its hold starts now).
            s.OnHoldSince = held < start ? start : held;
        }

        ClearBreachesThatNoLongerHold(s, now);
        var clock = restart
            ? $"the clock restarted at the re-categorisation, {Format(start)}"
            : $"the clock counts from {Format(start)}, when it reached its current level{(pauses.Count > 0 ? ", less the time on hold" : "")}";
        s.ClockNote = restart ? $"Re-categorised: the clock restarted at {Format(start)}." : $"Re-categorised: the new allowance counts from {Format(start)}, when it reached its current level.";
        Append(s, TimelineEventType.Recategorised, now, actorId, $"Category {previous} → {categoryId}: {reason}{(heldSince is not null ? " (it stays on hold)" : "")}");
        Append(s, TimelineEventType.Recomputed, now, SystemActor, $"Routed to {assignment.Position.Title} ({assignment.Position.Id}), L1; {Explain(s)}; {clock}.");
        return change.Moved(current.OfficerId);
    }

    /// <summary>
    /// The holding officer forwards it to another seat: up the holder's own chain it climbs a level per step (at most
    /// L4), sideways it keeps its level; the due date is computed from <paramref name="now"/>; the former holder releases it.
    /// </summary>
    /// <exception cref="HelplineException">NOT_ASSIGNED_OFFICER, INVALID_STATE_TRANSITION, INVALID_VALUE (same or unknown seat), NO_ROUTE (vacant seat).</exception>
    public Transition Forward(GrievanceState current, string officerId, string positionId, string reason, DateTimeOffset now)
    {
        RequireHolder(current, officerId, "forward");
        return MoveToSeat(current, officerId, positionId, reason, now, level: null);
    }

    /// <summary>
    /// The forward itself, for <see cref="Forward"/> and an approved not-pertaining return. <paramref name="level"/> null
    /// is the forward's rule (a level per step up the chain, sideways the same); a return lands at the level given.
    /// </summary>
    private Transition MoveToSeat(GrievanceState current, string officerId, string positionId, string reason, DateTimeOffset now, int? level)
    {
        if (positionId == current.PositionId)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is already with seat {positionId}.", "positionId");
        }

        var seat = lookups.FindPosition(positionId)
            ?? throw new HelplineException(ErrorCodes.Invalid, $"No seat has id '{positionId}'.", "positionId");
        // A grievance stays in its own world: the jurisdiction tree it was raised in, and the department that resolves
        // its category (a grievance for another department is recategorised first, which routes it there).
        var root = lookups.RootOf(current.Request!.JurisdictionId);
        if (lookups.RootOf(seat.JurisdictionId) is not { } seatRoot || seatRoot != root)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"Seat {positionId} is in another jurisdiction tree ({lookups.RootOf(seat.JurisdictionId) ?? "unknown"}); grievance {ReferenceNumber.Display(current.ReferenceNumber!)} belongs to {root}.",
                "positionId");
        }

        // The department the grievance was routed to, not the category's today: a remap since applies to new
        // registrations only, and the grievance keeps its routing.
        var category = CategoryOf(current);
        var department = current.DepartmentId.Length > 0 ? current.DepartmentId : lookups.DepartmentOf(category);
        if (department is not null && seat.DepartmentId != department)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"Seat {positionId} is of department {seat.DepartmentId}, but grievance {ReferenceNumber.Display(current.ReferenceNumber!)} (category {category}) is with {department}; recategorise the grievance to send it to another department.",
                "positionId");
        }

        var holder = lookups.HolderOf(positionId)
            ?? throw new HelplineException(OfficerErrorCodes.NoRoute, $"Seat {positionId} is vacant.", "positionId");

        var change = new Change(current);
        var s = change.S;
        s.DepartmentId = seat.DepartmentId;
        StartLevel(s, new Assignment(seat, holder), level ?? ForwardedLevel(current, positionId), now);
        ClearBreachesThatNoLongerHold(s, now);
        Append(s, TimelineEventType.Forwarded, now, officerId, $"Forwarded from {current.PositionId} to {seat.Title} ({seat.Id}) at L{s.Level}: {reason}; {Explain(s)}.");
        return change.Moved(current.OfficerId);
    }

    // Up the holder's own chain a forward climbs a level per step (at most L4); sideways it keeps its level.
    private int ForwardedLevel(GrievanceState current, string positionId)
    {
        var steps = 0;
        for (var up = lookups.SupervisorOf(current.PositionId); up is not null; up = lookups.SupervisorOf(up.Position.Id))
        {
            steps++;
            if (up.Position.Id == positionId)
            {
                return Math.Min(4, current.Level + steps);
            }
        }

        return current.Level;
    }

    /// <summary>Why the running due date is what it is; null without an SLA of Helpline's (none, or the source's own).</summary>
    public SlaExplanation? ExplainDueDate(GrievanceState s) =>
        !IsRegistered(s) || s.DueAt is null || s.DueFromSource
            ? null
            : WithClockNote(lookups.Compute(CategoryOf(s), s.Level, s.Request!.JurisdictionId, s.SlaStartedAt, s.Pauses).Explanation, s.ClockNote);

    private static SlaExplanation WithClockNote(SlaExplanation e, string? note) => note is null ? e : e with { Summary = $"{e.Summary} {note}" };
}
