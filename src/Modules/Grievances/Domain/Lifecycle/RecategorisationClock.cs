namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>Where the new category's allowance counts from after a re-categorisation (setting <c>Helpline:Sla:RecategorisationClock</c>).</summary>
internal enum RecategorisationClock
{
    /// <summary>
    /// From when the grievance reached its current level, less the time it was on hold: the complainant has been
    /// waiting since then, and filing under the wrong category earns no extra time. The default.
    /// </summary>
    FromLevelStart = 0,

    /// <summary>From the re-categorisation: the new seat gets its whole allowance.</summary>
    Restart = 1,
}
