using Helpline.Platform.Database;
using Helpline.Platform.SharedData;

namespace Helpline.Officers.Routing;

/// <summary>
/// The routing map as shared data: a rule set or cleared on any silo reloads the map on every silo. Also a loader, so
/// that a silo has the map before it serves (the map ships no data of its own; it is only read).
/// </summary>
internal sealed class RoutingArea(RouteMapStore store) : ISharedDataArea, IReferenceDataLoader
{
    public const string Name = "routing";

    public string Area => Name;

    // After the roster (30): rules name seats, and whether a rule applies is judged against the seats and categories.
    public int Order => 35;

    public Task RefreshAsync(CancellationToken cancellationToken) => store.RefreshAsync(cancellationToken);

    public Task LoadAsync(CancellationToken cancellationToken) => store.RefreshAsync(cancellationToken);
}
