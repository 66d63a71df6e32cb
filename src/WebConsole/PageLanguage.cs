using System.Globalization;

namespace Helpline.WebConsole;

/// <summary>The page's language, for data that carries its own Hindi (names of categories, departments, offices).</summary>
public static class PageLanguage
{
    /// <summary>True when the page is in Hindi.</summary>
    public static bool Hindi => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "hi";

    /// <summary>The Hindi text on a Hindi page when there is one, else the English.</summary>
    public static string Pick(string english, string? hindi) => Hindi && hindi is { Length: > 0 } h ? h : english;
}
