using Helpline.Platform.Errors;

namespace Helpline.Accountability;

/// <summary>Error codes owned by the Accountability module.</summary>
public static class AccountabilityErrorCodes
{
    /// <summary>No flag has the given id (or it is outside the caller's view).</summary>
    public const string UnknownFlag = "UNKNOWN_FLAG";

    /// <summary>The grievance has no disposal by an officer (with that sequence) to grade.</summary>
    public const string UnknownDisposal = "UNKNOWN_DISPOSAL";

    /// <summary>Only the supervisor of the officer concerned (or an administrator) may do this.</summary>
    public const string NotTheSupervisor = "NOT_THE_SUPERVISOR";

    /// <summary>The grader has given the most grades allowed in a month.</summary>
    public const string GradeLimitReached = "GRADE_LIMIT_REACHED";

    /// <summary>Another review of the same disposal or flag was saved at the same moment.</summary>
    public const string ConcurrentReview = "CONCURRENT_REVIEW";

    /// <summary>The month has no computed ranking.</summary>
    public const string NoRanking = "NO_RANKING";

    /// <summary>A ranking is being computed; nothing was started (retryable).</summary>
    public const string RankingInProgress = "RANKING_IN_PROGRESS";

    /// <summary>The module's codes with their descriptions.</summary>
    public static IReadOnlyList<HelplineErrorCode> All { get; } =
    [
        new(UnknownFlag, "No penalty flag has the given id, or it is outside your view."),
        new(UnknownDisposal, "The grievance has no disposal by an officer to grade (with that disposal sequence, if one was given), or it is outside your view."),
        new(NotTheSupervisor, "Nobody grades their own disposal (or one made at their own seat) or reviews a flag on themselves; the supervisor who answers for them does."),
        new(GradeLimitReached, "You have graded the most disposals allowed in a month (Helpline:Accountability:MaxGradesPerMonth); nothing was saved."),
        new(ConcurrentReview, "Another review of the same disposal or flag was saved at the same moment; nothing was saved. Read it and try again."),
        new(NoRanking, "The month has no computed ranking (not computed yet, or skipped); the answer says which."),
        new(RankingInProgress, "A ranking is being computed (of that month anywhere, or of any month on the server asked); nothing was started. Ask again when it is done."),
    ];
}
