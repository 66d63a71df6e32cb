using Helpline.Platform.SharedData;

namespace Helpline.Officers.Roster;

/// <summary>Positions and postings as shared data: a change stored by any silo reloads the officer directory on every silo.</summary>
internal sealed class RosterArea(RosterStore store, OfficerDirectory directory) : ISharedDataArea
{
    public const string Name = "roster";

    public string Area => Name;

    // Last: seats name jurisdictions and departments.
    public int Order => 30;

    public long HeldThrough => directory.HeldThrough;

    public Task RefreshAsync(CancellationToken cancellationToken) => directory.RefreshAsync(store, cancellationToken);
}
