using Helpline.Jurisdictions;

namespace Helpline.Catalogue;

/// <summary>What an administrative change did to a category.</summary>
public enum CategoryChangeKind
{
    /// <summary>The category was added.</summary>
    Add,

    /// <summary>Its English or Hindi name, or its keywords, changed.</summary>
    Rename,

    /// <summary>It may no longer be chosen for new grievances.</summary>
    Retire,

    /// <summary>Its department or resolution level changed.</summary>
    Remap,
}

/// <summary>The full state of a category, as recorded before or after an administrative change.</summary>
/// <param name="Id">The category's id.</param>
/// <param name="Name">English name.</param>
/// <param name="NameHindi">
/// Hindi name; null for a category without one (an imported category, or a shipped one in a change recorded before
/// the shipped files named it in Hindi).
/// </param>
/// <param name="Keywords">Words an agent may search it by.</param>
/// <param name="DepartmentId">Resolving department.</param>
/// <param name="ResolutionLevel">Jurisdiction kind whose seat handles it at L1.</param>
/// <param name="SlaDays">Calendar days allowed at L1..L4.</param>
/// <param name="Source">Where the category comes from (<c>admin</c> for one an administrator added).</param>
/// <param name="Retired">Whether new grievances are refused under it.</param>
/// <param name="ReplacedBy">The category that replaces a retired one, if named.</param>
public sealed record CategoryState(
    string Id,
    string Name,
    string? NameHindi,
    IReadOnlyList<string> Keywords,
    string DepartmentId,
    JurisdictionKind ResolutionLevel,
    IReadOnlyList<int> SlaDays,
    string Source,
    bool Retired,
    string? ReplacedBy)
{
    /// <summary>The state as the catalogue's <see cref="Category"/>.</summary>
    public Category ToCategory() =>
        new(Id, Name, DepartmentId, ResolutionLevel, new SlaPolicy(SlaDays), Source, NameHindi, Keywords);

    /// <summary>Value equality, lists compared by content (records compare lists by reference).</summary>
    public bool SameAs(CategoryState? other) =>
        other is not null
        && (Id, Name, NameHindi, DepartmentId, ResolutionLevel, Source, Retired, ReplacedBy)
        == (other.Id, other.Name, other.NameHindi, other.DepartmentId, other.ResolutionLevel, other.Source, other.Retired, other.ReplacedBy)
        && Keywords.SequenceEqual(other.Keywords, StringComparer.Ordinal)
        && SlaDays.SequenceEqual(other.SlaDays);
}

/// <summary>One recorded administrative change of a category.</summary>
/// <param name="Id">Its number, increasing in the order changes were recorded.</param>
/// <param name="CategoryId">The category changed.</param>
/// <param name="Kind">What was done.</param>
/// <param name="EffectiveAt">From when registrations use <paramref name="After"/>.</param>
/// <param name="RecordedAt">When the administrator made the change.</param>
/// <param name="Actor">Who made it (the token's subject).</param>
/// <param name="Reason">Why, when given.</param>
/// <param name="Before">The state the change replaced; null for an add.</param>
/// <param name="After">The full state from <paramref name="EffectiveAt"/>.</param>
public sealed record CategoryChange(
    long Id,
    string CategoryId,
    CategoryChangeKind Kind,
    DateTimeOffset EffectiveAt,
    DateTimeOffset RecordedAt,
    string Actor,
    string? Reason,
    CategoryState? Before,
    CategoryState After);

/// <summary>A category an administrator adds.</summary>
/// <param name="Id">Lower-case kebab code, unique across shipped, imported and added categories.</param>
/// <param name="Name">English name.</param>
/// <param name="NameHindi">Hindi name.</param>
/// <param name="DepartmentId">Resolving department.</param>
/// <param name="ResolutionLevel">A jurisdiction kind at which the department has a seat.</param>
/// <param name="SlaDays">Four values, L1..L4, each 1..365 calendar days.</param>
/// <param name="Keywords">Search words; null for none.</param>
public sealed record NewCategory(
    string Id,
    string Name,
    string NameHindi,
    string DepartmentId,
    JurisdictionKind ResolutionLevel,
    IReadOnlyList<int> SlaDays,
    IReadOnlyList<string>? Keywords);

/// <summary>
/// Changes categories live, each change with an effective instant (null: now) and recorded with who, when, why, and
/// the full state before and after. A change applies to registrations from its effective instant; grievances already
/// registered keep their routing. History is linear per category: a change effective before one already recorded for
/// the category is refused. Each change is written in one transaction under the catalogue's write lock, published to
/// every silo in that transaction, and this silo's catalogue is refreshed before the call returns.
/// </summary>
/// <remarks>
/// Errors are <see cref="Helpline.Platform.Errors.HelplineException"/>s naming the GraphQL input field
/// (<c>input.departmentId</c>, ...): UNKNOWN_CATEGORY, UNKNOWN_DEPARTMENT, CATEGORY_RETIRED, REQUIRED, TOO_LONG,
/// INVALID_VALUE. Nothing is stored on any error. A retried identical request records nothing new and returns the
/// change already recorded.
/// </remarks>
public interface ICategoryAdministration
{
    /// <summary>Adds a category; the same add again returns the first one, another add of the id is refused.</summary>
    Task<CategoryChange> AddAsync(NewCategory category, DateTimeOffset? effectiveAt, string actor, string? reason, CancellationToken cancellationToken);

    /// <summary>Renames a category (English and Hindi names; keywords too, when given).</summary>
    Task<CategoryChange> RenameAsync(
        string categoryId, string name, string nameHindi, IReadOnlyList<string>? keywords, DateTimeOffset? effectiveAt, string actor, string? reason, CancellationToken cancellationToken);

    /// <summary>Retires a category, optionally naming the category that replaces it.</summary>
    Task<CategoryChange> RetireAsync(string categoryId, string? replacedBy, DateTimeOffset? effectiveAt, string actor, string? reason, CancellationToken cancellationToken);

    /// <summary>
    /// Maps a category to another department or level (either may be null: unchanged). Refused when the new mapping
    /// would leave a place where the category routes today with no seat (<see cref="ICategoryCoverage"/>).
    /// </summary>
    Task<CategoryChange> RemapAsync(
        string categoryId, string? departmentId, JurisdictionKind? resolutionLevel, DateTimeOffset? effectiveAt, string actor, string? reason, CancellationToken cancellationToken);

    /// <summary>Recorded changes, newest first: of one category, or of all when <paramref name="categoryId"/> is null.</summary>
    Task<IReadOnlyList<CategoryChange>> ChangesAsync(string? categoryId, int first, CancellationToken cancellationToken);
}

/// <summary>
/// Whether a category mapped to another department or level would still find a seat wherever it is used. Implemented
/// by the module that owns the seats (Officers); when none is registered, remaps are not checked for coverage.
/// </summary>
public interface ICategoryCoverage
{
    /// <summary>
    /// Null when every place where the category routes today (the places of <paramref name="fromDepartmentId"/>'s seats
    /// at <paramref name="fromLevel"/>) would find a seat of <paramref name="toDepartmentId"/> at <paramref name="toLevel"/>
    /// or above on its way to the root; otherwise a sentence naming the first few places that would not.
    /// </summary>
    string? Uncovered(string categoryId, string fromDepartmentId, JurisdictionKind fromLevel, string toDepartmentId, JurisdictionKind toLevel);
}
