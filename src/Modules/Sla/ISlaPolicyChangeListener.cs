namespace Helpline.Sla;

/// <summary>
/// Told by <see cref="ISlaAdministration"/> after a change to a category's SLA policy is committed (an override set to
/// something new, or removed), so that another module can act on it: the Grievances module recomputes the due and
/// at-risk instants of the category's open grievances. Register implementations as singletons; every registered one is
/// called, in registration order. None registered means nothing is recomputed and only grievances registered or
/// escalated afterwards use the new policy.
/// </summary>
/// <remarks>
/// A direct call, so a change made while this process stops before the call completes is not followed up. It is a
/// seam for a durable policy-changed event to replace.
/// </remarks>
public interface ISlaPolicyChangeListener
{
    /// <summary>
    /// The policy of <paramref name="categoryId"/> changed at one or more levels; act on it (for example recompute the
    /// open grievances of that category).
    /// </summary>
    /// <param name="categoryId">The category whose policy changed.</param>
    /// <param name="cancellationToken">Cancels the follow-up (the policy change itself is already stored).</param>
    Task PolicyChangedAsync(string categoryId, CancellationToken cancellationToken);
}
