namespace Helpline.CallBacks.Domain;

/// <summary>
/// Calling hours in India Standard Time (UTC+05:30, no daylight saving), from <see cref="From"/> up to but not
/// including <see cref="Until"/>, every day.
/// </summary>
/// <param name="From">The first minute calls may be made.</param>
/// <param name="Until">The end, exclusive.</param>
internal readonly record struct CallingHours(TimeOnly From, TimeOnly Until)
{
    /// <summary>India Standard Time's offset.</summary>
    public static readonly TimeSpan Ist = TimeSpan.FromMinutes(330);

    /// <summary>The IST calendar day of an instant (campaigns are per day).</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Ist).DateTime);

    /// <summary>Whether calls may be made at <paramref name="at"/>.</summary>
    public bool IsOpen(DateTimeOffset at)
    {
        var time = TimeOnly.FromDateTime(at.ToOffset(Ist).DateTime);
        return time >= From && time < Until;
    }

    /// <summary>The next instant calling hours open at or after <paramref name="at"/> (itself when they are open).</summary>
    public DateTimeOffset NextOpening(DateTimeOffset at)
    {
        if (IsOpen(at))
        {
            return at;
        }

        var local = at.ToOffset(Ist);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) >= Until)
        {
            day = day.AddDays(1);
        }

        return new DateTimeOffset(day.ToDateTime(From), Ist).ToUniversalTime();
    }
}
