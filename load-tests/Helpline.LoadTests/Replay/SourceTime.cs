using System.Globalization;
using System.Text.RegularExpressions;

namespace Helpline.LoadTests.Replay;

/// <summary>How a local time was turned into an instant.</summary>
public enum LocalTimeKind
{
    /// <summary>The local time exists once in the zone, or the text carried its own offset.</summary>
    Regular,

    /// <summary>The local time falls in a spring-forward gap and was shifted forward by the gap.</summary>
    GapShifted,

    /// <summary>The local time occurs twice (fall back) and the earlier instant (daylight time) was taken.</summary>
    AmbiguousEarlier,
}

/// <summary>A parsed source time: the UTC instant and how it was obtained.</summary>
public readonly record struct SourceInstant(DateTimeOffset Utc, LocalTimeKind Kind);

/// <summary>
/// Source times: the text formats the exports use and the conversion of local wall-clock times to UTC instants in
/// the source's IANA zone.
/// <para>DST rules. A local time that occurs twice when the clocks go back (New York, 1 Nov 2015 01:30) is taken as
/// the earlier instant, the one in daylight time (05:30Z). A local time that does not exist because the clocks
/// jumped forward (New York, 8 Mar 2015 02:30) is shifted forward by the length of the gap (03:30 daylight time,
/// 07:30Z); that is the same instant as reading it with the offset in force before the jump.</para>
/// </summary>
public static partial class SourceTime
{
    /// <summary>US export formats (Boston and NYC 311): month first, 12-hour clock with AM/PM, or 24-hour.</summary>
    private static readonly string[] UsFormats =
    [
        "MM/dd/yyyy hh:mm:ss tt", "M/d/yyyy h:mm:ss tt", "MM/dd/yyyy hh:mm tt", "M/d/yyyy h:mm tt",
        "MM/dd/yyyy HH:mm:ss", "M/d/yyyy H:mm:ss", "MM/dd/yyyy HH:mm", "M/d/yyyy H:mm",
    ];

    /// <summary>ISO-like local parts (Open311; also accepted in CSV files): T or space, optional seconds and fraction.</summary>
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm",
    ];

    /// <summary>An instant as ISO 8601 in UTC with offset Z and no trailing zeros, e.g. 2015-01-01T18:09:57Z.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Looks a zone up by IANA id; throws a clear error when this machine does not know it.</summary>
    public static TimeZoneInfo FindZone(string ianaId)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(ianaId);
        }
        catch (TimeZoneNotFoundException ex)
        {
            throw new ReplayInputException($"time zone '{ianaId}' is not known on this machine (is tzdata installed?)", 0, ex);
        }
    }

    /// <summary>
    /// Parses a source time. Text with an offset (<c>Z</c>, <c>+01:00</c>, <c>-0800</c>) is taken at that offset;
    /// text without one is a local time in <paramref name="zone"/>. Returns false for text in no accepted format.
    /// </summary>
    public static bool TryParse(string text, TimeZoneInfo zone, out SourceInstant instant)
    {
        instant = default;
        var value = text.Trim();
        var iso = IsoWithOffset().Match(value);
        if (iso.Success)
        {
            if (!DateTime.TryParseExact(iso.Groups["local"].Value, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var isoLocal))
            {
                return false;
            }

            if (iso.Groups["offset"].Success)
            {
                if (!TryParseOffset(iso.Groups["offset"].Value, out var offset))
                {
                    return false;
                }

                instant = new SourceInstant(new DateTimeOffset(isoLocal, offset).ToUniversalTime(), LocalTimeKind.Regular);
                return true;
            }

            instant = ToInstant(isoLocal, zone);
            return true;
        }

        if (DateTime.TryParseExact(value, UsFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var usLocal))
        {
            instant = ToInstant(usLocal, zone);
            return true;
        }

        return false;
    }

    /// <summary>Converts a local wall-clock time in <paramref name="zone"/> to its UTC instant, by the DST rules above.</summary>
    public static SourceInstant ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Shifting forward by the gap and reading with the later offset is the same as reading with the earlier one.
            var before = OffsetBeforeGap(local, zone);
            return new SourceInstant(new DateTimeOffset(local.Ticks - before.Ticks, TimeSpan.Zero), LocalTimeKind.GapShifted);
        }

        if (zone.IsAmbiguousTime(local))
        {
            var daylight = zone.GetAmbiguousTimeOffsets(local).Max();
            return new SourceInstant(new DateTimeOffset(local, daylight).ToUniversalTime(), LocalTimeKind.AmbiguousEarlier);
        }

        return new SourceInstant(new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime(), LocalTimeKind.Regular);
    }

    /// <summary>The offset in force just before the gap that <paramref name="local"/> falls in.</summary>
    private static TimeSpan OffsetBeforeGap(DateTime local, TimeZoneInfo zone)
    {
        var probe = local;
        for (var step = 0; step < 4 * 48 && (zone.IsInvalidTime(probe) || zone.IsAmbiguousTime(probe)); step++)
        {
            probe = probe.AddMinutes(-15);
        }

        return zone.GetUtcOffset(probe);
    }

    private static bool TryParseOffset(string text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text is "Z" or "z")
        {
            return true;
        }

        var digits = text[1..].Replace(":", "", StringComparison.Ordinal);
        if (!int.TryParse(digits.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(digits.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (text[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }

    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)(?<offset>Z|z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoWithOffset();
}

/// <summary>The input cannot be read any further (a missing column, broken JSON, an unknown zone): the run stops.</summary>
public sealed class ReplayInputException : Exception
{
    public ReplayInputException(string message, long line, Exception? inner = null)
        : base(line > 0 ? $"{message} (line {line})" : message, inner)
    {
        Line = line;
    }

    public ReplayInputException()
    {
    }

    public ReplayInputException(string message)
        : base(message)
    {
    }

    public ReplayInputException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The 1-based line of the file where reading stopped, or 0 when not tied to a line.</summary>
    public long Line { get; }
}
