using Helpline.CallBacks;
using Helpline.CallBacks.Domain;
using Helpline.Grievances;

namespace Helpline.Tests.CallBacks;

/// <summary>The call-back rules without I/O: calling hours in IST, which disposals are called back, and attempts.</summary>
public sealed class CallBackRulesTests
{
    private static readonly CallingHours Default = new(new TimeOnly(8, 0), new TimeOnly(20, 0));

    [Theory]
    [InlineData("2026-11-02T02:29:59Z", false)] // 07:59:59 IST
    [InlineData("2026-11-02T02:30:00Z", true)] // 08:00 IST
    [InlineData("2026-11-02T14:29:59Z", true)] // 19:59:59 IST
    [InlineData("2026-11-02T14:30:00Z", false)] // 20:00 IST: the end is exclusive
    [InlineData("2026-11-02T19:00:00Z", false)] // 00:30 IST the next day
    public void Calling_hours_are_read_in_IST(string at, bool open) => Assert.Equal(open, Default.IsOpen(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-11-02T14:30:00Z", "2026-11-03T02:30:00Z")] // after hours: tomorrow 08:00 IST
    [InlineData("2026-11-02T19:00:00Z", "2026-11-03T02:30:00Z")] // 00:30 IST: the same IST day's 08:00
    [InlineData("2026-11-02T01:00:00Z", "2026-11-02T02:30:00Z")] // 06:30 IST: today 08:00
    [InlineData("2026-11-02T05:00:00Z", "2026-11-02T05:00:00Z")] // open now
    public void Calling_hours_open_again_at_the_next_08_00_IST(string at, string next) =>
        Assert.Equal(
            DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture),
            Default.NextOpening(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_campaign_day_is_the_IST_day() =>
        Assert.Equal(new DateOnly(2026, 11, 3), CallingHours.DayOf(new DateTimeOffset(2026, 11, 2, 18, 30, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData(TimelineEventType.Resolved, GrievanceKind.Complaint, false, false, true)]
    [InlineData(TimelineEventType.Rejected, GrievanceKind.Demand, false, false, true)]
    [InlineData(TimelineEventType.Resolved, GrievanceKind.Information, false, false, true)]
    [InlineData(TimelineEventType.DisposedOnCall, GrievanceKind.Information, false, false, false)]
    [InlineData(TimelineEventType.DisposedOnCall, GrievanceKind.Information, true, false, true)]
    [InlineData(TimelineEventType.Resolved, GrievanceKind.Suggestion, false, false, false)]
    [InlineData(TimelineEventType.Resolved, GrievanceKind.Suggestion, false, true, true)]
    [InlineData(TimelineEventType.SpeciallyClosed, GrievanceKind.Complaint, false, false, true)] // UP: special closures get feedback too
    [InlineData(TimelineEventType.SpeciallyClosed, GrievanceKind.Suggestion, false, false, false)]
    [InlineData(TimelineEventType.ReturnApproved, GrievanceKind.Complaint, true, true, false)]
    [InlineData(TimelineEventType.Escalated, GrievanceKind.Complaint, true, true, false)]
    public void Which_disposals_are_called_back_follows_the_rule(TimelineEventType type, GrievanceKind kind, bool onCall, bool suggestions, bool wanted) =>
        Assert.Equal(wanted, CallBackRules.Wanted(type, kind, new CallBackOptions { CallBackDisposedOnCall = onCall, CallBackSuggestions = suggestions }));

    [Fact]
    public void Unreachable_complainants_are_tried_until_the_last_attempt_then_the_rule_applies()
    {
        var now = new DateTimeOffset(2026, 11, 2, 5, 0, 0, TimeSpan.Zero);
        var options = new CallBackOptions { MaxAttempts = 2, RetrySpacing = TimeSpan.FromHours(6) };

        Assert.Equal(new AttemptResult(CallBackState.Pending, now.AddHours(6), null, null), CallBackRules.Attempt(CallBackOutcome.NotReachable, 1, null, null, null, now, options));
        Assert.Equal((CallBackState.NotReachable, CallBackDecision.Close), Pick(CallBackRules.Attempt(CallBackOutcome.NotReachable, 2, null, null, null, now, options)));
        options.NotReachable = NotReachableRule.KeepDisposed;
        Assert.Equal((CallBackState.NotReachable, (CallBackDecision?)null), Pick(CallBackRules.Attempt(CallBackOutcome.NotReachable, 2, null, null, null, now, options)));
        Assert.Equal((CallBackState.Dissatisfied, CallBackDecision.Reopen), Pick(CallBackRules.Attempt(CallBackOutcome.Dissatisfied, 1, 1, "No water", null, now, options)));
    }

    [Fact]
    public void Settings_are_checked_and_each_problem_names_its_key()
    {
        var problems = new CallBackOptions { MaxAttempts = 0, CallingFrom = "21:00", CallingUntil = "09:00", Lease = TimeSpan.Zero }.Problems();

        Assert.Contains(problems, p => p.StartsWith("Helpline:CallBacks:MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Helpline:CallBacks:CallingUntil must be after", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Helpline:CallBacks:Lease", StringComparison.Ordinal));
        Assert.Empty(new CallBackOptions().Problems());
    }

    private static (CallBackState, CallBackDecision?) Pick(AttemptResult r) => (r.State, r.Decision);
}
