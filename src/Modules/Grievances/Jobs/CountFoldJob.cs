using Helpline.Grievances.ReadModel;
using Quartz;

namespace Helpline.Grievances.Jobs;

/// <summary>
/// Folds the read model's count deltas into its maintained counts (see migration 0006). Readers add the deltas not yet
/// folded, so their answers never wait for this job: it only keeps the delta table, and so their reading of it, small.
/// Every 5 seconds at 600 registrations/s is about 3,000 delta rows.
/// </summary>
internal sealed class CountFoldJob(GrievanceQueries queries) : IJob
{
    public static readonly JobKey Key = new("count-fold", "grievances");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await queries.FoldCountsAsync(cancellationToken);
}
