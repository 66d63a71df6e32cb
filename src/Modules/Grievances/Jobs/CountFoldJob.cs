using Helpline.Grievances.ReadModel;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Helpline.Grievances.Jobs;

/// <summary>
/// Folds the read model's count deltas into its maintained counts (see migration 0006). Readers add the deltas not yet
/// folded, so their answers never wait for this job: it only keeps the delta table, and so their reading of it, small.
/// Every 5 seconds at 600 registrations/s is about 3,000 delta rows.
/// </summary>
// One fold at a time in the cluster: a vacuum that waited behind another held back that one's truncation, and a
// new run every 5 s queued another vacuum behind both, so the table never shrank.
[DisallowConcurrentExecution]
internal sealed partial class CountFoldJob(GrievanceQueries queries, ILogger<CountFoldJob> logger) : IJob
{
    public static readonly JobKey Key = new("count-fold", "grievances");

    /// <summary>
    /// A delta table larger than this (2 MiB; an ordinary fold leaves a few dozen pages) is vacuumed after the fold: an
    /// import, a bulk load or a backlog after an outage left it so.
    /// </summary>
    internal const long ShrinkAbovePages = 256;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!await queries.FoldCountsAsync(cancellationToken))
        {
            return;
        }

        var pages = await queries.CountDeltaPagesAsync(cancellationToken);
        if (pages <= ShrinkAbovePages)
        {
            return;
        }

        await queries.ShrinkCountDeltasAsync(cancellationToken);
        var after = await queries.CountDeltaPagesAsync(cancellationToken);
        if (after <= ShrinkAbovePages)
        {
            LogShrunk(pages, after);
        }
        else
        {
            LogNotShrunk(pages, after);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Vacuumed the count deltas' table from {Pages} pages to {PagesAfter}, so that later folds do not read its emptied pages")]
    private partial void LogShrunk(long pages, long pagesAfter);

    // A transaction older than the fold kept the deleted rows, or another session held the table; the next fold tries again.
    [LoggerMessage(Level = LogLevel.Debug, Message = "The count deltas' table stays at {PagesAfter} pages after a vacuum (was {Pages}); the next fold tries again")]
    private partial void LogNotShrunk(long pages, long pagesAfter);
}
