using Microsoft.Extensions.Configuration;

namespace Helpline.Grievances.Desk;

/// <summary>
/// The limit of complaints per mobile a calendar month: <c>Helpline:Grievances:MonthlyComplaintLimit</c>, default 10
/// (Uttar Pradesh's rule); 0 means no limit.
/// </summary>
internal sealed record DeskSettings(int MonthlyComplaintLimit)
{
    public const int DefaultLimit = 10;

    /// <summary>Reads the settings; a value that is not a whole number from 0 is refused at start-up rather than ignored.</summary>
    public static DeskSettings From(IConfiguration? configuration)
    {
        var value = configuration?["Helpline:Grievances:MonthlyComplaintLimit"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return new(DefaultLimit);
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit)
            ? new(limit)
            : throw new InvalidOperationException($"Helpline:Grievances:MonthlyComplaintLimit must be a whole number from 0 (0: no limit), not '{value}'.");
    }
}
