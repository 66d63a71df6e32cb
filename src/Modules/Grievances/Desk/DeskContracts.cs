namespace Helpline.Grievances.Desk;

/// <summary>
/// A caller's complaints this calendar month (IST) against the limit per mobile (<c>Helpline:Grievances:MonthlyComplaintLimit</c>).
/// </summary>
/// <param name="Mobile">The mobile, normalised to ten digits.</param>
/// <param name="Month">The month, <c>yyyy-MM</c> in IST.</param>
/// <param name="Complaints">Grievances of kind Complaint registered from this mobile this month.</param>
/// <param name="Limit">The limit per mobile a month; 0 means no limit.</param>
/// <param name="Overrides">The extra complaints supervisors allowed this month, oldest first.</param>
internal sealed record CallerMonth(string Mobile, string Month, int Complaints, int Limit, IReadOnlyList<LimitOverride> Overrides)
{
    /// <summary>The number of overrides granted this month.</summary>
    public int ExtraAllowed => Overrides.Count;

    /// <summary>How many more complaints may be registered this month; <see cref="int.MaxValue"/> without a limit.</summary>
    public int Remaining => Limit == 0 ? int.MaxValue : Math.Max(0, Limit + ExtraAllowed - Complaints);

    /// <summary>The limit is set and reached: the next complaint from this mobile is refused.</summary>
    public bool OverLimit => Limit > 0 && Remaining == 0;
}

/// <summary>One extra complaint a supervisor allowed, with who, when and why.</summary>
internal sealed record LimitOverride(string SupervisorId, DateTimeOffset At, string Reason);

/// <summary>Why a grievance may be the same matter as the call on the line.</summary>
internal enum DuplicateReason
{
    /// <summary>The caller's own open grievance.</summary>
    SameCaller,

    /// <summary>An open grievance of the same category in the same jurisdiction.</summary>
    SamePlaceAndCategory,
}

/// <summary>An open grievance that may be the same matter, and why.</summary>
internal sealed record PossibleDuplicate(DuplicateReason Reason, Grievance Grievance);
