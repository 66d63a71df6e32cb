using Helpline.Grievances.Grains;
using Helpline.Platform.Errors;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>The complainant's call-back decides whether a disposal stands.</summary>
internal sealed partial class GrievanceLifecycle
{
    /// <summary>The last disposal on the timeline (resolved, rejected, answered on the call, or specially closed), or null.</summary>
    public static TimelineEvent? LastDisposal(GrievanceState s) =>
        s.Timeline.LastOrDefault(e => e.Type is TimelineEventType.Resolved or TimelineEventType.Rejected or TimelineEventType.DisposedOnCall or TimelineEventType.SpeciallyClosed);

    /// <summary>
    /// Closes the disposal the call-back checked, or reopens the grievance one level up with the complainant's reason.
    /// The same call-back applied again changes nothing, so a retried or repaired outcome is harmless; a call-back for a
    /// disposal the grievance has moved past (reopened by someone else, disposed of again, closed) is refused.
    /// </summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, DISPOSAL_SUPERSEDED, NO_ROUTE (reopening at a vacant seat).</exception>
    public Transition ApplyCallBack(GrievanceState current, CallBackVerdict verdict, DateTimeOffset now)
    {
        if (!IsRegistered(current))
        {
            throw new HelplineException(GrievanceErrorCodes.UnknownGrievance, "No such grievance.", "referenceNumber");
        }

        if (current.LastCallBackId == verdict.CallBackId)
        {
            return Transition.None(current);
        }

        if (current.Status is not (GrievanceStatus.Resolved or GrievanceStatus.Rejected or GrievanceStatus.DisposedOnCall or GrievanceStatus.SpeciallyClosed)
            || LastDisposal(current)?.Sequence != verdict.DisposalSequence)
        {
            throw new HelplineException(
                GrievanceErrorCodes.DisposalSuperseded,
                $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is {current.Status} and its last disposal is not the one the call-back checked (timeline entry {verdict.DisposalSequence}); nothing was changed.",
                "referenceNumber");
        }

        Transition t;
        if (verdict.Decision == CallBackDecision.Close)
        {
            var change = new Change(current);
            change.S.Status = GrievanceStatus.Closed;
            Append(change.S, TimelineEventType.Closed, now, verdict.Actor, verdict.Note);
            t = change.Done(track: false);
        }
        else
        {
            t = Reopen(current, verdict.Actor, verdict.Note, now);
        }

        t.State.LastCallBackId = verdict.CallBackId;
        return t;
    }
}
