using System.Globalization;

namespace Helpline.WebConsole.Components.InboxParts;

/// <summary>How the inbox and the call-back desk show instants, reference numbers and names.</summary>
public static class Shown
{
    private static readonly TimeZoneInfo India = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    /// <summary>An instant in India's time, e.g. <c>06 Dec 2026, 14:05</c>; a dash when there is none.</summary>
    public static string Ist(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, India).ToString("dd MMM yyyy, HH:mm", CultureInfo.CurrentCulture) : "—";

    /// <summary>A reference number in groups of four, as it is read over the phone.</summary>
    public static string Reference(string number) =>
        number.Length == 12 ? $"{number[..4]} {number[4..8]} {number[8..]}" : number;

    /// <summary>The Hindi name when the page is in Hindi and one is known; else the English.</summary>
    public static string Name(Named? named) =>
        named is null ? "" : InHindi && named.NameHindi is { Length: > 0 } hindi ? hindi : named.Name;

    /// <summary>An API enum value (<c>AT_RISK</c>) as English words (<c>At risk</c>), the localizer's key.</summary>
    public static string Words(string value) =>
        value.Length == 0 ? value : value[0] + value[1..].Replace('_', ' ').ToLowerInvariant();

    private static bool InHindi => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "hi";
}

/// <summary>Anything the API names in English and, where known, in Hindi (a category, a place).</summary>
public sealed record Named(string Name, string? NameHindi = null);
