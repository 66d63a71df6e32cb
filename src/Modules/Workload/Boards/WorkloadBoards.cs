using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Officers.Workload;
using Helpline.Platform.Errors;

namespace Helpline.Workload.Boards;

/// <summary>
/// Who works where, with their live load: the officers posted to the seats of a place (and everything below it), or to
/// the seats below a supervisor's. Figures come from each officer's grain (its snapshot on this silo, else a call), so
/// a board is exact at the moment it is read; the order is by load score, heaviest first.
/// </summary>
internal sealed class WorkloadBoards(IOfficerDirectory officers, IJurisdictionDirectory jurisdictions, IOfficerWorkloads workloads)
{
    /// <summary>The deepest team a board or a rebalancing reaches: L1 seats below an L4 supervisor.</summary>
    public const int MaxDepth = 3;

    /// <summary>The seats of <paramref name="jurisdictionId"/> and every place below it, of one department or all.</summary>
    /// <exception cref="HelplineException">UNKNOWN_JURISDICTION.</exception>
    public IReadOnlyList<Position> SeatsOfPlace(string jurisdictionId, string? departmentId)
    {
        if (jurisdictions.Find(jurisdictionId) is null)
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has id '{jurisdictionId}'.", "jurisdictionId");
        }

        var seats = new List<Position>();
        var pending = new Stack<string>([jurisdictionId]);
        while (pending.TryPop(out var place))
        {
            seats.AddRange(officers.PositionsAt(place).Where(p => departmentId is null || p.DepartmentId == departmentId));
            foreach (var child in jurisdictions.ChildrenOf(place))
            {
                pending.Push(child.Id);
            }
        }

        return seats;
    }

    /// <summary>The seats below <paramref name="supervisorPositionId"/>, <paramref name="depth"/> levels down (the supervisor's own excluded).</summary>
    /// <exception cref="HelplineException">UNKNOWN_POSITION; INVALID_VALUE for a depth outside 1..3.</exception>
    public IReadOnlyList<Position> SeatsOfTeam(string supervisorPositionId, int depth)
    {
        if (officers.FindPosition(supervisorPositionId) is null)
        {
            throw new HelplineException(OfficerErrorCodes.UnknownPosition, $"No position has id '{supervisorPositionId}'.", "positionId");
        }

        if (depth is < 1 or > MaxDepth)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"depth must be 1..{MaxDepth}, not {depth}.", "depth");
        }

        var seats = new List<Position>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { supervisorPositionId };
        var level = new List<string> { supervisorPositionId };
        for (var i = 0; i < depth && level.Count > 0; i++)
        {
            var below = level.SelectMany(officers.SubordinatesOf).Where(p => seen.Add(p.Id)).ToList();
            seats.AddRange(below);
            level = [.. below.Select(p => p.Id)];
        }

        return seats;
    }

    /// <summary>Everyone posted to <paramref name="seats"/> with their live workload, heaviest load first.</summary>
    public async Task<IReadOnlyList<BoardEntry>> BoardAsync(IEnumerable<Position> seats)
    {
        var posted = Posted(seats);
        var figures = await workloads.WorkloadsOfAsync([.. posted.Select(p => p.Member.Officer.Id)]);
        return [.. posted
            .Select((p, i) => new BoardEntry(p.Member.Officer, p.Seat, p.Member.Capacity, p.Member.OnLeave, figures[i]))
            .OrderByDescending(e => e.Workload.LoadScore)
            .ThenByDescending(e => e.Workload.Open)
            .ThenBy(e => e.Officer.Id, StringComparer.Ordinal)];
    }

    /// <summary>Everyone posted to <paramref name="seats"/> with the open grievances they hold.</summary>
    public async Task<IReadOnlyList<TeamMember>> TeamAsync(IEnumerable<Position> seats)
    {
        var posted = Posted(seats);
        var open = await workloads.OpenOfAsync([.. posted.Select(p => p.Member.Officer.Id)]);
        return [.. posted.Select((p, i) => new TeamMember(p.Member.Officer, p.Seat, p.Member.Capacity, p.Member.OnLeave, open[i]))];
    }

    // An officer is posted to one seat, so nobody is listed twice.
    private List<(Position Seat, PoolMember Member)> Posted(IEnumerable<Position> seats) =>
        [.. seats.SelectMany(s => officers.MembersOf(s.Id).Select(m => (s, m)))];
}
