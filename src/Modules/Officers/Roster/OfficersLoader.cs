using System.Diagnostics;
using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Database;
using Microsoft.Extensions.Logging;

namespace Helpline.Officers.Roster;

/// <summary>What one roster load did.</summary>
internal sealed record OfficersLoadResult(RosterWriteResult Write, int PositionsInDirectory, int OfficersInDirectory, TimeSpan Elapsed);

/// <summary>
/// Generates Uttar Pradesh's positions and one fake officer per position (see <c>Roster/README.md</c>), writes them
/// in one transaction unless the content hash is unchanged, and refreshes the officer directory from the database.
/// Runs after jurisdictions (10) and the catalogue (20).
/// </summary>
internal sealed partial class OfficersLoader(
    ICatalogue catalogue,
    IJurisdictionDirectory jurisdictions,
    RosterStore store,
    OfficerDirectory directory,
    ILogger<OfficersLoader> logger) : IReferenceDataLoader
{
    public int Order => 30;

    public Task LoadAsync(CancellationToken cancellationToken) => LoadWithResultAsync(cancellationToken);

    internal async Task<OfficersLoadResult> LoadWithResultAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var positions = RosterGenerator.Positions(catalogue.Departments, jurisdictions, RosterGenerator.UttarPradeshId);
        var hash = RosterGenerator.ContentHash(positions);
        var write = await store.WriteGeneratedAsync(positions, hash, cancellationToken);
        var roster = await directory.RefreshAsync(store, cancellationToken);
        clock.Stop();
        if (write.Skipped)
        {
            LogUnchanged(
                hash[..12], clock.ElapsedMilliseconds, roster.PositionCount, roster.OfficerCount);
        }
        else
        {
            LogWritten(
                clock.ElapsedMilliseconds, write.Positions, write.DeletedPositions, write.NewOfficers, write.DeletedOfficers, roster.PositionCount, roster.OfficerCount);
        }

        return new OfficersLoadResult(write, roster.PositionCount, roster.OfficerCount, clock.Elapsed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Officer roster unchanged (hash {Hash}); directory reloaded in {ElapsedMs} ms: {Positions} positions, {Officers} officers")]
    private partial void LogUnchanged(string hash, long elapsedMs, int positions, int officers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Officer roster written in {ElapsedMs} ms: {Generated} generated positions ({Deleted} removed), {NewOfficers} new officers ({DeletedOfficers} removed); directory: {Positions} positions, {Officers} officers")]
    private partial void LogWritten(long elapsedMs, int generated, int deleted, int newOfficers, int deletedOfficers, int positions, int officers);
}
