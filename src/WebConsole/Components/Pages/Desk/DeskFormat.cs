using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;

namespace Helpline.WebConsole.Components.Pages.DeskParts;

/// <summary>How the desk writes reference numbers, months, mobiles, statuses and kinds (instants: <see cref="Ist"/>).</summary>
public static class DeskFormat
{
    /// <summary>A reference number in groups of four, to read out: <c>2600 0000 1237</c>.</summary>
    public static string Grouped(string reference)
    {
        var plain = reference.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var text = new StringBuilder(plain.Length + (plain.Length / 4));
        for (var i = 0; i < plain.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                text.Append(' ');
            }

            text.Append(plain[i]);
        }

        return text.ToString();
    }

    /// <summary>A month given as <c>yyyy-MM</c>, written out (<c>December 2026</c>); anything else as given.</summary>
    public static string Month(string month) =>
        DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m)
            ? m.ToString("MMMM yyyy", CultureInfo.CurrentCulture)
            : month;

    /// <summary>The 10 digits of an Indian mobile as typed (+91, 0, spaces and hyphens allowed); null until complete.</summary>
    public static string? Mobile(string? typed)
    {
        var digits = new string((typed ?? "").Where(char.IsAsciiDigit).ToArray());
        var ten = digits.Length switch
        {
            10 => digits,
            11 when digits[0] == '0' => digits[1..],
            12 when digits.StartsWith("91", StringComparison.Ordinal) => digits[2..],
            _ => null,
        };
        return ten is { } t && t[0] is >= '6' and <= '9' ? t : null;
    }

    /// <summary>A category's name in the page's language (Hindi when it has one).</summary>
    public static string Name(DeskCategory category) => PageLanguage.Pick(category.Name, category.NameHindi);

    /// <summary>A status in words.</summary>
    public static string Status(IStringLocalizer t, string status) => status switch
    {
        "OPEN" => t["Open"],
        "RESOLVED" => t["Resolved"],
        "REJECTED" => t["Rejected"],
        "DISPOSED_ON_CALL" => t["Answered on the call"],
        "SPECIALLY_CLOSED" => t["Specially closed"],
        "CLOSED" => t["Closed"],
        _ => status,
    };

    /// <summary>A grievance kind in words.</summary>
    public static string Kind(IStringLocalizer t, string? kind) => kind switch
    {
        "COMPLAINT" => t["Complaint"],
        "INFORMATION" => t["Information request"],
        "DEMAND" => t["Demand"],
        "SUGGESTION" => t["Suggestion"],
        _ => kind ?? "",
    };
}
