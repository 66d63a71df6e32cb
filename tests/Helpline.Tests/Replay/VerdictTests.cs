using Helpline.LoadTests.Replay;

namespace Helpline.Tests.Replay;

/// <summary>Helpline's verdict rule and the agreement with a source's own verdict.</summary>
public sealed class VerdictTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Opened = new(2015, 1, 1, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Due = new(2015, 1, 5, 13, 30, 0, TimeSpan.Zero);

    private static ReplayRecord Record(DateTimeOffset? due, DateTimeOffset? closed) =>
        new("boston311", "Boston", "America/New_York", "1", "PWDx", "Pothole", null, "Pothole", Opened, due, closed, null);

    [Fact]
    public void Closed_on_or_before_the_due_date_is_on_time_after_it_overdue()
    {
        Assert.Equal(HelplineVerdict.OnTime, Verdicts.Of(Record(Due, Due), Now));
        Assert.Equal(HelplineVerdict.OnTime, Verdicts.Of(Record(Due, Due.AddDays(-2)), Now));
        Assert.Equal(HelplineVerdict.Overdue, Verdicts.Of(Record(Due, Due.AddSeconds(1)), Now));
    }

    [Fact]
    public void Open_is_overdue_once_the_due_date_has_passed()
    {
        Assert.Equal(HelplineVerdict.Overdue, Verdicts.Of(Record(Due, null), Now));
        Assert.Equal(HelplineVerdict.Open, Verdicts.Of(Record(Now.AddSeconds(1), null), Now));
        Assert.Equal(HelplineVerdict.Open, Verdicts.Of(Record(Now, null), Now));
    }

    [Fact]
    public void Without_a_due_date_a_record_is_never_overdue()
    {
        Assert.Equal(HelplineVerdict.NoDueDate, Verdicts.Of(Record(null, null), Now));
        Assert.Equal(HelplineVerdict.NoDueDate, Verdicts.Of(Record(null, Opened.AddYears(3)), Now));
    }

    [Fact]
    public void Agreement_is_judged_only_on_closed_records_with_a_due_date_and_a_source_verdict()
    {
        Assert.True(Verdicts.Agrees(Record(Due, Due), SourceVerdict.OnTime));
        Assert.False(Verdicts.Agrees(Record(Due, Due), SourceVerdict.Overdue));
        Assert.True(Verdicts.Agrees(Record(Due, Due.AddMinutes(1)), SourceVerdict.Overdue));
        Assert.False(Verdicts.Agrees(Record(Due, Due.AddMinutes(1)), SourceVerdict.OnTime));
        Assert.Null(Verdicts.Agrees(Record(Due, null), SourceVerdict.Overdue));
        Assert.Null(Verdicts.Agrees(Record(null, Due), SourceVerdict.OnTime));
        Assert.Null(Verdicts.Agrees(Record(Due, Due), null));
    }
}
