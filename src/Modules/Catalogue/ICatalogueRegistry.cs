namespace Helpline.Catalogue;

/// <summary>
/// Adds or changes departments and categories at run time, for example those of an imported source (Boston 311).
/// Writes go to the database in one transaction; the in-memory <see cref="ICatalogue"/> of this process is then
/// refreshed from the database, so they are visible to <see cref="ICatalogue.FindDepartment"/> and
/// <see cref="ICatalogue.FindCategory"/> as soon as the returned task completes. Other processes see them at their next
/// refresh (start-up).
/// </summary>
/// <remarks>
/// Rows written here have origin <c>import</c> in the <c>catalogue</c> schema: the loader of the shipped files never
/// changes or deletes them (a shipped row with the same id is skipped with a warning), and this registry never writes a
/// row of another origin, so shipped departments and categories cannot be changed through it. Calls are serialised
/// with each other and with the loader, across processes, by a transaction-scoped advisory lock.
/// </remarks>
public interface ICatalogueRegistry
{
    /// <summary>
    /// Inserts or updates the given departments (with their <see cref="Department.SeatTitles"/>, which replace that
    /// department's seats) and categories, in one transaction, then refreshes <see cref="ICatalogue"/> from the
    /// database. Departments and categories not named are left alone. Idempotent: upserting the same rows twice
    /// changes nothing the second time (no row is rewritten). Names, titles and sources are stored trimmed; a blank
    /// Hindi name is stored as null.
    /// </summary>
    /// <param name="departments">Departments to insert or update, ids distinct; may be empty.</param>
    /// <param name="categories">
    /// Categories to insert or update, ids distinct; may be empty. A category's department must be in
    /// <paramref name="departments"/> or exist already (shipped departments included), and its resolution level must be
    /// one of that department's seat kinds (as given in this call, for a department in it).
    /// </param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored then.</param>
    /// <exception cref="ArgumentException">
    /// Nothing is stored, and the message names the offending id, when: an id is not a lower-case kebab code (the
    /// schema's rule) or appears twice; a name, seat title or source is blank; a seat kind or resolution level is not a
    /// defined <see cref="Helpline.Jurisdictions.JurisdictionKind"/>; a category's department exists neither in the call
    /// nor in the database, or has no seat at the category's resolution level; an SLA does not have exactly four
    /// values from 1 to 365 days; a department or category with the id exists with an origin other than
    /// <c>import</c> (for example a shipped one); or a seat the call removes from a department is still the resolution
    /// level of one of its categories.
    /// </exception>
    Task UpsertAsync(IReadOnlyList<Department> departments, IReadOnlyList<Category> categories, CancellationToken cancellationToken);
}
