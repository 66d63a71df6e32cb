using Microsoft.Extensions.Logging;
using Quartz;

namespace Helpline.Workload.Alerts;

/// <summary>
/// Deletes alerts older than <see cref="OfficerAlerts.Retention"/>, once a day (clustered: one silo at a time). An alert
/// is a prompt to act, not a record: the grievance's timeline keeps what happened.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class AlertRetentionJob(OfficerAlerts alerts, TimeProvider clock, ILogger<AlertRetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("officer-alert-retention", "workload");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var deleted = await alerts.DeleteOlderThanAsync(clock.GetUtcNow() - OfficerAlerts.Retention, cancellationToken);
        LogDeleted(deleted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Officer alert retention: {Deleted} alerts older than 90 days deleted")]
    private partial void LogDeleted(int deleted);
}
