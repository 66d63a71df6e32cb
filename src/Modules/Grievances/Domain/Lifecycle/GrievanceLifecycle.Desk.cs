using System.Text.RegularExpressions;
using Helpline.Grievances.Grains;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>The agent desk's transition: a call linked to an open grievance instead of a new registration.</summary>
internal sealed partial class GrievanceLifecycle
{
    /// <summary>
    /// Appends a CallLinked event by the agent. Its note names the caller's mobile masked as everyone but the holder
    /// sees it: the timeline goes to the feeds and to roles that see personal data masked, and free text cannot be
    /// masked per reader. A client request id already linked changes nothing, whatever the status is now, so a retried
    /// click answers as the first did.
    /// </summary>
    /// <exception cref="HelplineException">UNKNOWN_GRIEVANCE, INVALID_STATE_TRANSITION (not open: the message names its status).</exception>
    public Transition LinkCall(GrievanceState current, string clientRequestId, string agentId, string mobile, string? note, DateTimeOffset now)
    {
        if (!IsRegistered(current))
        {
            throw new HelplineException(GrievanceErrorCodes.UnknownGrievance, "No such grievance.", "input.referenceNumber");
        }

        if (current.LinkedCallRequestIds.Contains(clientRequestId))
        {
            return Transition.None(current);
        }

        if (current.Status != GrievanceStatus.Open)
        {
            throw new HelplineException(
                GrievanceErrorCodes.InvalidTransition,
                $"Grievance {ReferenceNumber.Display(current.ReferenceNumber!)} is {ApiName(current.Status)}, not OPEN: a call can be linked only to an open grievance. Register a new grievance, or reopen this one if the complainant is not satisfied.",
                "input.referenceNumber");
        }

        var change = new Change(current);
        change.S.LinkedCallRequestIds.Add(clientRequestId);
        var text = $"Call from {PersonalDataMask.Mobile(mobile)} linked to this grievance." + (note is null ? "" : " " + note);
        Append(change.S, TimelineEventType.CallLinked, now, agentId, text);
        return change.Done(track: false);
    }

    // The status as the API spells it (SPECIALLY_CLOSED), so the message matches what the client reads in 'status'.
    private static string ApiName(GrievanceStatus status) =>
        CamelBoundary().Replace(status.ToString(), "_").ToUpperInvariant();

    [GeneratedRegex("(?<=[a-z])(?=[A-Z])")]
    private static partial Regex CamelBoundary();
}
