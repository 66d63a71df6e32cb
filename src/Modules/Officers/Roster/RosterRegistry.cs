using Microsoft.Extensions.Logging;

namespace Helpline.Officers.Roster;

/// <summary>
/// Run-time additions to the roster (imported sources). Checks the positions, writes them through
/// <see cref="RosterStore.EnsureSeatsAsync"/> under the roster's write lock, then adds what it wrote to this process's
/// <see cref="OfficerDirectory"/> when its copy holds every earlier roster change, and otherwise refreshes the copy from
/// the database unless it already shows every given seat held and nothing was written.
/// </summary>
internal sealed partial class RosterRegistry(RosterStore store, OfficerDirectory directory, ILogger<RosterRegistry> logger) : IRosterRegistry
{
    public async Task EnsureSeatsAsync(IReadOnlyList<Position> positions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var checkedPositions = new List<Position>(positions.Count);
        var byId = new Dictionary<string, Position>(StringComparer.Ordinal);
        foreach (var p in positions)
        {
            var position = Check(p, nameof(positions));
            if (!byId.TryAdd(position.Id, position))
            {
                throw new ArgumentException($"Position '{position.Id}' is given more than once.", nameof(positions));
            }

            checkedPositions.Add(position);
        }

        CheckNoCycle(byId, nameof(positions));
        if (checkedPositions.Count == 0)
        {
            return;
        }

        var result = await store.EnsureSeatsAsync(checkedPositions, cancellationToken);
        var current = directory.Current;
        var held = result.Change is (var at, var before) && directory.TryAdd(before, at, result.Inserted, result.NewOfficers);
        if (!held && (result.Change is not null || checkedPositions.Any(p => current.FindPosition(p.Id) is null || current.PostedHolderOf(p.Id) is null)))
        {
            // An import adds seats every few seconds; reading all 14,000 seats and officers again for each took a fifth
            // of the service's CPU in the Boston replay. Only a copy that misses another change is read again.
            await directory.RefreshAsync(store, cancellationToken);
        }

        var newOfficers = string.Join(", ", result.NewOfficers.Take(20).Select(o => o.Id + " > " + o.PositionId));
        LogEnsured(checkedPositions.Count, result.Inserted.Count, result.NewOfficers.Count, newOfficers);
    }

    private static Position Check(Position? p, string paramName)
    {
        if (p is null)
        {
            throw new ArgumentException("A position is null.", paramName);
        }

        static bool Blank(string? s) => string.IsNullOrWhiteSpace(s) || s.Trim() != s;
        if (Blank(p.Id))
        {
            throw new ArgumentException($"Position id '{p.Id}' is blank or has surrounding spaces.", paramName);
        }

        if (string.IsNullOrWhiteSpace(p.Title))
        {
            throw new ArgumentException($"Position '{p.Id}' has a blank title.", paramName);
        }

        if (Blank(p.DepartmentId) || Blank(p.JurisdictionId))
        {
            throw new ArgumentException(
                $"Position '{p.Id}' has a blank department ('{p.DepartmentId}') or jurisdiction ('{p.JurisdictionId}'), or one with surrounding spaces.", paramName);
        }

        var expectedId = RosterGenerator.PositionId(p.DepartmentId, p.JurisdictionId);
        if (p.Id != expectedId)
        {
            throw new ArgumentException($"Position '{p.Id}' should have the id '{expectedId}' (<department>@<jurisdiction>).", paramName);
        }

        if (p.SupervisorPositionId is { } supervisor && (Blank(supervisor) || supervisor == p.Id))
        {
            throw new ArgumentException($"Position '{p.Id}' has a blank supervisor or is its own supervisor ('{supervisor}').", paramName);
        }

        return p with { Title = p.Title.Trim() };
    }

    /// <summary>Following supervisors among the given positions must not lead back to where it started.</summary>
    private static void CheckNoCycle(Dictionary<string, Position> byId, string paramName)
    {
        var acyclic = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in byId.Values)
        {
            var chain = new HashSet<string>(StringComparer.Ordinal);
            for (var p = start; p is not null && !acyclic.Contains(p.Id); p = p.SupervisorPositionId is { } s ? byId.GetValueOrDefault(s) : null)
            {
                if (!chain.Add(p.Id))
                {
                    throw new ArgumentException(
                        $"Position '{start.Id}': its supervisors lead back to '{p.Id}' (a cycle: {string.Join(" > ", chain)}).", paramName);
                }
            }

            acyclic.UnionWith(chain);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Roster registry: {Given} seats given, {Inserted} inserted, {NewOfficers} new officers ({Officers})")]
    private partial void LogEnsured(int given, int inserted, int newOfficers, string officers);
}
