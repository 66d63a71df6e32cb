using Helpline.Catalogue;
using Helpline.Jurisdictions;

namespace Helpline.Tests.Officers;

/// <summary>A small, fixed catalogue for roster and routing tests (the real one is another module's).</summary>
internal sealed class FakeCatalogue(IReadOnlyList<Department> departments, IReadOnlyList<Category> categories) : ICatalogue
{
    private static readonly SlaPolicy Sla = new([7, 7, 7, 7]);

    public static Department Revenue { get; } = new("revenue", "Revenue", "राजस्व", new Dictionary<JurisdictionKind, string>
    {
        [JurisdictionKind.State] = "Chairman, Board of Revenue",
        [JurisdictionKind.Division] = "Divisional Commissioner",
        [JurisdictionKind.District] = "District Magistrate",
        [JurisdictionKind.Tehsil] = "Tehsildar",
    });

    public static Department RuralDevelopment { get; } = new("rural-development", "Rural Development", null, new Dictionary<JurisdictionKind, string>
    {
        [JurisdictionKind.State] = "Commissioner, Rural Development",
        [JurisdictionKind.Division] = "Joint Development Commissioner",
        [JurisdictionKind.District] = "Chief Development Officer",
        [JurisdictionKind.Block] = "Block Development Officer",
    });

    /// <summary>No division seat: a body's supervisor chain skips from district to state.</summary>
    public static Department UrbanDevelopment { get; } = new("urban-development", "Urban Development", null, new Dictionary<JurisdictionKind, string>
    {
        [JurisdictionKind.State] = "Director, Local Bodies",
        [JurisdictionKind.District] = "Project Officer, DUDA",
        [JurisdictionKind.UrbanLocalBody] = "Executive Officer",
    });

    /// <summary>Has no seats at all.</summary>
    public static Department Energy { get; } = new("energy", "Energy", null, new Dictionary<JurisdictionKind, string>());

    public static IReadOnlyList<Category> StandardCategories { get; } =
    [
        new("rd-pension-delay", "Old-age pension not received", "rural-development", JurisdictionKind.Block, Sla, "test"),
        new("rd-district-scheme", "District scheme grievance", "rural-development", JurisdictionKind.District, Sla, "test"),
        new("rev-mutation-delay", "Mutation (dakhil kharij) delayed", "revenue", JurisdictionKind.Tehsil, Sla, "test"),
        new("urb-sanitation", "Garbage not collected", "urban-development", JurisdictionKind.UrbanLocalBody, Sla, "test"),
        new("energy-billing", "Wrong electricity bill", "energy", JurisdictionKind.District, Sla, "test"),
    ];

    /// <summary>Seats per department in UP: revenue 1+18+75+352, rural development 1+18+75+828, urban development 1+75+762.</summary>
    public const int StandardPositionCount = 446 + 922 + 838;

    public static FakeCatalogue Standard() => new([Energy, Revenue, RuralDevelopment, UrbanDevelopment], StandardCategories);

    public IReadOnlyList<Department> Departments => departments;

    public IReadOnlyList<Category> Categories => categories;

    public Department? FindDepartment(string id) => departments.FirstOrDefault(d => d.Id == id);

    public Category? FindCategory(string id) => categories.FirstOrDefault(c => c.Id == id);

    public bool IsRetired(string categoryId) => false;
}
