using Helpline.Grievances.Grains;
using Helpline.Officers.Workload;

namespace Helpline.Grievances.Domain.Lifecycle;

/// <summary>What others see of a grievance's state: the contract record, and the entry its holder tracks.</summary>
internal static class GrievanceView
{
    /// <summary>The grievance as it stands (the request shows the current category).</summary>
    public static Grievance Of(GrievanceState s) => new(
        s.ReferenceNumber!,
        s.CurrentCategoryId is { } current ? s.Request! with { CategoryId = current } : s.Request!,
        s.Status,
        s.DepartmentId,
        s.PositionId,
        s.OfficerId,
        s.Level,
        s.RegisteredAt,
        s.DueAt,
        s.Breached,
        s.BreachedAtTop,
        s.ClosedAt,
        s.Disposal,
        s.Timeline.ToArray(),
        s.Status == GrievanceStatus.Open ? s.AtRiskAt : null,
        s.OnHoldSince,
        s.SlaStartedAt,
        s.Pauses.ToArray(),
        s.PendingReturn);

    /// <summary>
    /// The deadline entry the holder keeps for an open grievance with a due date, or null when there is nothing to
    /// track. Its deadline is disarmed once breached at the top or while on hold.
    /// </summary>
    public static TrackedGrievance? Tracked(GrievanceState s, string grainKey) =>
        s.Status == GrievanceStatus.Open && s.DueAt is { } due
            ? new TrackedGrievance(
                grainKey,
                s.ReferenceNumber!,
                due,
                !s.BreachedAtTop && s.OnHoldSince is null,
                s.AtRiskAt,
                s.OnHoldSince is not null,
                s.AtRiskAnnounced,
                s.PositionId,
                s.Level,
                s.DepartmentId,
                s.CurrentCategoryId ?? s.Request!.CategoryId,
                s.Request!.JurisdictionId,
                s.RegisteredAt)
            : null;
}
