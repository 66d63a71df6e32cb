using Helpline.Platform.SharedData;

namespace Helpline.Catalogue;

/// <summary>The catalogue as shared data: a change stored by any silo reloads the catalogue on every silo.</summary>
internal sealed class CatalogueArea(CatalogueStore store) : ISharedDataArea
{
    public const string Name = "catalogue";

    public string Area => Name;

    // After the jurisdictions, before the SLA policies and the roster, which name categories and departments.
    public int Order => 20;

    public Task RefreshAsync(CancellationToken cancellationToken) => store.RefreshAsync(cancellationToken);
}
