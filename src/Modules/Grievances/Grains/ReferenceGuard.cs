using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Platform.SharedData;

namespace Helpline.Grievances.Grains;

/// <summary>
/// Keeps a grievance grain from acting on reference data its silo has not loaded yet. Another silo may have stored a
/// change (an imported city, a new seat, a policy) moments ago; until this silo applies it, a lookup would answer
/// "unknown" or "at the top" and the grain would store a wrong outcome. So before acting the grain checks that this
/// silo is at least as current as the data the grievance was last stored with, and that it knows every id involved;
/// if not, it catches up, and if an id of the grievance is still unknown it refuses loudly instead of guessing.
/// </summary>
internal sealed class ReferenceGuard(ICatalogue catalogue, IJurisdictionDirectory jurisdictions, IOfficerDirectory officers, ISharedData sharedData)
{
    /// <summary>The position up to which this silo has applied shared-data changes; stored with each state.</summary>
    public long AppliedPosition => sharedData.AppliedPosition;

    /// <summary>
    /// Makes sure this silo can act on <paramref name="state"/> (and on the ids a command brings: a new category, a
    /// seat to forward to). Ids a command brings that stay unknown are left to the rules, which refuse them by name.
    /// </summary>
    /// <exception cref="InvalidOperationException">An id the stored grievance names is unknown even after catching up.</exception>
    public async Task EnsureAsync(GrievanceState state, string? categoryId = null, string? jurisdictionId = null, string? positionId = null)
    {
        if (sharedData.AppliedPosition >= state.SharedDataPosition
            && Missing(state) is null
            && Known(categoryId, jurisdictionId, positionId))
        {
            return;
        }

        await sharedData.CatchUpAsync(CancellationToken.None);
        if (Missing(state) is { } missing)
        {
            throw new InvalidOperationException(
                $"Grievance {state.ReferenceNumber} names {missing}, which this silo does not know even after loading every shared-data change; nothing was done.");
        }
    }

    /// <summary>Catches up with every change committed so far, known ids or not: for a recompute that a change asked for.</summary>
    public Task CatchUpAsync() => sharedData.CatchUpAsync(CancellationToken.None);

    private bool Known(string? categoryId, string? jurisdictionId, string? positionId) =>
        (categoryId is null || catalogue.FindCategory(categoryId) is not null)
        && (jurisdictionId is null || jurisdictions.Find(jurisdictionId) is not null)
        && (positionId is null || officers.FindPosition(positionId) is not null);

    private string? Missing(GrievanceState s)
    {
        if (s.Request is not { } request)
        {
            return null;
        }

        var category = s.CurrentCategoryId ?? request.CategoryId;
        if (catalogue.FindCategory(category) is null)
        {
            return $"category '{category}'";
        }

        if (jurisdictions.Find(request.JurisdictionId) is null)
        {
            return $"jurisdiction '{request.JurisdictionId}'";
        }

        return s.PositionId.Length > 0 && officers.FindPosition(s.PositionId) is null ? $"position '{s.PositionId}'" : null;
    }
}
