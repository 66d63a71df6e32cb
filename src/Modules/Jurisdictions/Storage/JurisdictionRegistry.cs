using Helpline.Jurisdictions.Tree;
using Microsoft.Extensions.Logging;

namespace Helpline.Jurisdictions.Storage;

/// <summary>
/// Run-time additions to the tree (imported cities). Writes through <see cref="JurisdictionStore"/>, then reloads this
/// process's directory from the database. Other processes see the change at their next load.
/// </summary>
internal sealed partial class JurisdictionRegistry(JurisdictionStore store, JurisdictionDirectory directory, ILogger<JurisdictionRegistry> logger)
    : IJurisdictionRegistry
{
    public async Task UpsertAsync(IReadOnlyList<Jurisdiction> jurisdictions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jurisdictions);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var j in jurisdictions)
        {
            if (j is null)
            {
                throw new ArgumentException("A jurisdiction is null.", nameof(jurisdictions));
            }

            if (string.IsNullOrWhiteSpace(j.Id) || j.Id.Trim() != j.Id)
            {
                throw new ArgumentException($"Jurisdiction id '{j.Id}' is blank or has surrounding spaces.", nameof(jurisdictions));
            }

            if (string.IsNullOrWhiteSpace(j.Name))
            {
                throw new ArgumentException($"Jurisdiction '{j.Id}' has no name.", nameof(jurisdictions));
            }

            if (!Enum.IsDefined(j.Kind))
            {
                throw new ArgumentException($"Jurisdiction '{j.Id}' has undefined kind {(int)j.Kind}.", nameof(jurisdictions));
            }

            if (!seen.Add(j.Id))
            {
                throw new ArgumentException($"Jurisdiction '{j.Id}' is given more than once.", nameof(jurisdictions));
            }
        }

        if (jurisdictions.Count == 0)
        {
            return;
        }

        var result = await store.WriteAsync(jurisdictions, replaceSubtreeOf: null, cancellationToken);
        directory.Replace(await store.ReadTreeAsync(cancellationToken));

        LogWritten(
            jurisdictions.Count, result.Inserted, result.Updated);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Jurisdiction registry: {Given} given, {Inserted} inserted, {Updated} updated")]
    private partial void LogWritten(int given, int inserted, int updated);
}
