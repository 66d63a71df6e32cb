using Helpline.Jurisdictions;

namespace Helpline.Catalogue;

/// <summary>A state department that resolves grievances, for example <c>revenue</c>.</summary>
/// <param name="Id">Stable lower-case code.</param>
/// <param name="Name">English name.</param>
/// <param name="NameHindi">Hindi name, when known.</param>
/// <param name="SeatTitles">
/// The designation of the department's seat at each jurisdiction kind where it has one, for example
/// Tehsil: "Tehsildar", District: "District Magistrate". Kinds absent here have no seat of this department.
/// </param>
[GenerateSerializer]
[Alias("helpline.department")]
public sealed record Department(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? NameHindi,
    [property: Id(3)] IReadOnlyDictionary<JurisdictionKind, string> SeatTitles);

/// <summary>
/// How long each level has to dispose of a grievance, in calendar days: index 0 is L1 (UP gives L1 7 days),
/// then L2, L3 and L4. Always four entries, each at least 1.
/// </summary>
/// <param name="LevelDays">Calendar days allowed at L1..L4.</param>
[GenerateSerializer]
[Alias("helpline.sla-policy")]
public sealed record SlaPolicy([property: Id(0)] IReadOnlyList<int> LevelDays)
{
    /// <summary>Calendar days allowed at <paramref name="level"/> (1..4); levels above 4 get L4's allowance.</summary>
    public int DaysAt(int level) => LevelDays[Math.Clamp(level, 1, LevelDays.Count) - 1];
}

/// <summary>
/// A grievance category: what the complaint is about, which department resolves it, at which administrative
/// level it is first handled (its L1), and its SLA. <see cref="Source"/> says where the category comes from.
/// </summary>
/// <param name="Id">Stable code, for example <c>rev-mutation-delay</c>.</param>
/// <param name="Name">English name.</param>
/// <param name="DepartmentId">Resolving department.</param>
/// <param name="ResolutionLevel">Jurisdiction kind whose officer is L1.</param>
/// <param name="Sla">Allowance per level.</param>
/// <param name="Source">Provenance of the category (for example a CPGRAMS or DIGIT code).</param>
/// <param name="NameHindi">Hindi name, when known.</param>
/// <param name="Keywords">Words an agent may search the category by (English or Hindi); empty when none.</param>
[GenerateSerializer]
[Alias("helpline.category")]
public sealed record Category(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string DepartmentId,
    [property: Id(3)] JurisdictionKind ResolutionLevel,
    [property: Id(4)] SlaPolicy Sla,
    [property: Id(5)] string Source,
    [property: Id(6)] string? NameHindi = null,
    [property: Id(7)] IReadOnlyList<string>? Keywords = null);

/// <summary>Read access to departments and categories, held in memory.</summary>
public interface ICatalogue
{
    /// <summary>All departments, ordered by name.</summary>
    IReadOnlyList<Department> Departments { get; }

    /// <summary>
    /// The categories new grievances may choose now, ordered by department then name: those in force (an added one
    /// from its add's effective instant) and not retired.
    /// </summary>
    IReadOnlyList<Category> Categories { get; }

    /// <summary>The department with this id, or null.</summary>
    Department? FindDepartment(string id);

    /// <summary>
    /// The category with this id as in force now (administrative changes whose effective instant has come applied),
    /// retired ones included so that grievances under them keep working; null when unknown or not yet in force.
    /// </summary>
    Category? FindCategory(string id);

    /// <summary>Whether the category is retired now: grievances already under it keep it, new ones may not choose it.</summary>
    bool IsRetired(string categoryId);
}
