using System.Globalization;
using Helpline.Grievances.Grains;
using Helpline.Officers;
using Helpline.Platform.Errors;
using Helpline.Sla;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>The rules shared by the transitions: starting a level's clock, a breach, the refusals, and the timeline's wording.</summary>
internal sealed partial class GrievanceLifecycle
{
    /// <summary>The category it is in now (after any re-categorisation).</summary>
    public static string CategoryOf(GrievanceState s) => s.CurrentCategoryId ?? s.Request!.CategoryId;

    /// <summary>An instant as the timeline writes it.</summary>
    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Starts the clock of <paramref name="level"/> with <paramref name="assignment"/> at <paramref name="at"/>, due date from the SLA rules.</summary>
    private void StartLevel(GrievanceState s, Assignment assignment, int level, DateTimeOffset at, List<SlaPause>? pauses = null)
    {
        s.PositionId = assignment.Position.Id;
        s.OfficerId = assignment.Officer.Id;
        s.Level = level;
        s.SlaStartedAt = at;
        s.Pauses = pauses ?? [];
        s.OnHoldSince = null;
        s.AtRiskAnnounced = false;
        s.DueFromSource = false;
        s.ClockNote = null;
        var c = lookups.Compute(CategoryOf(s), level, s.Request!.JurisdictionId, at, s.Pauses);
        s.DueAt = c.DueAt.ToUniversalTime();
        s.AtRiskAt = c.AtRiskAt.ToUniversalTime();
    }

    /// <summary>
    /// The current due date passed: the breach is recorded at the due instant itself, then the grievance moves to the
    /// supervisor one level up with that level's allowance counted from the due instant, or, at L4 or the top of the
    /// chain, stays and is marked breached at the top. How late the service noticed (<paramref name="noticedAt"/>, for
    /// example after an outage) is written in the note and moves nothing.
    /// </summary>
    private void Breach(GrievanceState s, DateTimeOffset noticedAt)
    {
        var at = s.DueAt!.Value;
        s.Breached = true;
        var late = noticedAt - at;
        Append(
            s,
            TimelineEventType.Breached,
            at,
            SystemActor,
            $"Due date {Format(at)} passed at L{s.Level} without disposal.{(late >= LateNoticeThreshold ? $" The service acted on it at {Format(noticedAt)}, {Describe(late)} late; the record keeps the due instant." : "")}");
        var supervisor = s.Level < 4 ? lookups.SupervisorOf(s.PositionId) : null;
        if (supervisor is not null)
        {
            StartLevel(s, supervisor, s.Level + 1, at);
            Append(s, TimelineEventType.Escalated, at, SystemActor, $"Escalated to supervisor {supervisor.Position.Title} ({supervisor.Position.Id}) at L{s.Level}; {Explain(s)}.");
        }
        else
        {
            s.BreachedAtTop = true;
            Append(s, TimelineEventType.BreachedAtTop, at, SystemActor, $"Due date passed at the top of the chain (L{s.Level}); it stays with {s.PositionId}.");
        }
    }

    // A live timer acts within milliseconds of the due instant; anything later than this is worth recording.
    private static readonly TimeSpan LateNoticeThreshold = TimeSpan.FromSeconds(1);

    /// <summary>For example "2 h 05 min 03 s" or "3 d 4 h 00 min 00 s".</summary>
    private static string Describe(TimeSpan late) =>
        late.Days > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{late.Days} d {late.Hours} h {late.Minutes:00} min {late.Seconds:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{late.Hours} h {late.Minutes:00} min {late.Seconds:00} s");

    private string Explain(GrievanceState s)
    {
        var policy = lookups.Policy(CategoryOf(s), s.Level);
        return $"SLA {policy.Allowance} ({(policy.Source == SlaPolicySource.CategoryOverride ? "category policy" : "catalogue default")}), due {Format(s.DueAt!.Value)}";
    }

    // A breach at the current level no longer holds when the due date moved into the future; breaches at earlier
    // levels (which escalated the grievance) stay on record.
    private static void ClearBreachesThatNoLongerHold(GrievanceState s, DateTimeOffset now)
    {
        if (s.DueAt > now)
        {
            s.BreachedAtTop = false;
            if (!s.Timeline.Exists(e => e.Type == TimelineEventType.Escalated) || s.Level == 1)
            {
                s.Breached = false;
            }
        }
    }

    // Position, department, category and jurisdiction are recorded from the state after the change: event consumers
    // read who held the grievance, and where, from the event alone.
    private static void Append(GrievanceState s, TimelineEventType type, DateTimeOffset at, string actor, string? note, ReturnKind? returnKind = null) =>
        s.Timeline.Add(new TimelineEvent(
            s.Timeline.Count + 1, type, at, actor, note, s.OfficerId, s.Level, s.DueAt, s.PositionId, s.DepartmentId, CategoryOf(s), s.Request!.JurisdictionId, s.Breached, s.BreachedAtTop, returnKind));

    private static void RequireOpen(GrievanceState s, string action)
    {
        if (!IsRegistered(s))
        {
            throw new HelplineException(GrievanceErrorCodes.UnknownGrievance, "No such grievance.", "referenceNumber");
        }

        if (s.Status != GrievanceStatus.Open)
        {
            throw new HelplineException(
                GrievanceErrorCodes.InvalidTransition,
                $"Cannot {action} grievance {ReferenceNumber.Display(s.ReferenceNumber!)}: it is already {s.Status}.",
                "referenceNumber");
        }
    }

    /// <summary>
    /// The officer holding it may act on it, and so may an officer holding a seat up to <see cref="SupervisorReach"/>
    /// levels above the holder's (a supervisor acting for their team; the timeline names the supervisor).
    /// </summary>
    private void RequireHolder(GrievanceState s, string officerId, string action)
    {
        RequireOpen(s, action);
        if (string.Equals(officerId, s.OfficerId, StringComparison.Ordinal) || IsSupervisorOfHolder(s.PositionId!, officerId))
        {
            return;
        }

        throw new HelplineException(
            GrievanceErrorCodes.NotAssignedOfficer,
            $"Grievance {ReferenceNumber.Display(s.ReferenceNumber!)} is held by officer {s.OfficerId} (L{s.Level}), not {officerId}, nor by a seat above theirs that {officerId} holds.",
            "officerId");
    }

    /// <summary>How many seats up the chain a supervisor may act for the holder.</summary>
    private const int SupervisorReach = 3;

    private bool IsSupervisorOfHolder(string positionId, string officerId)
    {
        var position = positionId;
        for (var i = 0; i < SupervisorReach; i++)
        {
            if (lookups.SupervisorOf(position) is not { } above)
            {
                return false;
            }

            // Every member of a pool seat at work answers for the team below it, not only the one escalations go to.
            if (string.Equals(above.Officer.Id, officerId, StringComparison.Ordinal) || lookups.ActsFor(above.Position.Id, officerId))
            {
                return true;
            }

            position = above.Position.Id;
        }

        return false;
    }

    /// <summary>A transition in progress: a copy of the state being changed, and the officer calls it asks for.</summary>
    private sealed class Change(GrievanceState before)
    {
        private readonly int _appendedFrom = before.Timeline.Count;

        public GrievanceState S { get; } = before.Copy();

        public List<OfficerEffect> Effects { get; } = [];

        public Transition Done(bool track)
        {
            LapsePendingReturn(before, S, _appendedFrom);
            return new(S, true, S.Timeline.GetRange(_appendedFrom, S.Timeline.Count - _appendedFrom), Effects, track);
        }

        /// <summary>Done after a move to another seat: the former holder releases it when the holder changed.</summary>
        public Transition Moved(string previousOfficer)
        {
            if (previousOfficer != S.OfficerId)
            {
                Effects.Add(new ReleaseFrom(previousOfficer));
            }

            return Done(track: true);
        }
    }
}
