using Helpline.Grievances;

namespace Helpline.CallBacks.Domain;

/// <summary>What the complainant said on a call-back attempt.</summary>
public enum CallBackOutcome
{
    /// <summary>Satisfied with the disposal: the grievance is closed.</summary>
    Satisfied = 0,

    /// <summary>Not satisfied (with a reason): the grievance is reopened one level up.</summary>
    Dissatisfied = 1,

    /// <summary>No answer, switched off, wrong number: tried again later, up to the configured attempts.</summary>
    NotReachable = 2,
}

/// <summary>Where a call-back stands.</summary>
public enum CallBackState
{
    /// <summary>To be called (possibly handed to an agent now, or waiting for its next attempt).</summary>
    Pending = 0,

    /// <summary>The complainant was satisfied.</summary>
    Satisfied = 1,

    /// <summary>The complainant was not satisfied; the grievance went one level up.</summary>
    Dissatisfied = 2,

    /// <summary>Not reached after the last attempt.</summary>
    NotReachable = 3,

    /// <summary>Not needed any more: the grievance was reopened (or disposed of again) before the call was made.</summary>
    Cancelled = 4,
}

/// <summary>What recording an attempt does: the call-back's next state, when it may be tried again, and what the grievance is told.</summary>
/// <param name="State">The call-back's state after the attempt.</param>
/// <param name="CallableFrom">When a pending call-back may be offered again; null once it is finished.</param>
/// <param name="Decision">What the grievance is told, or null when it is left as it is.</param>
/// <param name="TimelineNote">The words the grievance's timeline gets with the decision.</param>
internal sealed record AttemptResult(CallBackState State, DateTimeOffset? CallableFrom, CallBackDecision? Decision, string? TimelineNote);

/// <summary>The rules of call-backs, without I/O.</summary>
internal static class CallBackRules
{
    /// <summary>
    /// Whether a disposal of this type and kind gets a call-back. A special closure (an approved return: sub judice, a
    /// personal dispute, a repeat) is called back like a resolution: in UP the complainant's feedback is taken on those too.
    /// </summary>
    public static bool Wanted(TimelineEventType disposal, GrievanceKind kind, CallBackOptions options) =>
        disposal switch
        {
            TimelineEventType.Resolved or TimelineEventType.Rejected or TimelineEventType.SpeciallyClosed => kind != GrievanceKind.Suggestion || options.CallBackSuggestions,
            TimelineEventType.DisposedOnCall => options.CallBackDisposedOnCall,
            _ => false,
        };

    /// <summary>The effect of attempt number <paramref name="attempt"/> (1-based) with <paramref name="outcome"/>.</summary>
    public static AttemptResult Attempt(CallBackOutcome outcome, int attempt, int? rating, string? reason, string? note, DateTimeOffset now, CallBackOptions options)
    {
        var rated = rating is { } r ? $" (rating {r}/5)" : "";
        var said = string.IsNullOrWhiteSpace(note) ? "" : $" Note: {note}";
        return outcome switch
        {
            CallBackOutcome.Satisfied => new(CallBackState.Satisfied, null, CallBackDecision.Close, $"Complainant satisfied on the call-back{rated}.{said}"),
            CallBackOutcome.Dissatisfied => new(CallBackState.Dissatisfied, null, CallBackDecision.Reopen, $"Complainant not satisfied on the call-back{rated}: {reason}{said}"),
            _ when attempt < options.MaxAttempts => new(CallBackState.Pending, now + options.RetrySpacing, null, null),
            _ => new(
                CallBackState.NotReachable,
                null,
                options.NotReachable == NotReachableRule.Close ? CallBackDecision.Close : null,
                $"Closed without feedback: the complainant was not reached in {attempt} call-back attempt{(attempt == 1 ? "" : "s")}."),
        };
    }
}
