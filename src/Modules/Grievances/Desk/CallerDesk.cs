using Helpline.Catalogue;
using Helpline.Grievances.Domain;
using Helpline.Grievances.ReadModel;
using Helpline.Jurisdictions;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.SharedData;

namespace Helpline.Grievances.Desk;

/// <summary>
/// What the agent desk asks while a call is on the line: the caller's month against the limit per mobile, the open
/// grievances that may be the same matter, and linking the call to one of them; and the supervisor's extra complaint.
/// </summary>
internal sealed class CallerDesk(
    DeskQueries queries,
    ComplaintLimit limit,
    GrievanceQueries readModel,
    IGrainFactory grains,
    Helpline.Officers.IOfficerDirectory officers,
    ICatalogue catalogue,
    IJurisdictionDirectory jurisdictions,
    ISharedData sharedData,
    TimeProvider clock)
{
    /// <summary>The largest list of possible duplicates answered.</summary>
    public const int MaxDuplicates = 50;

    /// <summary>A supervisor (or administrator) allows one more complaint this month; the same client request id grants once.</summary>
    public async Task<CallerMonth> AllowExtraAsync(string clientRequestId, string mobile, string supervisorId, string reason, CancellationToken cancellationToken)
    {
        var id = GrievanceRules.RequireId(clientRequestId, "input.clientRequestId");
        var number = GrievanceRules.NormalizeMobile(mobile, "input.mobile");
        var why = GrievanceRules.RequireText(reason, 1000, "input.reason");
        var stored = await queries.OverrideMobileAsync(id, cancellationToken);
        if (stored is null)
        {
            var now = clock.GetUtcNow();
            var m = await limit.MonthAsync(number, cancellationToken);
            if (!m.OverLimit)
            {
                throw new HelplineException(
                    GrievanceErrorCodes.MonthlyLimitNotReached,
                    m.Limit == 0
                        ? "No limit of complaints per mobile is set, so there is nothing to allow."
                        : $"Mobile {PersonalDataMask.Mobile(number)} has {m.Complaints} complaints in {m.Month} (IST) against a limit of {m.Limit}{(m.ExtraAllowed > 0 ? $" and {m.ExtraAllowed} allowed more" : "")}: {m.Remaining} remain. An extra complaint is allowed only once none remain.",
                    "input.mobile");
            }

            stored = await queries.AddOverrideAsync(id, number, m.Month, supervisorId, now, why, cancellationToken);
        }

        return stored == number
            ? await limit.MonthAsync(number, cancellationToken)
            : throw new HelplineException(
                GrievanceErrorCodes.IdempotencyConflict,
                $"Client request id '{id}' was already used to allow a complaint from another mobile; use a new id.",
                "input.clientRequestId");
    }

    /// <summary>Open grievances that may be the same matter, within the scope, newest first (see <see cref="DeskQueries.DuplicatesAsync"/>).</summary>
    public async Task<IReadOnlyList<PossibleDuplicate>> DuplicatesAsync(
        string? mobile, string? categoryId, string? jurisdictionId, int first, CallerScope scope, CancellationToken cancellationToken)
    {
        if (first is < 1 or > MaxDuplicates)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'first' must be between 1 and {MaxDuplicates}; it was {first}.", "first");
        }

        // A form sends its boxes as they are, empty before the caller says: an empty box is no value, not a bad one.
        mobile = string.IsNullOrWhiteSpace(mobile) ? null : mobile;
        categoryId = string.IsNullOrWhiteSpace(categoryId) ? null : categoryId;
        jurisdictionId = string.IsNullOrWhiteSpace(jurisdictionId) ? null : jurisdictionId;

        // Asked with too little to match on, the answer would be an empty list that looks like "no duplicates".
        if (mobile is null && (categoryId is null || jurisdictionId is null))
        {
            var missing = categoryId is null && jurisdictionId is null ? "mobile" : categoryId is null ? "categoryId" : "jurisdictionId";
            throw new HelplineException(ErrorCodes.Invalid,
                $"Possible duplicates need a mobile, or both a categoryId and a jurisdictionId; '{missing}' is missing.", missing);
        }

        var number = mobile is null ? null : GrievanceRules.NormalizeMobile(mobile, "mobile");
        var category = categoryId is null ? null : GrievanceRules.RequireId(categoryId, "categoryId");
        var place = jurisdictionId is null ? null : GrievanceRules.RequireId(jurisdictionId, "jurisdictionId");
        if ((category is not null && catalogue.FindCategory(category) is null) || (place is not null && jurisdictions.Find(place) is null))
        {
            await sharedData.CatchUpAsync(cancellationToken); // added on another silo a moment ago, perhaps
        }

        if (category is not null && catalogue.FindCategory(category) is null)
        {
            throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has id '{category}'.", "categoryId");
        }

        if (place is not null && jurisdictions.Find(place) is null)
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has id '{place}'.", "jurisdictionId");
        }

        var rows = await queries.DuplicatesAsync(number, category, place, first, scope, cancellationToken);

        // Each grievance as its grain holds it (the read model has no pending return or pauses), read in parallel
        // straight from the grain key the read gave.
        var loaded = await Task.WhenAll(rows.Select(async r => (r.Reason, Grievance: await grains.GetGrain<IGrievanceGrain>(r.GrainKey).Get())));
        var found = loaded.Where(l => l.Grievance is not null).Select(l => new PossibleDuplicate(l.Reason, l.Grievance!)).ToList();
        if (found.Any(d => !d.Grievance.IsDescribedBy(jurisdictions, catalogue, officers)))
        {
            // A seat, officer or category added on another silo a moment ago: load it before describing the grievance.
            await sharedData.CatchUpAsync(cancellationToken);
        }

        return found;
    }

    /// <summary>Links the call to an open grievance (see <see cref="IGrievanceGrain.LinkCall"/>); the caller has checked it may see it.</summary>
    public async Task<Grievance> LinkCallAsync(string clientRequestId, string referenceNumber, string agentId, string mobile, string? note, CancellationToken cancellationToken)
    {
        var id = GrievanceRules.RequireId(clientRequestId, "input.clientRequestId");
        var number = GrievanceRules.NormalizeMobile(mobile, "input.mobile");
        var text = string.IsNullOrWhiteSpace(note) ? null : GrievanceRules.RequireText(note, GrievanceRules.MaxTextLength, "input.note");
        var normalized = GrievanceRules.NormalizeReference(referenceNumber, "input.referenceNumber");
        var key = await readModel.GrainKeyOfAsync(normalized, cancellationToken)
            ?? throw new HelplineException(GrievanceErrorCodes.UnknownGrievance, $"No grievance has reference number {ReferenceNumber.Display(normalized)}.", "input.referenceNumber");
        return await grains.GetGrain<IGrievanceGrain>(key).LinkCall(id, agentId, number, text);
    }
}
