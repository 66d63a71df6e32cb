using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Errors;
using Helpline.Platform.Text;
using Microsoft.Extensions.Logging;

namespace Helpline.Officers.Routing;

/// <summary>
/// Sets and clears rules of the routing map for an administrator, and checks a proposed rule for a preview by the same
/// rules. Each change is checked first (nothing is stored when anything is wrong), then stored with its history and
/// published to every silo in one transaction (<see cref="RouteMapStore"/>), then this silo's map is refreshed, so the
/// next registration here follows it. A rule applies only to registrations made after it is stored: a grievance keeps
/// the seat it was routed to.
/// </summary>
internal sealed partial class RoutingAdministration(
    RouteMapStore store,
    ICatalogue catalogue,
    IJurisdictionDirectory jurisdictions,
    IOfficerDirectory officers,
    ILogger<RoutingAdministration> logger,
    TimeProvider? clock = null)
{
    /// <summary>Longest reason kept with a change, in characters.</summary>
    internal const int MaxReasonLength = 500;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Makes <paramref name="positionId"/> the seat for the category at the jurisdiction and below; idempotent.</summary>
    /// <returns>The rule now stored (the earlier one, with its author and time, when it already named this seat).</returns>
    /// <exception cref="HelplineException">A field of the input is wrong (its path starts with <c>input.</c>); nothing is stored.</exception>
    internal async Task<RouteRule> SetAsync(string categoryId, string jurisdictionId, string positionId, string actor, string? reason, CancellationToken cancellationToken)
    {
        var category = CheckCategory(categoryId, "input.categoryId");
        if (catalogue.IsRetired(category.Id))
        {
            // No registration will follow the rule; clearing the rules of a retired category stays allowed.
            throw new HelplineException(CatalogueErrorCodes.CategoryRetired, $"Category '{category.Id}' is retired: no registration would follow a rule for it.", "input.categoryId");
        }

        var text = CheckReason(reason);
        var rule = CheckRule(category, jurisdictionId, positionId, actor, "input.");
        var (stored, changed) = await store.SetAsync(rule, text, cancellationToken);
        await store.RefreshAsync(cancellationToken);
        if (changed)
        {
            LogSet(actor, stored.CategoryId, stored.JurisdictionId, stored.PositionId);
        }

        return stored;
    }

    /// <summary>Removes the rule of the category at the jurisdiction, so the next rule up (or the default) applies there again.</summary>
    /// <returns>The rule removed.</returns>
    /// <exception cref="HelplineException">
    /// A field of the input is wrong, or no rule is set there (<see cref="OfficerErrorCodes.NoRouteRule"/>); nothing is stored.
    /// </exception>
    internal async Task<RouteRule> ClearAsync(string categoryId, string jurisdictionId, string actor, string? reason, CancellationToken cancellationToken)
    {
        var category = CheckCategory(categoryId, "input.categoryId");
        var jurisdiction = CheckJurisdiction(jurisdictionId, "input.jurisdictionId");
        var text = CheckReason(reason);
        var removed = await store.ClearAsync(category.Id, jurisdiction.Id, actor, Now(), text, cancellationToken)
            ?? throw new HelplineException(
                OfficerErrorCodes.NoRouteRule,
                $"No routing rule is set for '{category.Id}' at '{jurisdiction.Id}'; nothing was changed.",
                "input.jurisdictionId");
        await store.RefreshAsync(cancellationToken);
        LogCleared(actor, removed.CategoryId, removed.JurisdictionId, removed.PositionId);
        return removed;
    }

    /// <summary>
    /// The rule a <c>setRoute</c> with these values would store, checked as it would be: the jurisdiction exists; the
    /// seat exists, is of the category's department, sits at the jurisdiction, above it or below it, and has somebody
    /// acting for it (a registration routed to it would be refused otherwise).
    /// </summary>
    /// <param name="category">The rule's category (checked by the caller).</param>
    /// <param name="jurisdictionId">The rule's jurisdiction.</param>
    /// <param name="positionId">The rule's seat.</param>
    /// <param name="actor">Who sets it.</param>
    /// <param name="prefix">The path of the input holding the jurisdiction and seat, for example <c>input.</c>.</param>
    /// <exception cref="HelplineException">UNKNOWN_JURISDICTION, UNKNOWN_POSITION or INVALID_VALUE naming the field.</exception>
    internal RouteRule CheckRule(Category category, string jurisdictionId, string positionId, string actor, string prefix)
    {
        var jurisdiction = CheckJurisdiction(jurisdictionId, prefix + "jurisdictionId");
        var positionField = prefix + "positionId";
        var seat = (string.IsNullOrWhiteSpace(positionId) ? null : officers.FindPosition(positionId))
            ?? throw new HelplineException(OfficerErrorCodes.UnknownPosition, $"No seat has the id '{positionId}'.", positionField);
        if (seat.DepartmentId != category.DepartmentId)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"Seat '{seat.Id}' is of department '{seat.DepartmentId}', but category '{category.Id}' is resolved by department '{category.DepartmentId}'.",
                positionField);
        }

        if (!jurisdictions.IsWithin(jurisdiction.Id, seat.JurisdictionId) && !jurisdictions.IsWithin(seat.JurisdictionId, jurisdiction.Id))
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"Seat '{seat.Id}' serves '{seat.JurisdictionId}', which is neither '{jurisdiction.Id}' nor above or below it.",
                positionField);
        }

        if (officers.HolderOf(seat.Id) is null)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"Nobody is posted to seat '{seat.Id}' ({seat.Title}) and nobody holds its charge: a registration routed there would be refused.",
                positionField);
        }

        return new RouteRule(category.Id, jurisdiction.Id, seat.Id, actor, Now());
    }

    /// <summary>The category with this id.</summary>
    /// <exception cref="HelplineException">UNKNOWN_CATEGORY at <paramref name="field"/>.</exception>
    internal Category CheckCategory(string categoryId, string field) =>
        (string.IsNullOrWhiteSpace(categoryId) ? null : catalogue.FindCategory(categoryId))
        ?? throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has the id '{categoryId}'.", field);

    /// <summary>The jurisdiction with this id.</summary>
    /// <exception cref="HelplineException">UNKNOWN_JURISDICTION at <paramref name="field"/>.</exception>
    internal Jurisdiction CheckJurisdiction(string jurisdictionId, string field) =>
        (string.IsNullOrWhiteSpace(jurisdictionId) ? null : jurisdictions.Find(jurisdictionId))
        ?? throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has the id '{jurisdictionId}'.", field);

    // PostgreSQL keeps microseconds: the instant answered when a rule is set is the one read back later (and by a retry).
    private DateTimeOffset Now()
    {
        var now = _clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    // A reason is optional; one given is held to the rule for typed text.
    private static string? CheckReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? null : UserText.Require(reason, MaxReasonLength, "input.reason");

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing map: {Actor} routed {CategoryId} at {JurisdictionId} to {PositionId}")]
    private partial void LogSet(string actor, string categoryId, string jurisdictionId, string positionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing map: {Actor} cleared the rule of {CategoryId} at {JurisdictionId} (was {PositionId})")]
    private partial void LogCleared(string actor, string categoryId, string jurisdictionId, string positionId);
}
