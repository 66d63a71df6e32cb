using Microsoft.Extensions.Logging;

namespace Helpline.Grievances.Grains;

/// <summary>The grievance grain's log messages.</summary>
internal sealed partial class GrievanceGrain
{
    // Debug: the registration is on the grievance's timeline already, and a line each would be most of the log (and
    // a measurable share of a registration's CPU) at thousands a minute.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Grievance {ReferenceNumber} registered and routed to officer {OfficerId}, due {DueAt}")]
    private partial void LogRegistered(string referenceNumber, string officerId, DateTimeOffset dueAt);

    // Debug for the same reasons: the breach is on the timeline, in the event log and the officers' alerts, and every
    // grievance registered overnight falls due at the next office opening, thousands at one instant (sla-bench runs
    // the host at Warning, so a line each would be a cost its bursts never showed).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Grievance {ReferenceNumber} breached its due date {DueAt}; now at L{Level} with officer {OfficerId}")]
    private partial void LogBreached(string referenceNumber, DateTimeOffset dueAt, int level, string officerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grievance {ReferenceNumber} handed over from officer {FromOfficerId} to officer {ToOfficerId} at position {PositionId}")]
    private partial void LogHandedOver(string referenceNumber, string fromOfficerId, string toOfficerId, string positionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The read model refused new grievance {ReferenceNumber}; nothing of it was stored")]
    private partial void LogRefused(Exception ex, string referenceNumber);
}
