using Helpline.Sla;
using static Helpline.Tests.Sla.SlaTestWorld;

namespace Helpline.Tests.Sla;

/// <summary>Validation and wording of the public records.</summary>
public sealed class SlaContractTests
{
    [Fact]
    public void The_default_calendar_is_Monday_to_Friday_10_to_17_IST_with_seven_working_hours()
    {
        Assert.Equal("default", WorkingCalendar.Default.Id);
        Assert.Equal("Mon–Fri 10:00–17:00 IST", WorkingCalendar.Default.Describe());
        Assert.Equal(TimeSpan.FromHours(7), WorkingCalendar.Default.WorkingDayLength);
        Assert.Null(WorkingCalendar.Default.Problem());
    }

    [Fact]
    public void Calendars_describe_their_days_Monday_first_with_runs_as_ranges()
    {
        Assert.Equal("Mon–Sat 10:00–17:00 IST", SixDayWeek.Describe());
        Assert.Equal("Mon,Wed,Fri 09:30–13:00 IST", (WorkingCalendar.Default with
        {
            WorkingDays = [DayOfWeek.Friday, DayOfWeek.Monday, DayOfWeek.Wednesday],
            Opening = new TimeOnly(9, 30),
            Closing = new TimeOnly(13, 0),
        }).Describe());
        Assert.Equal("Mon,Tue,Thu–Sun 10:00–17:00 IST", (WorkingCalendar.Default with
        {
            WorkingDays = [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday],
        }).Describe());
    }

    [Fact]
    public void Unusable_calendars_say_why()
    {
        Assert.Contains("before closing", (WorkingCalendar.Default with { Opening = new TimeOnly(17, 0) }).Problem(), StringComparison.Ordinal);
        Assert.Contains("at least one working day", (WorkingCalendar.Default with { WorkingDays = [] }).Problem(), StringComparison.Ordinal);
        Assert.Contains("distinct", (WorkingCalendar.Default with { WorkingDays = [DayOfWeek.Monday, DayOfWeek.Monday] }).Problem(), StringComparison.Ordinal);
        Assert.Contains("distinct", (WorkingCalendar.Default with { WorkingDays = [(DayOfWeek)7] }).Problem(), StringComparison.Ordinal);
        Assert.Contains("calendar id", (WorkingCalendar.Default with { Id = "Bad_Id" }).Problem(), StringComparison.Ordinal);
        Assert.Contains("calendar id", (WorkingCalendar.Default with { Id = "double--hyphen" }).Problem(), StringComparison.Ordinal);
        Assert.Contains("name", (WorkingCalendar.Default with { Name = " " }).Problem(), StringComparison.Ordinal);
    }

    [Fact]
    public void Allowances_read_naturally_and_are_bounded()
    {
        Assert.Equal("1 working day", new SlaAllowance(SlaUnit.WorkingDays, 1).ToString());
        Assert.Equal("2 working days", new SlaAllowance(SlaUnit.WorkingDays, 2).ToString());
        Assert.Equal("7 calendar days", new SlaAllowance(SlaUnit.CalendarDays, 7).ToString());
        Assert.Equal("36 working hours", new SlaAllowance(SlaUnit.WorkingHours, 36).ToString());
        Assert.True(new SlaAllowance(SlaUnit.WorkingHours, 1).CountsWorkingTime);
        Assert.False(new SlaAllowance(SlaUnit.CalendarDays, 1).CountsWorkingTime);

        Assert.Null(new SlaAllowance(SlaUnit.CalendarDays, SlaAllowance.MaxDays).Problem());
        Assert.Null(new SlaAllowance(SlaUnit.WorkingHours, SlaAllowance.MaxHours).Problem());
        Assert.NotNull(new SlaAllowance(SlaUnit.WorkingDays, SlaAllowance.MaxDays + 1).Problem());
        Assert.NotNull(new SlaAllowance(SlaUnit.WorkingHours, 0).Problem());
        Assert.NotNull(new SlaAllowance((SlaUnit)9, 1).Problem());
        Assert.Equal("4 calendar hours", new SlaAllowance(SlaUnit.CalendarHours, 4).ToString());
        Assert.False(new SlaAllowance(SlaUnit.CalendarHours, 4).CountsWorkingTime);
        Assert.Null(new SlaAllowance(SlaUnit.CalendarHours, SlaAllowance.MaxHours).Problem());
        Assert.NotNull(new SlaAllowance(SlaUnit.CalendarHours, SlaAllowance.MaxHours + 1).Problem());
    }
}
