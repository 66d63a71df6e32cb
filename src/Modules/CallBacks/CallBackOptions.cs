using System.Globalization;

namespace Helpline.CallBacks;

/// <summary>How a grievance is called back, what happens to the caller who cannot be reached, and how call-backs are gathered.</summary>
public enum CampaignGrouping
{
    /// <summary>One campaign per day and district (the place's district; an imported city is its own).</summary>
    District = 0,

    /// <summary>One campaign per day and department.</summary>
    Department = 1,
}

/// <summary>What happens to a grievance whose complainant was not reached after the last attempt.</summary>
public enum NotReachableRule
{
    /// <summary>The grievance is closed, its timeline saying that no feedback could be taken.</summary>
    Close = 0,

    /// <summary>The grievance stays disposed (resolved or rejected), neither closed nor reopened.</summary>
    KeepDisposed = 1,
}

/// <summary>Call-back settings (configuration section <c>Helpline:CallBacks</c>); checked at start-up.</summary>
public sealed class CallBackOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Helpline:CallBacks";

    /// <summary>A call-back is due this long after the disposal (UP cross-checks within about three to four days).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(72);

    /// <summary>A call handed to an agent returns to the queue if no outcome is recorded within this time.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Attempts before a complainant counts as not reachable.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The least time between two attempts on the same call-back.</summary>
    public TimeSpan RetrySpacing { get; set; } = TimeSpan.FromHours(4);

    /// <summary>What the last unanswered attempt does to the grievance.</summary>
    public NotReachableRule NotReachable { get; set; } = NotReachableRule.Close;

    /// <summary>Whether an information request answered on the call is called back too.</summary>
    public bool CallBackDisposedOnCall { get; set; }

    /// <summary>Whether a disposed suggestion is called back.</summary>
    public bool CallBackSuggestions { get; set; }

    /// <summary>How campaigns are cut: per day and district, or per day and department.</summary>
    public CampaignGrouping CampaignBy { get; set; } = CampaignGrouping.District;

    /// <summary>The first minute of calling hours, IST (HH:mm); a new campaign starts with these hours.</summary>
    public string CallingFrom { get; set; } = "08:00";

    /// <summary>The end of calling hours, IST (HH:mm), exclusive.</summary>
    public string CallingUntil { get; set; } = "20:00";

    /// <summary>Call-backs put into campaigns per transaction.</summary>
    public int BatchSize { get; set; } = 10_000;

    /// <summary>The start of calling hours as a time of day.</summary>
    public TimeOnly From => ParseTime(CallingFrom, nameof(CallingFrom));

    /// <summary>The end of calling hours as a time of day.</summary>
    public TimeOnly Until => ParseTime(CallingUntil, nameof(CallingUntil));

    /// <summary>The settings' problems, each naming its key; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Check(bool ok, string key, string rule)
        {
            if (!ok)
            {
                problems.Add($"{Section}:{key} {rule}.");
            }
        }

        Check(Window >= TimeSpan.FromHours(1) && Window <= TimeSpan.FromDays(30), nameof(Window), "must be between 1 hour and 30 days");
        Check(Lease >= TimeSpan.FromMinutes(1) && Lease <= TimeSpan.FromHours(4), nameof(Lease), "must be between 1 minute and 4 hours");
        Check(MaxAttempts is >= 1 and <= 10, nameof(MaxAttempts), "must be 1..10");
        Check(RetrySpacing >= TimeSpan.FromMinutes(5) && RetrySpacing <= TimeSpan.FromDays(3), nameof(RetrySpacing), "must be between 5 minutes and 3 days");
        Check(BatchSize is >= 100 and <= 100_000, nameof(BatchSize), "must be 100..100000");
        Check(Enum.IsDefined(NotReachable), nameof(NotReachable), "must be Close or KeepDisposed");
        Check(Enum.IsDefined(CampaignBy), nameof(CampaignBy), "must be District or Department");
        if (TryTime(CallingFrom, out var from) && TryTime(CallingUntil, out var until))
        {
            Check(from < until, nameof(CallingUntil), $"must be after {nameof(CallingFrom)} (calling hours within one day)");
        }
        else
        {
            Check(TryTime(CallingFrom, out _), nameof(CallingFrom), "must be a time HH:mm");
            Check(TryTime(CallingUntil, out _), nameof(CallingUntil), "must be a time HH:mm");
        }

        return problems;
    }

    internal static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static TimeOnly ParseTime(string text, string key) =>
        TryTime(text, out var t) ? t : throw new InvalidOperationException($"{Section}:{key} must be a time HH:mm, not '{text}'.");
}
