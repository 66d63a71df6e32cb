using Helpline.LoadTests.Replay;

namespace Helpline.Tests.Replay;

/// <summary>
/// Local times to UTC instants, with values worked out by hand. New York is UTC-5 (EST) in winter and UTC-4 (EDT)
/// from the second Sunday of March 02:00 (clocks jump to 03:00) to the first Sunday of November 02:00 (clocks go
/// back to 01:00). Los Angeles is UTC-8 / UTC-7 on the same days.
/// </summary>
public sealed class SourceTimeTests
{
    private static readonly TimeZoneInfo NewYork = SourceTime.FindZone("America/New_York");
    private static readonly TimeZoneInfo LosAngeles = SourceTime.FindZone("America/Los_Angeles");

    [Theory]
    // Ordinary times: winter EST (+5 h), summer EDT (+4 h).
    [InlineData("01/01/2015 01:09:57 PM", "2015-01-01T18:09:57Z", LocalTimeKind.Regular)]
    [InlineData("07/01/2015 12:00:00 PM", "2015-07-01T16:00:00Z", LocalTimeKind.Regular)]
    [InlineData("01/01/2015 12:00:00 AM", "2015-01-01T05:00:00Z", LocalTimeKind.Regular)]
    // 8 Mar 2015: 01:59:59 is still EST; 02:00-02:59:59 does not exist; 03:00 is EDT.
    [InlineData("03/08/2015 01:59:59 AM", "2015-03-08T06:59:59Z", LocalTimeKind.Regular)]
    [InlineData("03/08/2015 02:30:00 AM", "2015-03-08T07:30:00Z", LocalTimeKind.GapShifted)] // shifted to 03:30 EDT
    [InlineData("03/08/2015 02:00:00 AM", "2015-03-08T07:00:00Z", LocalTimeKind.GapShifted)] // = 03:00 EDT
    [InlineData("03/08/2015 03:00:00 AM", "2015-03-08T07:00:00Z", LocalTimeKind.Regular)]
    // 1 Nov 2015: 01:00-01:59:59 happens twice (EDT, then EST); the earlier instant (EDT) is taken.
    [InlineData("11/01/2015 12:59:59 AM", "2015-11-01T04:59:59Z", LocalTimeKind.Regular)]
    [InlineData("11/01/2015 01:30:00 AM", "2015-11-01T05:30:00Z", LocalTimeKind.AmbiguousEarlier)] // not 06:30Z (EST)
    [InlineData("11/01/2015 01:00:00 AM", "2015-11-01T05:00:00Z", LocalTimeKind.AmbiguousEarlier)]
    [InlineData("11/01/2015 02:00:00 AM", "2015-11-01T07:00:00Z", LocalTimeKind.Regular)]
    // 24-hour clock and minutes only.
    [InlineData("01/02/2015 18:32:22", "2015-01-02T23:32:22Z", LocalTimeKind.Regular)]
    [InlineData("1/2/2015 6:32 PM", "2015-01-02T23:32:00Z", LocalTimeKind.Regular)]
    public void New_York_local_times(string local, string utc, LocalTimeKind kind)
    {
        Assert.True(SourceTime.TryParse(local, NewYork, out var instant));
        Assert.Equal(utc, SourceTime.Format(instant.Utc));
        Assert.Equal(kind, instant.Kind);
    }

    [Theory]
    [InlineData("2010-11-15 01:05:25.727", "2010-11-15T09:05:25.727Z", LocalTimeKind.Regular)] // PST +8 h
    [InlineData("2010-11-12 07:07", "2010-11-12T15:07:00Z", LocalTimeKind.Regular)]
    [InlineData("2010-11-07 01:30:00", "2010-11-07T08:30:00Z", LocalTimeKind.AmbiguousEarlier)] // PDT, not 09:30Z
    [InlineData("2010-03-14 02:30:00", "2010-03-14T10:30:00Z", LocalTimeKind.GapShifted)] // = 03:30 PDT
    [InlineData("2010-07-01T12:00:00", "2010-07-01T19:00:00Z", LocalTimeKind.Regular)] // PDT +7 h
    // An offset in the text wins over the zone.
    [InlineData("2010-11-15T01:05:25-08:00", "2010-11-15T09:05:25Z", LocalTimeKind.Regular)]
    [InlineData("2010-11-15T12:00:00-0800", "2010-11-15T20:00:00Z", LocalTimeKind.Regular)]
    [InlineData("2010-11-07T01:30:00-08:00", "2010-11-07T09:30:00Z", LocalTimeKind.Regular)] // the second 01:30, named
    [InlineData("2010-11-16T09:05:25Z", "2010-11-16T09:05:25Z", LocalTimeKind.Regular)]
    [InlineData("2015-03-08T02:30:00+05:30", "2015-03-07T21:00:00Z", LocalTimeKind.Regular)]
    public void Los_Angeles_and_offset_times(string text, string utc, LocalTimeKind kind)
    {
        Assert.True(SourceTime.TryParse(text, LosAngeles, out var instant));
        Assert.Equal(utc, SourceTime.Format(instant.Utc));
        Assert.Equal(kind, instant.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("n/a")]
    [InlineData(":27.7")]
    [InlineData("2015-13-45 25:00")]
    [InlineData("01/35/2015 08:30:00 AM")]
    [InlineData("13/01/2015 08:30:00 AM")]
    [InlineData("02/29/2015 08:30:00 AM")]
    [InlineData("2015-01-01T10:00:00+15:00")]
    [InlineData("2015-01-01T10:00:00+05:60")]
    [InlineData("01/01/2015")]
    public void Text_that_is_not_a_date_and_time_is_refused(string text)
    {
        Assert.False(SourceTime.TryParse(text, NewYork, out _));
    }

    [Fact]
    public void An_unknown_zone_stops_the_run_with_its_name()
    {
        var ex = Assert.Throws<ReplayInputException>(() => SourceTime.FindZone("Mars/Olympus_Mons"));
        Assert.Contains("Mars/Olympus_Mons", ex.Message, StringComparison.Ordinal);
    }
}
