namespace Helpline.Grievances.Grains;

/// <summary>
/// Persisted state of a grievance grain (Orleans state name <c>grievance</c>), stored with Orleans' binary
/// serializer: fields are matched by [Id], so renaming this type or its members keeps stored state readable;
/// never reuse or renumber an [Id].
/// </summary>
[GenerateSerializer]
[Alias("helpline.grievance-state")]
internal sealed class GrievanceState
{
    [Id(0)] public string? ReferenceNumber { get; set; }
    [Id(1)] public RegisterGrievance? Request { get; set; }
    [Id(2)] public GrievanceStatus Status { get; set; }
    [Id(3)] public string DepartmentId { get; set; } = "";
    [Id(4)] public string PositionId { get; set; } = "";
    [Id(5)] public string OfficerId { get; set; } = "";
    [Id(6)] public int Level { get; set; }
    [Id(7)] public DateTimeOffset RegisteredAt { get; set; }
    [Id(8)] public DateTimeOffset? DueAt { get; set; }
    [Id(9)] public bool Breached { get; set; }
    [Id(10)] public bool BreachedAtTop { get; set; }
    [Id(11)] public DateTimeOffset? ClosedAt { get; set; }
    [Id(12)] public string? Disposal { get; set; }
    [Id(13)] public List<TimelineEvent> Timeline { get; set; } = [];
}
