namespace Helpline.Officers.Postings;

/// <summary>
/// An officer's leave as stored: from <see cref="StartsAt"/> to <see cref="EndsAt"/> (exclusive), the charge of their
/// seat held by <see cref="ChargeOfficerId"/>. <see cref="EndedAt"/> is set when it was ended early; at or before its
/// start it was cancelled and never in force.
/// </summary>
internal sealed record OfficerLeave(
    long Id,
    string OfficerId,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string ChargeOfficerId,
    bool HandOverOpen,
    string? Note,
    string RecordedBy,
    DateTimeOffset RecordedAt,
    DateTimeOffset? EndedAt,
    string? EndedBy,
    string? EndNote)
{
    /// <summary>When the leave stops (or stopped) being in force: its end, or the instant it was ended early.</summary>
    public DateTimeOffset EffectiveEnd => EndedAt is { } ended && ended < EndsAt ? ended : EndsAt;

    /// <summary>Whether it was ended before it began, so it never was in force.</summary>
    public bool Cancelled => EndedAt is { } ended && ended <= StartsAt;

    /// <summary>Whether the leave is in force at <paramref name="at"/>.</summary>
    public bool InForceAt(DateTimeOffset at) => !Cancelled && StartsAt <= at && at < EffectiveEnd;

    /// <summary>Whether the leave is in force at some instant of [from, to).</summary>
    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => !Cancelled && StartsAt < to && from < EffectiveEnd;
}
