using Helpline.Grievances;
using Helpline.Grievances.Events;

namespace Helpline.Workload.Alerts;

/// <summary>Something an officer is told about a grievance, kept in <c>workload.officer_alert</c>.</summary>
/// <param name="At">When (UTC): the instant of the event behind it.</param>
/// <param name="ReferenceNumber">The grievance concerned.</param>
/// <param name="Kind">One of <see cref="AlertKinds"/>.</param>
/// <param name="Message">Human-readable text.</param>
internal sealed record OfficerAlert(DateTimeOffset At, string ReferenceNumber, string Kind, string Message);

/// <summary>The kinds of alert.</summary>
internal static class AlertKinds
{
    /// <summary>The officer's own grievance is at risk.</summary>
    public const string AtRisk = "AT_RISK";

    /// <summary>A grievance held by the seat one level down is at risk.</summary>
    public const string SubordinateAtRisk = "SUBORDINATE_AT_RISK";

    /// <summary>A grievance breached its due date and escalated to the officer.</summary>
    public const string EscalatedToYou = "ESCALATED_TO_YOU";
}

/// <summary>
/// The alerts' wording, from the event alone, so that an alert reads the same however late its event is handled
/// (the texts are those the lifecycle used when it told officer grains directly).
/// </summary>
internal static class AlertText
{
    /// <summary>For <see cref="TimelineEventType.AtRisk"/>: its note says how much of the allowance is used and when it is due.</summary>
    public static string AtRisk(GrievanceEvent e) => $"Grievance {Display(e.ReferenceNumber)} is at risk: {e.Note}";

    /// <summary>For <see cref="TimelineEventType.Escalated"/>: the event's level is the one it reached.</summary>
    public static string Escalated(GrievanceEvent e) =>
        $"Grievance {Display(e.ReferenceNumber)} breached its due date at L{e.Level - 1} and is now yours at L{e.Level}.";

    /// <summary>Groups of four for reading aloud, as reference numbers are written everywhere else.</summary>
    private static string Display(string reference) =>
        reference.Length == 12 ? $"{reference[..4]} {reference[4..8]} {reference[8..]}" : reference;
}
