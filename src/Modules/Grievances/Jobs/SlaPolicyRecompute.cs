using Helpline.Grievances.ReadModel;
using Helpline.Sla;
using Microsoft.Extensions.Logging;

namespace Helpline.Grievances.Jobs;

/// <summary>
/// Told by the Sla module after a category's SLA policy changed (<see cref="ISlaPolicyChangeListener"/>): computes
/// the due date of each of the category's open grievances again from the rules (the grain ignores grievances whose
/// due date did not move, and imported ones that carry the source's date).
/// </summary>
internal sealed partial class SlaPolicyRecompute(GrievanceQueries queries, IGrainFactory grains, ILogger<SlaPolicyRecompute> logger) : ISlaPolicyChangeListener
{
    public async Task PolicyChangedAsync(string categoryId, CancellationToken cancellationToken)
    {
        var keys = await queries.OpenGrainKeysOfCategoryAsync(categoryId, cancellationToken);
        await Parallel.ForEachAsync(
            keys,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (key, _) => await grains.GetGrain<IGrievanceGrain>(key).RecomputeSla("system", $"SLA policy of category {categoryId} changed"));
        LogRecomputed(keys.Count, categoryId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recomputed the due dates of {Count} open grievances of category {CategoryId} after a policy change")]
    private partial void LogRecomputed(int count, string categoryId);
}
