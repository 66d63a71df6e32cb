using Helpline.CallBacks.Outcomes;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Helpline.CallBacks.Campaigns;

/// <summary>
/// Gathers callable call-backs into today's campaigns, then closes campaigns with nothing left to call. Quartz runs
/// it on its clustered store: one silo at a time, and a run missed while every silo was down is made once on start.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class CampaignJob(CampaignBuilder builder, TimeProvider clock, ILogger<CampaignJob> logger) : IJob
{
    public static readonly JobKey Key = new("call-back-campaigns", "callbacks");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var gathered = await builder.GatherAsync(now, cancellationToken);
        var closed = await builder.CloseFinishedAsync(now, cancellationToken);
        if (gathered.Gathered > 0 || closed > 0)
        {
            LogRun(gathered.Gathered, gathered.Batches, closed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call-back campaigns: {Gathered} call-backs gathered in {Batches} batches, {Closed} campaigns closed")]
    private partial void LogRun(int gathered, int batches, int closed);
}

/// <summary>
/// Applies to their grievances the outcomes that were recorded but not applied (the service stopped between the two,
/// or the grievance could not be reached); applying is idempotent by call-back id.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class OutcomeRepairJob(OutcomeRecorder outcomes, TimeProvider clock, ILogger<OutcomeRepairJob> logger) : IJob
{
    public static readonly JobKey Key = new("call-back-outcome-repair", "callbacks");

    // An outcome is applied right after it is recorded; only one older than this was interrupted.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var applied = await outcomes.ApplyPendingAsync(clock.GetUtcNow() - Grace, cancellationToken);
        if (applied > 0)
        {
            LogRepaired(applied);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call-back outcome repair: {Applied} recorded outcomes applied to their grievances late")]
    private partial void LogRepaired(int applied);
}
