using Helpline.Grievances.Import;
using Helpline.Platform.Errors;

namespace Helpline.Tests.Grievances.Domain;

/// <summary>
/// Rule 6: an import's times. New York is UTC−05:00 in winter (EST) and UTC−04:00 in summer (EDT); in 2015 the clocks
/// went forward at 02:00 on Sun 8 Mar and back at 02:00 on Sun 1 Nov. Every expected instant is worked out below.
/// </summary>
public sealed class SourceTimesTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2015, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_local_time_is_read_in_the_records_zone_and_any_offset_is_kept_as_that_instant_in_UTC()
    {
        // 2 Jan 2015 10:00 in New York (EST, −05:00) = 15:00 UTC; not 10:00 UTC as if it were UTC.
        Assert.Equal((Utc(1, 2, 15), (string?)null), SourceTimes.Read("2015-01-02T10:00:00", NewYork, "registeredAt"));
        // 2 Jul 2015 10:00 in New York (EDT, −04:00) = 14:00 UTC.
        Assert.Equal(Utc(7, 2, 14), SourceTimes.Read("2015-07-02 10:00", NewYork, "registeredAt").Utc);

        // With an offset the zone does not matter: 10:00+05:30 = 04:30 UTC; 10:00-0800 = 18:00 UTC; Z is UTC.
        var withOffset = SourceTimes.Read("2015-01-02T10:00:00+05:30", NewYork, "dueAt").Utc;
        Assert.Equal((Utc(1, 2, 4, 30), TimeSpan.Zero), (withOffset, withOffset.Offset));
        Assert.Equal(Utc(1, 2, 18), SourceTimes.Read("2015-01-02T10:00:00-0800", NewYork, "dueAt").Utc);
        Assert.Equal(Utc(1, 2, 10), SourceTimes.Read("2015-01-02T10:00:00Z", NewYork, "dueAt").Utc);
    }

    [Fact]
    public void The_repeated_hour_is_its_earlier_instant_and_the_skipped_hour_is_read_with_the_offset_before_the_jump()
    {
        // 1 Nov 2015 01:30 happened twice: first in EDT (−04:00) = 05:30 UTC, then in EST (−05:00) = 06:30 UTC. Earlier: 05:30.
        var (repeated, repeatedNote) = SourceTimes.Read("2015-11-01T01:30:00", NewYork, "closedAt");
        Assert.Equal(Utc(11, 1, 5, 30), repeated);
        Assert.Equal("closedAt 2015-11-01 01:30:00 occurred twice in America/New_York (the clocks went back); read as the earlier instant, 2015-11-01 05:30:00 UTC.", repeatedNote);

        // 8 Mar 2015 02:30 never happened (02:00 EST became 03:00 EDT). With the offset before the jump (EST, −05:00)
        // it is 07:30 UTC, which the clocks showed as 03:30 EDT: moved forward by the one-hour gap.
        var (skipped, skippedNote) = SourceTimes.Read("2015-03-08T02:30:00", NewYork, "registeredAt");
        Assert.Equal(Utc(3, 8, 7, 30), skipped);
        Assert.Equal("registeredAt 2015-03-08 02:30:00 did not occur in America/New_York (the clocks went forward); read with the offset before the change, 2015-03-08 07:30:00 UTC.", skippedNote);
    }

    [Fact]
    public void Text_that_is_not_an_ISO_date_and_time_is_refused_with_the_field()
    {
        foreach (var bad in new[] { "01/02/2015 10:00", "2015-01-02", "2015-01-02T10:00:00+15:00", "" })
        {
            var ex = Assert.Throws<HelplineException>(() => SourceTimes.Read(bad, NewYork, "registeredAt"));
            Assert.Equal((ErrorCodes.Invalid, "registeredAt"), (ex.Code, ex.Field));
        }
    }
}
