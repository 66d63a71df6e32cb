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

    /// <summary>When the warning share of the current level's allowance is used (UTC).</summary>
    [Id(14)] public DateTimeOffset? AtRiskAt { get; set; }

    /// <summary>When the current level's clock started.</summary>
    [Id(15)] public DateTimeOffset SlaStartedAt { get; set; }

    /// <summary>Pauses at the current level.</summary>
    [Id(16)] public List<Helpline.Sla.SlaPause> Pauses { get; set; } = [];

    /// <summary>On hold since (UTC); null while the clock runs.</summary>
    [Id(17)] public DateTimeOffset? OnHoldSince { get; set; }

    /// <summary>Whether the at-risk warning of the current level has been given.</summary>
    [Id(18)] public bool AtRiskAnnounced { get; set; }

    /// <summary>The current category when it differs from the registered one (re-categorised).</summary>
    [Id(19)] public string? CurrentCategoryId { get; set; }

    /// <summary>True while the current due date is the source system's own (an imported L1), not computed by Helpline.</summary>
    [Id(20)] public bool DueFromSource { get; set; }

    /// <summary>How the current level's clock was started when that is not the plain rule (after a re-categorisation); null otherwise.</summary>
    [Id(21)] public string? ClockNote { get; set; }

    /// <summary>
    /// The shared-data log position the storing silo had applied: a silo behind it catches up before acting, so a
    /// grievance is never handled with reference data older than it was last handled with.
    /// </summary>
    [Id(22)] public long SharedDataPosition { get; set; }

    /// <summary>The last call-back whose outcome was applied: applying it again changes nothing.</summary>
    [Id(23)] public string? LastCallBackId { get; set; }

    /// <summary>The return the L1 officer asked for, until the L2 officer decides it or it lapses (the grievance left the seat).</summary>
    [Id(24)] public PendingReturn? PendingReturn { get; set; }

    /// <summary>The client request ids of the calls linked to it (linkCall): the same id again links nothing more.</summary>
    [Id(25)] public List<string> LinkedCallRequestIds { get; set; } = [];

    /// <summary>A copy to change without touching this one: the lists are new, their elements are immutable records.</summary>
    public GrievanceState Copy()
    {
        var copy = (GrievanceState)MemberwiseClone();
        copy.Timeline = [.. Timeline];
        copy.Pauses = [.. Pauses];
        copy.LinkedCallRequestIds = [.. LinkedCallRequestIds];
        return copy;
    }
}
