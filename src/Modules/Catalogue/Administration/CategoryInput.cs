using Helpline.Platform.Errors;
using Helpline.Platform.Text;

namespace Helpline.Catalogue;

/// <summary>
/// The checks of an administrator's category input that need nothing stored. Field paths are those of the GraphQL
/// mutations' <c>input</c> argument, which every caller of <see cref="ICategoryAdministration"/> uses.
/// </summary>
internal static class CategoryInput
{
    public const int MaxNameLength = 200;
    public const int MaxKeywordLength = 60;
    public const int MaxKeywords = 30;
    public const int MaxReasonLength = 1000;
    public const int MaxIdLength = 64;

    public static string Id(string? id, string field)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new HelplineException(ErrorCodes.Required, $"'{field}' is required.", field);
        }

        return id.Length <= MaxIdLength && CatalogueFiles.KebabCode().IsMatch(id)
            ? id
            : throw new HelplineException(
                ErrorCodes.Invalid,
                $"'{field}' must be a lower-case kebab code of at most {MaxIdLength} characters (letters, digits and single hyphens, starting with a letter); '{id}' is not.",
                field);
    }

    public static string Name(string? name, string field) => UserText.Require(name, MaxNameLength, field, singleLine: true);

    /// <summary>Trimmed, each checked as a name, duplicates (ignoring case) dropped, in the order given.</summary>
    public static IReadOnlyList<string> Keywords(IReadOnlyList<string>? keywords)
    {
        if (keywords is null)
        {
            return [];
        }

        if (keywords.Count > MaxKeywords)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"At most {MaxKeywords} keywords; {keywords.Count} were given.", "input.keywords");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>(keywords.Count);
        for (var i = 0; i < keywords.Count; i++)
        {
            var keyword = UserText.Require(keywords[i], MaxKeywordLength, $"input.keywords[{i}]", singleLine: true);
            if (seen.Add(keyword))
            {
                result.Add(keyword);
            }
        }

        return result;
    }

    public static IReadOnlyList<int> SlaDays(IReadOnlyList<int>? days) =>
        days is { Count: 4 } && days.All(d => d is >= 1 and <= CatalogueFiles.MaxLevelDays)
            ? [.. days]
            : throw new HelplineException(
                ErrorCodes.Invalid,
                $"'input.slaDays' must give exactly four values (L1, L2, L3, L4), each 1 to {CatalogueFiles.MaxLevelDays} calendar days; got [{string.Join(", ", days ?? [])}].",
                "input.slaDays");

    public static string? Reason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? null : UserText.Require(reason, MaxReasonLength, "input.reason");

    public static string Actor(string? actor) =>
        string.IsNullOrWhiteSpace(actor) ? throw new HelplineException(ErrorCodes.Required, "The change has no actor (the caller's subject).", "actor") : actor;

    /// <summary>How far before now an effective instant may lie and still be taken (the request's own transit, a client's clock).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    /// <summary>The last effective instant accepted: the end of 2099, as far as the SLA calendars reach.</summary>
    public static readonly DateTimeOffset Latest = new(2099, 12, 31, 23, 59, 59, TimeSpan.Zero);

    /// <summary>
    /// The effective instant: now when absent; refused after <see cref="Latest"/>. Kept to whole microseconds,
    /// PostgreSQL's precision, so that a retry compares equal to what was stored. Whether it lies in the past is
    /// checked by <see cref="RequireNotPast"/>, after a retry of a change already recorded has been recognised.
    /// </summary>
    public static DateTimeOffset Effective(DateTimeOffset? effectiveAt, DateTimeOffset now)
    {
        var effective = effectiveAt ?? now;
        if (effective > Latest)
        {
            throw new HelplineException(
                ErrorCodes.Invalid, $"'input.effectiveAt' ({effective.ToUniversalTime():O}) is after {Latest:O}, the last instant a change may take effect.", "input.effectiveAt");
        }

        var ticks = effective.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    /// <summary>Refuses an effective instant more than <see cref="Grace"/> before now: a change is never back-dated.</summary>
    public static void RequireNotPast(DateTimeOffset effective, DateTimeOffset now)
    {
        if (effective < now - Grace)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"'input.effectiveAt' ({effective.ToUniversalTime():O}) is in the past (now is {now.ToUniversalTime():O}); leave it out for now.",
                "input.effectiveAt");
        }
    }
}
