using Helpline.Platform.Errors;

namespace Helpline.CallBacks;

/// <summary>Error codes owned by the CallBacks module.</summary>
public static class CallBackErrorCodes
{
    /// <summary>No call-back has the given id.</summary>
    public const string UnknownCallBack = "UNKNOWN_CALL_BACK";

    /// <summary>No campaign has the given id.</summary>
    public const string UnknownCampaign = "UNKNOWN_CAMPAIGN";

    /// <summary>The call-back is not handed to the agent recording it.</summary>
    public const string NotHeld = "CALL_BACK_NOT_HELD";

    /// <summary>The agent's hold on the call-back ended and it went back to the queue.</summary>
    public const string LeaseExpired = "LEASE_EXPIRED";

    /// <summary>The outcome of that call was already recorded.</summary>
    public const string OutcomeAlreadyRecorded = "OUTCOME_ALREADY_RECORDED";

    /// <summary>The grievance was reopened (or disposed of again) after the disposal the call-back checks.</summary>
    public const string GrievanceReopened = "GRIEVANCE_REOPENED";

    /// <summary>The queue could not answer now; retry (a call already handed out is handed out again).</summary>
    public const string QueueUnavailable = "CALL_BACK_QUEUE_UNAVAILABLE";

    /// <summary>The module's codes with their descriptions.</summary>
    public static IReadOnlyList<HelplineErrorCode> All { get; } =
    [
        new(UnknownCallBack, "No call-back has the given id."),
        new(UnknownCampaign, "No call-back campaign has the given id."),
        new(NotHeld, "The call-back is not handed to the agent recording its outcome (another agent holds it, or nobody does)."),
        new(LeaseExpired, "The agent's hold on the call-back ended before the outcome was recorded; it went back to the queue. Nothing was recorded."),
        new(OutcomeAlreadyRecorded, "The outcome of that call was already recorded; nothing was changed."),
        new(GrievanceReopened, "The grievance was reopened (or disposed of again) after the disposal the call-back checks; the call-back is cancelled and nothing was recorded."),
        new(QueueUnavailable, "The call-back queue could not answer (the database did not); ask again: a call already handed to the agent is handed to them again."),
    ];
}
