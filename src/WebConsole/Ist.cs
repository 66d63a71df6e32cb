using System.Globalization;

namespace Helpline.WebConsole;

/// <summary>Instants as the console shows them: India Standard Time, e.g. <c>06 Dec 2026, 14:05</c>.</summary>
public static class Ist
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    /// <summary>The instant in IST, day month year and 24-hour time, in the page's language.</summary>
    public static string Format(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Zone).ToString("dd MMM yyyy, HH:mm", CultureInfo.CurrentCulture);

    /// <summary>As <see cref="Format(DateTimeOffset)"/>; an empty string for none.</summary>
    public static string Format(DateTimeOffset? at) => at is { } value ? Format(value) : "";
}
