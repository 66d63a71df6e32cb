using Helpline.Platform.SharedData;

namespace Helpline.Sla.Storage;

/// <summary>
/// Policies, calendars, their assignments and holidays as shared data: a change stored by any silo reloads the SLA
/// snapshot on every silo, so due dates and previews agree whichever silo computes them.
/// </summary>
internal sealed class SlaArea(SlaStore store) : ISharedDataArea
{
    public const string Name = "sla";

    public string Area => Name;

    // After the jurisdictions and the catalogue that policies, calendars and holidays name.
    public int Order => 25;

    public Task RefreshAsync(CancellationToken cancellationToken) => store.RefreshAsync(cancellationToken);
}
