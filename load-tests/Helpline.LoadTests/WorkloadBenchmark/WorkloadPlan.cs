namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>An officer the benchmark adds to the roster: a pool member of an existing seat.</summary>
internal sealed record AddedOfficer(string Id, string Mobile, string PositionId);

/// <summary>
/// What the benchmark builds on the generated roster, decided from it alone (deterministic): the team, the two
/// registration seats, the officers added as pool members, the seats made pools, the board's district, and how many
/// open grievances each officer holds.
/// </summary>
internal sealed record WorkloadPlan(
    BenchSeat Supervisor,
    IReadOnlyList<BenchSeat> TeamSeats,
    IReadOnlyList<string> TeamOfficers,
    BenchSeat? PoolSeat,
    BenchSeat? SingleSeat,
    BenchCategory? RegistrationCategory,
    IReadOnlyList<AddedOfficer> Added,
    IReadOnlyList<string> PoolSeats,
    string BoardDistrict,
    string BoardDepartment,
    int BoardOfficers,
    int BoardDepartmentOfficers,
    IReadOnlyDictionary<string, int> OpenOf,
    IReadOnlyDictionary<string, BenchSeat> SeatOf)
{
    /// <summary>Capacity of every pool the benchmark makes: high enough that capacity never decides a choice or a move.</summary>
    public const int PoolCapacity = 1000;

    private static readonly HashSet<string> GrassRoots = new(StringComparer.Ordinal) { "Block", "Tehsil", "UrbanLocalBody" };

    public static WorkloadPlan Make(RosterSnapshot roster, WorkloadBenchArguments a)
    {
        var withCategories = roster.Categories.Select(c => c.DepartmentId).ToHashSet(StringComparer.Ordinal);
        var seats = roster.Seats.Where(s => s.Holders.Length > 0 && withCategories.Contains(s.DepartmentId)).ToList();
        var byId = roster.Seats.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var below = roster.Seats.Where(s => s.SupervisorId is not null)
            .ToLookup(s => s.SupervisorId!, StringComparer.Ordinal);

        // The team: the district seat whose seats down to depth 3 are the most without exceeding half the team size, so
        // that at least half the team are pool members: a grievance moves only to a seat whose area holds its place,
        // i.e. at one level between the members of one pool, never between two blocks.
        List<BenchSeat> TeamOf(BenchSeat top)
        {
            var team = new List<BenchSeat>();
            var level = new List<BenchSeat> { top };
            for (var d = 0; d < 3 && level.Count > 0; d++)
            {
                level = [.. level.SelectMany(s => below[s.Id])];
                team.AddRange(level);
            }

            return team;
        }

        var (supervisor, teamSeats) = seats
            .Where(s => s.Kind == "District")
            .Select(s => (Seat: s, Team: TeamOf(s).Where(t => t.Holders.Length > 0).ToList()))
            .Where(x => x.Team.Count > 0 && x.Team.Count <= a.Team / 2)
            .OrderByDescending(x => x.Team.Count)
            .ThenBy(x => x.Seat.Id, StringComparer.Ordinal)
            .FirstOrDefault();
        if (supervisor is null)
        {
            throw new InvalidOperationException($"No district seat has between 1 and {a.Team / 2} posted seats below it.");
        }

        var teamDistrict = roster.DistrictOf(supervisor);
        var teamIds = teamSeats.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var nextNumber = roster.HighestOfficerNumber;
        var added = new List<AddedOfficer>();
        AddedOfficer Add(BenchSeat seat)
        {
            var o = new AddedOfficer($"OFF-{++nextNumber:D6}", (9_999_000_000L + added.Count).ToString(System.Globalization.CultureInfo.InvariantCulture), seat.Id);
            added.Add(o);
            return o;
        }

        // Pool and single seat: two block seats of one department with a block-level category, in two other districts.
        BenchSeat? poolSeat = null, singleSeat = null;
        BenchCategory? category = null;
        if (roster.HasPools)
        {
            var blockCategories = roster.Categories.Where(c => c.ResolutionLevel == "Block").ToLookup(c => c.DepartmentId, StringComparer.Ordinal);
            var pair = seats
                .Where(s => s.Kind == "Block" && s.Holders.Length == 1 && blockCategories.Contains(s.DepartmentId) && roster.DistrictOf(s) != teamDistrict)
                .GroupBy(s => s.DepartmentId, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.DistinctBy(s => roster.DistrictOf(s)).Take(2).ToList())
                .FirstOrDefault(g => g.Count == 2);
            if (pair is not null)
            {
                (poolSeat, singleSeat) = (pair[0], pair[1]);
                category = blockCategories[poolSeat.DepartmentId].First();
            }
        }

        var teamOfficers = teamSeats.SelectMany(s => s.Holders).ToList();
        var poolSeats = new HashSet<string>(StringComparer.Ordinal);
        if (roster.HasPools)
        {
            var leaves = teamSeats.Where(s => GrassRoots.Contains(s.Kind)).ToList() is { Count: > 0 } g ? g : teamSeats;
            for (var i = 0; teamOfficers.Count < a.Team; i++)
            {
                var seat = leaves[i % leaves.Count];
                teamOfficers.Add(Add(seat).Id);
                poolSeats.Add(seat.Id);
            }

            if (poolSeat is not null)
            {
                for (var i = 1; i < a.Pool; i++)
                {
                    Add(poolSeat);
                }

                poolSeats.Add(poolSeat.Id);
            }

            // The rest: pool members of the grass-roots seats everywhere else, round-robin.
            var spread = seats.Where(s => GrassRoots.Contains(s.Kind) && !teamIds.Contains(s.Id) && s != poolSeat && s != singleSeat).ToList();
            var generated = roster.Officers;
            for (var i = 0; generated + added.Count < a.Officers && spread.Count > 0; i++)
            {
                var seat = spread[i % spread.Count];
                Add(seat);
                poolSeats.Add(seat.Id);
            }
        }

        // Who holds what: every posted officer of a department with categories.
        var seatOf = new Dictionary<string, BenchSeat>(StringComparer.Ordinal);
        foreach (var s in seats)
        {
            foreach (var o in s.Holders)
            {
                seatOf[o] = s;
            }
        }

        foreach (var o in added)
        {
            seatOf[o.Id] = byId[o.PositionId];
        }

        var open = Spread(seatOf.Keys, teamOfficers, a);

        // The board: the district (outside the team's and the registrations') with the most officers posted in it,
        // every department counted (those without categories hold nothing, but the board lists them too).
        var used = new HashSet<string?>([teamDistrict, poolSeat is null ? null : roster.DistrictOf(poolSeat), singleSeat is null ? null : roster.DistrictOf(singleSeat)]);
        var inDistrict = roster.Seats.SelectMany(s => s.Holders.Select(o => (Officer: o, Seat: s)))
            .Concat(added.Select(o => (Officer: o.Id, Seat: byId[o.PositionId])))
            .Select(x => (x.Officer, District: roster.DistrictOf(x.Seat), x.Seat.DepartmentId))
            .Where(x => x.District is not null && !used.Contains(x.District))
            .ToList();
        var board = inDistrict.GroupBy(x => x.District!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First();
        var department = board.GroupBy(x => x.DepartmentId, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First();

        return new WorkloadPlan(
            supervisor, teamSeats, teamOfficers, poolSeat, singleSeat, category, added, [.. poolSeats.Order(StringComparer.Ordinal)],
            board.Key, department.Key, board.Count(), department.Count(), open, seatOf);
    }

    // The team holds its share unevenly (from a fifth of the mean to nearly twice it, by officer id), so rebalancing has
    // work to do; everyone else holds the rest evenly.
    private static Dictionary<string, int> Spread(IEnumerable<string> officers, IReadOnlyList<string> team, WorkloadBenchArguments a)
    {
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        var teamSet = team.ToHashSet(StringComparer.Ordinal);
        var ordered = team.Order(StringComparer.Ordinal).ToList();
        var mean = a.TeamGrievances / (double)ordered.Count;
        var (lo, hi) = (mean / 5, (2 * mean) - (mean / 5));
        var given = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            var n = i == ordered.Count - 1
                ? a.TeamGrievances - given
                : (int)Math.Round(lo + ((hi - lo) * i / Math.Max(1, ordered.Count - 1)));
            n = Math.Max(0, Math.Min(n, a.TeamGrievances - given));
            open[ordered[i]] = n;
            given += n;
        }

        var others = officers.Where(o => !teamSet.Contains(o)).Order(StringComparer.Ordinal).ToList();
        var rest = a.Grievances - given;
        for (var i = 0; i < others.Count; i++)
        {
            open[others[i]] = (rest / others.Count) + (i < rest % others.Count ? 1 : 0);
        }

        return open;
    }
}
