using System.Collections.Concurrent;
using Helpline.Officers;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// The real officer directory, with the posting changes a test makes standing in for the Officers module's postings and
/// leave: <see cref="Act"/> makes an officer the one acting for a position (as a posting or a charge does), so
/// <see cref="HolderOf"/> names them and only they <see cref="Serves"/> it; <see cref="Vacate"/> leaves a position with
/// nobody acting for it. Everything else is the real directory's answer.
/// </summary>
internal sealed class ActingHolders(IOfficerDirectory real) : IOfficerDirectory
{
    // A position mapped to null is vacant with no charge.
    private readonly ConcurrentDictionary<string, string?> _acting = new(StringComparer.Ordinal);

    public void Act(string positionId, string officerId) => _acting[positionId] = officerId;

    public void Vacate(string positionId) => _acting[positionId] = null;

    public Officer? FindOfficer(string officerId) => real.FindOfficer(officerId);

    public Position? FindPosition(string positionId) => real.FindPosition(positionId);

    public Officer? HolderOf(string positionId) =>
        _acting.TryGetValue(positionId, out var acting)
            ? acting is null ? null : real.FindOfficer(acting)! with { PositionId = positionId }
            : real.HolderOf(positionId);

    public Officer? PostedHolderOf(string positionId) => HolderOf(positionId);

    public IReadOnlyList<PoolMember> MembersOf(string positionId) => real.MembersOf(positionId);

    public bool Serves(string officerId, string positionId) =>
        _acting.TryGetValue(positionId, out var acting) ? acting == officerId : real.Serves(officerId, positionId);

    public Assignment? SupervisorOf(string positionId) => real.SupervisorOf(positionId);

    public IReadOnlyList<Position> PositionsAt(string jurisdictionId) => real.PositionsAt(jurisdictionId);

    public IReadOnlyList<Position> SubordinatesOf(string positionId) => real.SubordinatesOf(positionId);
}
