namespace Helpline.Jurisdictions;

/// <summary>The kind of an administrative unit. Uttar Pradesh uses State to UrbanLocalBody; imported systems use City and Area.</summary>
public enum JurisdictionKind
{
    /// <summary>A state, the root of an Indian tree.</summary>
    State = 0,
    /// <summary>A revenue division (mandal), grouping districts.</summary>
    Division = 1,
    /// <summary>A district.</summary>
    District = 2,
    /// <summary>A tehsil (sub-district), under a district.</summary>
    Tehsil = 3,
    /// <summary>A rural development block, under a district.</summary>
    Block = 4,
    /// <summary>An urban local body (nagar nigam, nagar palika parishad, nagar panchayat), under a district.</summary>
    UrbanLocalBody = 5,
    /// <summary>A village or gram panchayat (not loaded yet; reserved).</summary>
    Village = 6,
    /// <summary>The root of an imported foreign system, for example Boston.</summary>
    City = 7,
    /// <summary>An area (neighbourhood, borough) under an imported city.</summary>
    Area = 8,
}

/// <summary>
/// One node of the jurisdiction tree. <see cref="Id"/> is stable and kind-prefixed, for example <c>state:9</c>,
/// <c>division:lucknow</c>, <c>district:162</c>, <c>tehsil:780</c>, <c>block:1234</c>, <c>ulb:800123</c>;
/// LGD codes come from the Local Government Directory (lgdirectory.gov.in).
/// </summary>
/// <param name="Id">Stable id, kind-prefixed.</param>
/// <param name="Name">English name as published.</param>
/// <param name="Kind">Administrative kind.</param>
/// <param name="ParentId">Parent node's id; null for a root.</param>
/// <param name="LgdCode">Local Government Directory code, when the unit has one.</param>
[GenerateSerializer]
[Alias("helpline.jurisdiction")]
public sealed record Jurisdiction(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] JurisdictionKind Kind,
    [property: Id(3)] string? ParentId,
    [property: Id(4)] string? LgdCode);

/// <summary>
/// Read access to the jurisdiction tree, held in memory (a few thousand nodes). All lookups are O(1) or O(depth).
/// </summary>
public interface IJurisdictionDirectory
{
    /// <summary>The roots: Uttar Pradesh and any imported cities.</summary>
    IReadOnlyList<Jurisdiction> Roots { get; }

    /// <summary>The node with this id, or null.</summary>
    Jurisdiction? Find(string id);

    /// <summary>Direct children, ordered by name; empty for a leaf or an unknown id.</summary>
    IReadOnlyList<Jurisdiction> ChildrenOf(string id);

    /// <summary>The node and its ancestors, the node first and the root last; empty for an unknown id.</summary>
    IReadOnlyList<Jurisdiction> PathToRoot(string id);

    /// <summary>True when <paramref name="id"/> is <paramref name="ancestorId"/> or lies below it.</summary>
    bool IsWithin(string id, string ancestorId);
}
