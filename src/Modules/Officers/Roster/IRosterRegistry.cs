namespace Helpline.Officers;

/// <summary>
/// Adds seats and their holders at run time, for example those of an imported source (Boston 311). Writes go to the
/// database in one transaction under the roster's write lock (the advisory lock the roster loader takes, so calls are
/// serialised with each other and with the loader across processes); the in-memory <see cref="IOfficerDirectory"/> of
/// this process is then refreshed from the database, so the seats and holders are visible as soon as the returned task
/// completes. Other processes see them at their next load (start-up).
/// </summary>
/// <remarks>
/// Rows written here have origin <c>import</c>: the roster loader of Uttar Pradesh never changes or deletes them, and
/// numbers its new officers after the highest <c>OFF-</c> number in use, theirs included. The department and
/// jurisdiction of a position are not checked against the catalogue or the jurisdiction tree; register those first
/// (<c>ICatalogueRegistry</c>, <c>IJurisdictionRegistry</c>) so that routing finds the seats.
/// </remarks>
public interface IRosterRegistry
{
    /// <summary>
    /// Ensures each given position exists and has a holder. A missing position is inserted as given (origin
    /// <c>import</c>); an existing one is left exactly as it is (its title and supervisor are not updated). A seat
    /// without a holder gets a generated officer with the next free <c>OFF-</c> number, a made-up name and a made-up
    /// <c>9999…</c> mobile number that must never be dialled (see <c>Roster/README.md</c>), origin <c>import</c>; seats
    /// are filled in the order given. Idempotent: a second call with the same positions writes nothing.
    /// </summary>
    /// <param name="positions">
    /// The seats, ids distinct, each id <c>&lt;department id&gt;@&lt;jurisdiction id&gt;</c> (the convention of
    /// <see cref="Position.Id"/>, which also keeps imported ids from ever clashing with another seat of the same
    /// department and jurisdiction). A supervisor must be one of the given positions or exist already. May be empty.
    /// </param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored then.</param>
    /// <exception cref="ArgumentException">
    /// Nothing is stored, and the message names the position, when: a position is null; its id, title, department or
    /// jurisdiction is blank; its id is not <c>&lt;department id&gt;@&lt;jurisdiction id&gt;</c> or appears twice; its
    /// supervisor is itself or unknown (neither given nor stored); the given positions' supervisors form a cycle; or a
    /// new position's department and jurisdiction already have a seat under another id.
    /// </exception>
    Task EnsureSeatsAsync(IReadOnlyList<Position> positions, CancellationToken cancellationToken);
}
