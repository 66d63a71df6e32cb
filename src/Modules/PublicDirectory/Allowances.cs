using System.Globalization;
using Helpline.Sla;

namespace Helpline.PublicDirectory;

/// <summary>An SLA allowance in words, in English and in Hindi, for people rather than programs.</summary>
internal static class Allowances
{
    public static string English(SlaAllowance a)
    {
        var n = a.Amount.ToString(CultureInfo.InvariantCulture);
        var one = a.Amount == 1;
        return a.Unit switch
        {
            SlaUnit.CalendarDays => one ? "1 day" : $"{n} days",
            SlaUnit.WorkingDays => one ? "1 working day" : $"{n} working days",
            SlaUnit.WorkingHours => one ? "1 working hour" : $"{n} working hours",
            SlaUnit.CalendarHours => one ? "1 hour, round the clock" : $"{n} hours, round the clock",
            _ => throw new ArgumentOutOfRangeException(nameof(a), a.Unit, "Unknown SLA unit."),
        };
    }

    public static string Hindi(SlaAllowance a)
    {
        var n = a.Amount.ToString(CultureInfo.InvariantCulture);
        return a.Unit switch
        {
            SlaUnit.CalendarDays => $"{n} दिन",
            SlaUnit.WorkingDays => $"{n} कार्य दिवस",
            SlaUnit.WorkingHours => $"{n} कार्य घंटे",
            SlaUnit.CalendarHours => $"{n} घंटे (चौबीसों घंटे)",
            _ => throw new ArgumentOutOfRangeException(nameof(a), a.Unit, "Unknown SLA unit."),
        };
    }
}
