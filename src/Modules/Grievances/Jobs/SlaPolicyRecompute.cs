using Helpline.Grievances.ReadModel;
using Helpline.Platform.Errors;
using Helpline.Platform.Events;
using Helpline.Sla.Events;
using Microsoft.Extensions.Logging;

namespace Helpline.Grievances.Jobs;

/// <summary>
/// Follows SLA policy changes (<see cref="SlaPolicyChanged"/> events of the Sla module): computes the due date of each
/// open grievance of the changed category again from the rules, wherever its grain lives. The grain ignores grievances
/// whose due date did not move and imported ones that carry the source's date, so a redelivered change is harmless.
/// </summary>
internal sealed partial class SlaPolicyRecompute(GrievanceQueries queries, IGrainFactory grains, ILogger<SlaPolicyRecompute> logger) : IEventSubscriber
{
    private static readonly IReadOnlySet<string> PolicyStream = new HashSet<string>(StringComparer.Ordinal) { SlaPolicyEvents.Stream };

    public string Name => "grievances.sla-policy-recompute";

    public IReadOnlySet<string> Streams => PolicyStream;

    public async Task HandleAsync(IReadOnlyList<IntegrationEvent> events, EventBatchContext context, CancellationToken cancellationToken)
    {
        // Several changes of one category in a batch need one recompute, under the policy as it stands now.
        foreach (var categoryId in events.Select(SlaPolicyEvents.Read).Select(e => e.CategoryId).Distinct(StringComparer.Ordinal))
        {
            await RecomputeAsync(categoryId, cancellationToken);
        }
    }

    private async Task RecomputeAsync(string categoryId, CancellationToken cancellationToken)
    {
        var keys = await queries.OpenGrainKeysOfCategoryAsync(categoryId, cancellationToken);
        await Parallel.ForEachAsync(
            keys,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (key, _) =>
            {
                try
                {
                    await grains.GetGrain<IGrievanceGrain>(key).RecomputeSla("system", $"SLA policy of category {categoryId} changed");
                }
                catch (HelplineException ex) when (ex.Code == GrievanceErrorCodes.InvalidTransition)
                {
                    // The read model listed it as open, but the grain has disposed of it since: nothing to recompute.
                }
                catch (HelplineException ex) when (ex.Code == ErrorCodes.Invalid)
                {
                    // The new policy cannot be applied to this grievance (its calendar cannot give the time): it keeps its
                    // due date, an operator is told, and the other grievances and later changes are not held up.
                    LogNotRecomputed(key, categoryId, ex.Message);
                }
            });
        LogRecomputed(keys.Count, categoryId);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Grievance grain {GrainKey} keeps its due date: the new SLA policy of category {CategoryId} cannot be applied to it ({Reason})")]
    private partial void LogNotRecomputed(string grainKey, string categoryId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recomputed the due dates of {Count} open grievances of category {CategoryId} after a policy change")]
    private partial void LogRecomputed(int count, string categoryId);
}
