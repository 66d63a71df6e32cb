namespace Helpline.Jurisdictions;

/// <summary>
/// Adds or changes jurisdictions at run time, for example the root and areas of an imported city (Boston 311).
/// Writes go to the database in one transaction; the in-memory <see cref="IJurisdictionDirectory"/> of this process
/// is then refreshed from the database, so a node is visible to <see cref="IJurisdictionDirectory.Find"/> as soon as
/// the returned task completes.
/// </summary>
public interface IJurisdictionRegistry
{
    /// <summary>
    /// Inserts the given nodes, or updates the nodes whose id already exists. A node's parent must exist already or be
    /// part of the same call; the result must remain a tree (no cycles). Nodes not named are left alone. Idempotent:
    /// upserting the same nodes twice changes nothing the second time.
    /// </summary>
    /// <param name="jurisdictions">The nodes, in any order; ids must be distinct.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored then.</param>
    /// <exception cref="ArgumentException">A node has a blank id or name, an undefined kind, or its id appears twice.</exception>
    /// <exception cref="InvalidDataException">The nodes would not form a tree (unknown parent, cycle); nothing is stored.</exception>
    Task UpsertAsync(IReadOnlyList<Jurisdiction> jurisdictions, CancellationToken cancellationToken);
}
