using Helpline.Grievances;
using Helpline.Officers.Workload;
using Helpline.Platform.Errors;
using Helpline.Workload.Boards;
using Microsoft.Extensions.Logging;

namespace Helpline.Workload.Rebalancing;

/// <summary>A move a supervisor asks to apply: a grievance (reference number), from one officer to another.</summary>
internal sealed record MoveRequest(string ReferenceNumber, string FromOfficerId, string ToOfficerId);

/// <summary>What became of one requested move: <c>APPLIED</c>, <c>ALREADY_APPLIED</c>, or a refusal code with why.</summary>
internal sealed record MoveOutcome(MoveRequest Move, string Outcome, string Message, double? FromLoadAfter = null, double? ToLoadAfter = null)
{
    public const string Applied = "APPLIED";
    public const string AlreadyApplied = "ALREADY_APPLIED";

    public bool Done => Outcome is Applied or AlreadyApplied;
}

/// <summary>
/// Rebalancing for a supervisor's team: proposes moves from the team's live state, and applies the moves a supervisor
/// chose. Applying re-reads the team and checks every move again against what is true now (the grievance still held by
/// the officer it was planned from, the receiving officer still in the team, at work and below capacity, the rules,
/// and the move still narrowing the gap), move by move in the order given; a move that no longer holds is refused with
/// its reason and the others go on. Each applied move is the grievance's own transition (<see cref="IGrievanceGrain.Reassign"/>),
/// which checks the holder again atomically; its due date stays.
/// </summary>
internal sealed partial class Rebalancer(WorkloadBoards boards, MoveRules rules, IGrainFactory grains, TimeProvider clock, ILogger<Rebalancer> logger)
{
    /// <summary>The most moves one proposal or one request holds.</summary>
    public const int MaxMoves = 1000;

    public async Task<RebalancePlan> ProposeAsync(string supervisorPositionId, int depth, int maxMoves, Func<string, bool> inScope)
    {
        RequireMaxMoves(maxMoves, "maxMoves");
        var team = await boards.TeamAsync(boards.SeatsOfTeam(supervisorPositionId, depth).Where(p => inScope(p.Id)));
        return new RebalancePlanner(rules).Plan(team, clock.GetUtcNow(), maxMoves);
    }

    public async Task<IReadOnlyList<MoveOutcome>> ApplyAsync(string supervisorPositionId, int depth, IReadOnlyList<MoveRequest> moves, string actor, string? note, Func<string, bool> inScope)
    {
        RequireMaxMoves(moves.Count, "moves");
        var team = (await boards.TeamAsync(boards.SeatsOfTeam(supervisorPositionId, depth).Where(p => inScope(p.Id))))
            .ToDictionary(m => m.Officer.Id, StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var load = team.Values.ToDictionary(m => m.Officer.Id, m => WorkloadScore.Of(m.Open, now), StringComparer.Ordinal);
        var open = team.Values.ToDictionary(m => m.Officer.Id, m => m.Open.ToDictionary(g => g.ReferenceNumber, StringComparer.Ordinal), StringComparer.Ordinal);
        var outcomes = new List<MoveOutcome>(moves.Count);
        foreach (var move in moves)
        {
            outcomes.Add(await ApplyOneAsync(move, team, load, open, actor, note, now));
        }

        var (applied, refused) = (outcomes.Count(o => o.Outcome == MoveOutcome.Applied), outcomes.Count(o => !o.Done));
        LogApplied(actor, supervisorPositionId, applied, refused, moves.Count);
        return outcomes;
    }

    private async Task<MoveOutcome> ApplyOneAsync(
        MoveRequest move, Dictionary<string, TeamMember> team, Dictionary<string, double> load,
        Dictionary<string, Dictionary<string, TrackedGrievance>> open, string actor, string? note, DateTimeOffset now)
    {
        if (move.FromOfficerId == move.ToOfficerId)
        {
            return new MoveOutcome(move, MoveRefusal.SameOfficer, $"The move is from officer {move.FromOfficerId} to the same officer.");
        }

        if (!team.TryGetValue(move.FromOfficerId, out var from) || !team.TryGetValue(move.ToOfficerId, out var to))
        {
            var who = team.ContainsKey(move.FromOfficerId) ? move.ToOfficerId : move.FromOfficerId;
            return new MoveOutcome(move, MoveRefusal.NotInTeam, $"Officer {who} is not posted in this team now.");
        }

        if (open[to.Officer.Id].ContainsKey(move.ReferenceNumber))
        {
            return new MoveOutcome(move, MoveOutcome.AlreadyApplied, $"Officer {to.Officer.Id} already holds it.", load[from.Officer.Id], load[to.Officer.Id]);
        }

        if (!open[from.Officer.Id].TryGetValue(move.ReferenceNumber, out var g))
        {
            return new MoveOutcome(move, MoveRefusal.NotHeld, $"Officer {from.Officer.Id} no longer holds it open (disposed of, escalated, handed over or moved since the proposal).");
        }

        if (rules.Check(g, from, to, open[to.Officer.Id].Count) is { } broken)
        {
            return new MoveOutcome(move, broken.Code, Capitalised(broken.Why) + ".");
        }

        var weight = WorkloadScore.Weight(g, now);
        var (fromLoad, toLoad) = (load[from.Officer.Id], load[to.Officer.Id]);
        if (!from.OnLeave && fromLoad - toLoad <= weight)
        {
            return new MoveOutcome(
                move, MoveRefusal.NoLongerBalances,
                FormattableString.Invariant($"Officer {from.Officer.Id} now carries load {fromLoad} and officer {to.Officer.Id} {toLoad}: moving it (weight {weight}) would not narrow the gap."));
        }

        var reason = RebalancePlanner.Reason(from, to, fromLoad, toLoad, weight, WorkloadScore.Classify(g, now))
            + (string.IsNullOrWhiteSpace(note) ? "" : $" ({note.Trim()})");
        bool moved;
        try
        {
            moved = await grains.GetGrain<IGrievanceGrain>(g.GrievanceKey).Reassign(from.Officer.Id, to.Seat.Id, to.Officer.Id, actor, reason);
        }
        catch (HelplineException ex)
        {
            var code = ex.Code switch
            {
                GrievanceErrorCodes.HolderChanged => MoveRefusal.NotHeld,
                GrievanceErrorCodes.TargetNotServing => MoveRefusal.NotInTeam,
                _ => ex.Code,
            };
            return new MoveOutcome(move, code, ex.Message);
        }

        if (!moved)
        {
            // Another request (the same moves sent twice at once) moved it a moment ago: nothing was moved twice.
            return new MoveOutcome(move, MoveOutcome.AlreadyApplied, $"Officer {to.Officer.Id} already holds it.");
        }

        open[from.Officer.Id].Remove(g.ReferenceNumber);
        open[to.Officer.Id][g.ReferenceNumber] = g;
        load[from.Officer.Id] = fromLoad - weight;
        load[to.Officer.Id] = toLoad + weight;
        return new MoveOutcome(move, MoveOutcome.Applied, reason, fromLoad - weight, toLoad + weight);
    }

    private static void RequireMaxMoves(int count, string field)
    {
        if (count is < 1 or > MaxMoves)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"{field} must be 1..{MaxMoves} moves, not {count}.", field);
        }
    }

    private static string Capitalised(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} rebalanced the team below {PositionId}: {Applied} moves applied, {Refused} refused, of {Asked} asked")]
    private partial void LogApplied(string actor, string positionId, int applied, int refused, int asked);
}
