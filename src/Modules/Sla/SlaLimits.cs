namespace Helpline.Sla;

/// <summary>Bounds of SLA administration input, shared by the service and its GraphQL fields.</summary>
public static class SlaLimits
{
    /// <summary>The highest level: L4.</summary>
    public const int MaxLevel = 4;

    /// <summary>Longest calendar or holiday name, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The warning share when none is given: at risk after 75% of the allowance.</summary>
    public const decimal DefaultWarningShare = 0.75m;
}
