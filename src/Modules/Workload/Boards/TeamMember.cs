using Helpline.Officers;
using Helpline.Officers.Workload;

namespace Helpline.Workload.Boards;

/// <summary>An officer on a board or in a team: their seat, capacity, leave and live workload.</summary>
/// <param name="Officer">The officer.</param>
/// <param name="Seat">The seat they are posted to.</param>
/// <param name="Capacity">Open grievances they take before others are preferred.</param>
/// <param name="OnLeave">A leave of theirs is in force now.</param>
/// <param name="Workload">Their live workload from their grain.</param>
internal sealed record BoardEntry(Officer Officer, Position Seat, int Capacity, bool OnLeave, OfficerWorkload Workload);

/// <summary>A team member with the open grievances they hold, as rebalancing reasons about them.</summary>
/// <param name="Officer">The officer.</param>
/// <param name="Seat">The seat they are posted to.</param>
/// <param name="Capacity">Open grievances they take before others are preferred.</param>
/// <param name="OnLeave">A leave of theirs is in force now: they take nothing, and their work may be moved away.</param>
/// <param name="Open">The open grievances they hold.</param>
internal sealed record TeamMember(Officer Officer, Position Seat, int Capacity, bool OnLeave, IReadOnlyList<TrackedGrievance> Open);
