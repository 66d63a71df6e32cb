using Helpline.Accountability.Rankings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Helpline.Accountability.Flags;

/// <summary>
/// Applies the penalty rules to the current and the previous period. Quartz runs it on its clustered store, one silo
/// at a time; a flag is raised once per officer, rule and period however often it runs.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class FlagJob(Flagging flagging, TimeProvider clock, ILogger<FlagJob> logger) : IJob
{
    public static readonly JobKey Key = new("penalty-flags", "accountability");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var run = await flagging.RunAsync(clock.GetUtcNow(), cancellationToken);
        LogRun(run.Raised, run.Withdrawn, run.Periods);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Penalty flags: {Raised} raised, {Withdrawn} withdrawn by the system, over {Periods}")]
    private partial void LogRun(int raised, int withdrawn, IReadOnlyList<string> periods);
}

/// <summary>
/// From the configured day of the month (IST), computes last month's ranking once: a month already computed or
/// skipped is left alone (it is recomputed only on request).
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class RankingJob(MonthlyRankings rankings, IOptions<AccountabilityOptions> options, TimeProvider clock, ILogger<RankingJob> logger) : IJob
{
    public static readonly JobKey Key = new("monthly-rankings", "accountability");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(Period.Ist).DateTime);
        if (today.Day < options.Value.RankOnDay)
        {
            return;
        }

        var last = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        if (await rankings.LatestAsync(last, cancellationToken) is not null)
        {
            return;
        }

        var month = Period.Month(last);
        var run = await rankings.ComputeAsync(last, "system", now, cancellationToken);
        LogRanked(month.Name, run.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Monthly rankings of {Month} computed (run {RunId})")]
    private partial void LogRanked(string month, Guid runId);
}
