using Helpline.Grievances.ReadModel;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Helpline.Grievances.Jobs;

/// <summary>
/// Folds the read model's count deltas into its maintained counts (see migration 0006). Readers add the deltas not yet
/// folded, so their answers never wait for this job: it only keeps the delta table, and so their reading of it, small.
/// Every 5 seconds at 600 registrations/s is about 3,000 delta rows.
/// </summary>
internal sealed partial class CountFoldJob(GrievanceQueries queries, ILogger<CountFoldJob> logger) : IJob
{
    public static readonly JobKey Key = new("count-fold", "grievances");

    /// <summary>
    /// Folds of at least this many rows (an import, a bulk load, a backlog after an outage) leave hundreds of emptied
    /// pages that the next folds would scan; ordinary folds stay far below it.
    /// </summary>
    internal const long ShrinkAfter = 20_000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (await queries.FoldCountsAsync(cancellationToken) is >= ShrinkAfter and var folded)
        {
            await queries.ShrinkCountDeltasAsync(cancellationToken);
            LogShrunk(folded);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Folded {Rows} count deltas and vacuumed their table, so later folds do not read its emptied pages")]
    private partial void LogShrunk(long rows);
}
