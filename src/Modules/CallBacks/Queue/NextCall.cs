using Helpline.CallBacks.Domain;

namespace Helpline.CallBacks.Queue;

/// <summary>Why no call was handed out.</summary>
public enum NoCallReason
{
    /// <summary>Nothing in the campaign may be called now (all done, handed to others, or waiting for a later attempt).</summary>
    NoneDue = 0,

    /// <summary>Outside the campaign's calling hours; see <see cref="NextCall.CallingResumesAt"/>.</summary>
    OutsideCallingHours = 1,

    /// <summary>The campaign is closed: its work is done.</summary>
    CampaignClosed = 2,
}

/// <summary>The answer to an agent asking for their next call: a call-back handed to them, or why none was.</summary>
/// <param name="CallBack">The call-back now held by the agent, or null.</param>
/// <param name="Reason">Why none was handed out, when <paramref name="CallBack"/> is null.</param>
/// <param name="CallingResumesAt">When calling hours open again, outside them.</param>
internal sealed record NextCall(CallBackRow? CallBack, NoCallReason? Reason = null, DateTimeOffset? CallingResumesAt = null);
