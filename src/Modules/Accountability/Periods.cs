using System.Globalization;

namespace Helpline.Accountability;

/// <summary>A counting period in IST: a calendar month ("2026-11") or an ISO week ("2026-W45"), as UTC instants [From, To).</summary>
internal sealed record Period(string Name, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>India Standard Time: UTC+05:30 all year.</summary>
    public static readonly TimeSpan Ist = TimeSpan.FromMinutes(330);

    /// <summary>The month that starts on the first day of <paramref name="month"/> (IST).</summary>
    public static Period Month(DateOnly month)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        return new(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), Start(first), Start(first.AddMonths(1)));
    }

    /// <summary>The period of <paramref name="kind"/> that contains the instant <paramref name="at"/>.</summary>
    public static Period Containing(RulePeriod kind, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.ToOffset(Ist).DateTime);
        if (kind == RulePeriod.Month)
        {
            return Month(day);
        }

        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        var name = string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(monday.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)):00}");
        return new(name, Start(monday), Start(monday.AddDays(7)));
    }

    /// <summary>The period just before this one, of the same kind.</summary>
    public Period Previous(RulePeriod kind) => Containing(kind, From.AddTicks(-1));

    /// <summary>Whether <paramref name="name"/> names a period as flags do: "2026-11" or "2026-W45".</summary>
    public static bool IsName(string name) =>
        (name.Length == 7 && ParseMonth(name) is not null)
        || (name.Length == 8 && name[4..6] == "-W" && int.TryParse(name[..4], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && int.TryParse(name[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w is >= 1 and <= 53);

    /// <summary>Reads a month written "yyyy-MM"; null when it is not one.</summary>
    public static DateOnly? ParseMonth(string text) =>
        DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static DateTimeOffset Start(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Ist).ToUniversalTime();
}
