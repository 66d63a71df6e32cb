using Helpline.Jurisdictions.Tree;
using Helpline.Platform.SharedData;

namespace Helpline.Jurisdictions.Storage;

/// <summary>The jurisdiction tree as shared data: a change stored by any silo reloads the directory on every silo.</summary>
internal sealed class JurisdictionsArea(JurisdictionStore store, JurisdictionDirectory directory) : ISharedDataArea
{
    public const string Name = "jurisdictions";

    public string Area => Name;

    // First: the catalogue, the SLA calendars and the roster name jurisdictions.
    public int Order => 10;

    public async Task RefreshAsync(CancellationToken cancellationToken) => directory.Replace(await store.ReadTreeAsync(cancellationToken));
}
