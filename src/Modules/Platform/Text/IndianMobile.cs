using System.Text.RegularExpressions;

namespace Helpline.Platform.Text;

/// <summary>
/// The one reading of an Indian mobile number, for complainants and officers alike: ten digits starting 6, 7, 8 or 9
/// (TRAI numbering plan), optionally written with +91 or 0 in front, with spaces or hyphens anywhere between. Nothing
/// else is guessed at: "91" without the plus, "+0", or a plus without 91 could be a different number, so they are not
/// rewritten. Each module words its own refusal.
/// </summary>
public static partial class IndianMobile
{
    /// <summary>The ten digits, or null when <paramref name="input"/> is not a mobile number written as above.</summary>
    public static string? Normalize(string? input) =>
        input is not null && Pattern().Match(input.Trim()) is { Success: true } match
            ? string.Concat(match.Groups["number"].Value.Where(char.IsAsciiDigit))
            : null;

    [GeneratedRegex(@"^(?:\+91|0)?[ -]*(?<number>[6-9](?:[ -]*[0-9]){9})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
