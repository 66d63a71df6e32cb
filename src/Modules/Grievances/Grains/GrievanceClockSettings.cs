using Helpline.Grievances.Domain.Lifecycle;
using Microsoft.Extensions.Configuration;

namespace Helpline.Grievances.Grains;

/// <summary>The service-wide clock rules the grievance lifecycle is given: <c>Helpline:Sla:RecategorisationClock</c> is <c>FromLevelStart</c> (default) or <c>Restart</c>.</summary>
internal sealed record GrievanceClockSettings(RecategorisationClock Recategorisation)
{
    /// <summary>Reads the settings; an unknown value is refused at start-up rather than silently replaced.</summary>
    public static GrievanceClockSettings From(IConfiguration? configuration)
    {
        var value = configuration?["Helpline:Sla:RecategorisationClock"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return new(RecategorisationClock.FromLevelStart);
        }

        return Enum.TryParse<RecategorisationClock>(value, ignoreCase: true, out var clock) && Enum.IsDefined(clock)
            ? new(clock)
            : throw new InvalidOperationException($"Helpline:Sla:RecategorisationClock must be FromLevelStart or Restart, not '{value}'.");
    }
}
