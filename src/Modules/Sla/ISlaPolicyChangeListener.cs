namespace Helpline.Grievances;

/// <summary>
/// Told when an administrator changes the SLA policy of a category (the GraphQL mutations <c>setSlaPolicy</c> and
/// <c>resetSlaPolicy</c> call it after the change is stored), so that the open grievances of that category get their
/// due and at-risk instants computed again under the new policy. Optional: when no implementation is registered,
/// nothing is recomputed and only grievances registered or escalated afterwards use the new policy.
/// </summary>
public interface ISlaPolicyChangeListener
{
    /// <summary>
    /// The policy of <paramref name="categoryId"/> changed at one or more levels (an override was set or removed);
    /// recompute the open grievances of that category.
    /// </summary>
    /// <param name="categoryId">The category whose policy changed.</param>
    /// <param name="cancellationToken">Cancels the recomputation (the policy change itself is already stored).</param>
    Task PolicyChangedAsync(string categoryId, CancellationToken cancellationToken);
}
