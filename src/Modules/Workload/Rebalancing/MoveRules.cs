using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Officers.Workload;
using Helpline.Workload.Boards;

namespace Helpline.Workload.Rebalancing;

/// <summary>Why a move may not be made: the outcome codes of a refused move.</summary>
internal static class MoveRefusal
{
    public const string NotInTeam = "NOT_IN_TEAM";
    public const string NotHeld = "GRIEVANCE_NOT_HELD";
    public const string OnLeave = "TARGET_ON_LEAVE";
    public const string AtCapacity = "TARGET_AT_CAPACITY";
    public const string OtherDepartment = "OTHER_DEPARTMENT";
    public const string OtherLevel = "OTHER_LEVEL";
    public const string OutsideJurisdiction = "OUTSIDE_JURISDICTION";
    public const string NoLongerBalances = "NO_LONGER_BALANCES";
    public const string SameOfficer = "SAME_OFFICER";
}

/// <summary>
/// The rules no move may break, checked when a move is proposed and again when it is applied: the grievance stays with
/// its department (the category-to-department rule: the department it was routed to), at its level (a seat at the
/// same tier of the administration as the seat holding it), and inside the area it belongs to (the new seat's
/// jurisdiction contains the grievance's place); the officer taking it is at work and below their capacity.
/// </summary>
internal sealed class MoveRules(IOfficerDirectory officers, IJurisdictionDirectory jurisdictions)
{
    /// <summary>Null when <paramref name="to"/> may take <paramref name="g"/> from <paramref name="from"/>; else the refusal code and why.</summary>
    public (string Code, string Why)? Check(TrackedGrievance g, TeamMember from, TeamMember to, int toOpen)
    {
        if (to.Officer.Id == from.Officer.Id)
        {
            return (MoveRefusal.SameOfficer, $"officer {to.Officer.Id} already holds it");
        }

        if (to.OnLeave)
        {
            return (MoveRefusal.OnLeave, $"officer {to.Officer.Id} is on leave");
        }

        var department = g.DepartmentId ?? from.Seat.DepartmentId;
        if (to.Seat.DepartmentId != department)
        {
            return (MoveRefusal.OtherDepartment, $"seat {to.Seat.Id} is of department {to.Seat.DepartmentId}; the grievance is with {department}");
        }

        var heldAt = (g.PositionId is { } p ? officers.FindPosition(p) : null) ?? from.Seat;
        if (Tier(to.Seat) != Tier(heldAt))
        {
            return (MoveRefusal.OtherLevel, $"seat {to.Seat.Id} ({Tier(to.Seat)}) is at another level than {heldAt.Id} ({Tier(heldAt)}), where the grievance is at L{g.Level}");
        }

        var place = g.JurisdictionId ?? heldAt.JurisdictionId;
        if (!jurisdictions.IsWithin(place, to.Seat.JurisdictionId))
        {
            return (MoveRefusal.OutsideJurisdiction, $"the grievance's place {place} is outside {to.Seat.JurisdictionId}, the area of seat {to.Seat.Id}");
        }

        if (toOpen >= to.Capacity)
        {
            return (MoveRefusal.AtCapacity, $"officer {to.Officer.Id} holds {toOpen} open of capacity {to.Capacity}");
        }

        return null;
    }

    // The tier of a seat is the kind of place it serves (tehsil, district, division, state): seats of one department at
    // one kind of place are one level of its chain.
    private string Tier(Position seat) => jurisdictions.Find(seat.JurisdictionId)?.Kind.ToString() ?? seat.JurisdictionId;
}
