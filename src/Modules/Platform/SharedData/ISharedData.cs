namespace Helpline.Platform.SharedData;

/// <summary>
/// An area of reference data that every silo holds in memory and any silo may change at run time (SLA policies and
/// calendars, the catalogue, the roster, the jurisdiction tree). The module that owns it publishes each change with
/// <see cref="SharedDataChanges.PublishAsync"/>; every silo then calls <see cref="RefreshAsync"/>.
/// </summary>
public interface ISharedDataArea
{
    /// <summary>The area's name, the key of its changes in the event log; never renamed.</summary>
    string Area { get; }

    /// <summary>Reload order when several areas changed together; lower first (jurisdictions before the roster that names them).</summary>
    int Order { get; }

    /// <summary>Reads the area from the database and swaps it in whole. Safe to run while readers use the old copy.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The event-log position through which the copy this silo holds includes every change of the area, or -1 when
    /// the area does not know. A silo that stores a change reads the area back at once; the follower then skips
    /// reloading what it holds already. An area that tracks it reads the position with
    /// <see cref="SharedDataChanges.ReadSeenThroughAsync"/> in the transaction that reads the area.
    /// </summary>
    long HeldThrough => -1;
}

/// <summary>This silo's view of the shared reference data: how far it has applied the changes, and a way to catch up.</summary>
public interface ISharedData
{
    /// <summary>The event-log position up to which every shared-data change is applied on this silo.</summary>
    long AppliedPosition { get; }

    /// <summary>
    /// Returns once every change committed before the call is applied on this silo. Call it before acting on an id
    /// this silo does not know, or before a recompute that a change asked for, so that a silo never acts on reference
    /// data it has not seen.
    /// </summary>
    /// <exception cref="SharedDataBehindException">The changes could not be applied in time (the database is unreachable, say); retryable.</exception>
    Task CatchUpAsync(CancellationToken cancellationToken);
}

/// <summary>This silo could not apply the latest shared-data changes in time; what depends on them was not done. Retryable.</summary>
// Serializable so that it keeps its type when a grain on another silo throws it: the transport maps it to a retryable code.
[GenerateSerializer]
[Alias("helpline.shared-data-behind")]
public sealed class SharedDataBehindException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SharedDataBehindException()
        : base("This silo could not load the latest changes to shared reference data in time; nothing was done. Try again.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SharedDataBehindException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SharedDataBehindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
