using System.Diagnostics;
using Helpline.Jurisdictions.Storage;
using Helpline.Jurisdictions.Tree;
using Helpline.Platform.Database;
using Microsoft.Extensions.Logging;

namespace Helpline.Jurisdictions.Loading;

/// <summary>What one load did.</summary>
internal sealed record JurisdictionLoadResult(JurisdictionWriteResult Write, IReadOnlyList<RejectedRow> Rejected, int Nodes, TimeSpan Elapsed);

/// <summary>
/// Loads Uttar Pradesh's tree from the embedded files into <c>jurisdictions.jurisdiction</c> (one transaction; only
/// differing rows are written, so a second load writes nothing), then refreshes the directory from the database.
/// </summary>
internal sealed partial class JurisdictionsLoader(JurisdictionStore store, JurisdictionDirectory directory, ILogger<JurisdictionsLoader> logger)
    : IReferenceDataLoader
{
    public int Order => 10;

    public Task LoadAsync(CancellationToken cancellationToken) => LoadWithResultAsync(cancellationToken);

    internal async Task<JurisdictionLoadResult> LoadWithResultAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var data = UpReferenceData.ReadEmbedded();
        foreach (var rejected in data.Rejected)
        {
            LogRejected(rejected);
        }

        var write = await store.WriteAsync(data.Nodes, replaceSubtreeOf: UpReferenceData.StateId, cancellationToken);
        var tree = await store.ReadTreeAsync(cancellationToken);
        directory.Replace(tree);
        clock.Stop();
        LogLoaded(
            clock.ElapsedMilliseconds, data.Nodes.Count, write.Inserted, write.Updated, write.Deleted, data.Rejected.Count, tree.Count);
        return new JurisdictionLoadResult(write, data.Rejected, data.Nodes.Count, clock.Elapsed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jurisdiction row not loaded: {Rejected}")]
    private partial void LogRejected(RejectedRow rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Jurisdictions loaded in {ElapsedMs} ms: {Nodes} Uttar Pradesh nodes ({Inserted} inserted, {Updated} updated, {Deleted} deleted, {Rejected} rows rejected); {Total} nodes in the directory")]
    private partial void LogLoaded(long elapsedMs, int nodes, int inserted, int updated, int deleted, int rejected, int total);
}
