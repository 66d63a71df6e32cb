using System.Globalization;
using System.Text.RegularExpressions;
using Helpline.Platform.Errors;

namespace Helpline.Grievances.Import;

/// <summary>
/// How an imported record's times become instants. Text with an offset (<c>Z</c>, <c>+01:00</c>, <c>-0500</c>) is that
/// instant, kept in UTC. Text without one is a wall-clock time in the record's time zone:
/// <list type="bullet">
/// <item>a time that occurs twice (the clocks go back, New York 1 Nov 2015 01:30) is the earlier instant, the first
/// time the clock showed it (daylight time: 05:30 UTC);</item>
/// <item>a time that never occurred (the clocks jump forward, New York 8 Mar 2015 02:30) is read with the offset in
/// force just before the jump, which is the same as moving it forward by the gap (03:30 daylight time, 07:30 UTC).</item>
/// </list>
/// The replay tool follows the same rule; the service owns it.
/// </summary>
internal static partial class SourceTimes
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm",
    ];

    /// <summary>
    /// The instant of <paramref name="text"/> by the rule above, and a sentence when the repeated or skipped hour rule
    /// applied (null otherwise).
    /// </summary>
    /// <exception cref="HelplineException">INVALID_VALUE at <paramref name="field"/>: not an ISO 8601 date and time.</exception>
    public static (DateTimeOffset Utc, string? Note) Read(string text, TimeZoneInfo zone, string field)
    {
        var value = text?.Trim() ?? "";
        var match = IsoTime().Match(value);
        if (!match.Success || !DateTime.TryParseExact(match.Groups["local"].Value, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"'{field}' must be an ISO 8601 date and time such as 2015-01-02T10:00:00 (read in the record's time zone) or 2015-01-02T15:00:00Z; it was '{text}'.",
                field);
        }

        // Near the ends of the calendar (year 1 or 9999) the offset can carry the instant out of range.
        try
        {
            var (utc, note) = match.Groups["offset"].Success
                ? (new DateTimeOffset(local, Offset(match.Groups["offset"].Value, field)).ToUniversalTime(), null)
                : Local(local, zone, field);
            return (StoredPrecision(utc), note);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'{field}' is out of the range of instants Helpline can store; it was '{text}'.", field);
        }
    }

    /// <summary>A wall-clock time in <paramref name="zone"/> by the rule above.</summary>
    public static (DateTimeOffset Utc, string? Note) Local(DateTime local, TimeZoneInfo zone, string field)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var name = field[(field.LastIndexOf('.') + 1)..];
        var shown = local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        if (zone.IsInvalidTime(local))
        {
            var before = OffsetBeforeGap(local, zone);
            var utc = new DateTimeOffset(local.Ticks - before.Ticks, TimeSpan.Zero);
            return (utc, $"{name} {shown} did not occur in {zone.Id} (the clocks went forward); read with the offset before the change, {Utc(utc)}.");
        }

        if (zone.IsAmbiguousTime(local))
        {
            var earlier = new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max()).ToUniversalTime();
            return (earlier, $"{name} {shown} occurred twice in {zone.Id} (the clocks went back); read as the earlier instant, {Utc(earlier)}.");
        }

        return (new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime(), null);
    }

    // PostgreSQL keeps microseconds. An instant finer than that would differ between the grain's state and the read
    // model, and a deadline re-armed from the read model (after a silo's death) would name an instant the grain
    // does not recognise as its due date, so the breach would never happen: cut it at the edge.
    private static DateTimeOffset StoredPrecision(DateTimeOffset t) => t.AddTicks(-(t.Ticks % 10));

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    // Steps back from inside the gap to the last wall-clock time that existed once.
    private static TimeSpan OffsetBeforeGap(DateTime local, TimeZoneInfo zone)
    {
        var probe = local;
        for (var step = 0; step < 4 * 48 && (zone.IsInvalidTime(probe) || zone.IsAmbiguousTime(probe)); step++)
        {
            probe = probe.AddMinutes(-15);
        }

        return zone.GetUtcOffset(probe);
    }

    private static TimeSpan Offset(string text, string field)
    {
        if (text is "Z" or "z")
        {
            return TimeSpan.Zero;
        }

        var digits = text[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var minutes = int.Parse(digits.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        if (hours > 14 || minutes > 59)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'{field}' has an offset out of range ({text}).", field);
        }

        var offset = new TimeSpan(hours, minutes, 0);
        return text[0] == '-' ? -offset : offset;
    }

    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)(?<offset>Z|z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTime();
}
