using System.Security.Cryptography;
using System.Text;
using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Officers;

namespace Helpline.Grievances.Import;

/// <summary>
/// Creates, on first sight, an imported source's own world under its own jurisdiction root, separate from Uttar
/// Pradesh's: root <c>city:&lt;source&gt;</c>, areas <c>area:&lt;source&gt;:&lt;slug&gt;</c>, departments
/// <c>&lt;source&gt;-&lt;slug&gt;</c> with a head at the city and an area officer in each area (the area officer's
/// supervisor is the head), and categories <c>&lt;source&gt;-&lt;slug&gt;-&lt;hash&gt;</c> resolved at the area.
/// Ids are derived from the source's names, so the same export always maps to the same world.
/// </summary>
internal sealed class ImportWorld(
    IJurisdictionDirectory jurisdictions,
    IJurisdictionRegistry jurisdictionRegistry,
    ICatalogue catalogue,
    ICatalogueRegistry catalogueRegistry,
    IOfficerDirectory officers,
    IRosterRegistry rosterRegistry) : IDisposable
{
    // Allowances for levels above L1 of imported categories (L1's due date comes from the source record).
    private static readonly SlaPolicy ImportedPolicy = new([7, 7, 7, 7]);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Where one record lands.</summary>
    internal sealed record Placement(string JurisdictionId, string CategoryId);

    public static string RootId(string source) => $"city:{source}";

    public static string AreaId(string source, string area) => $"area:{source}:{Slug(area)}";

    public static string DepartmentId(string source, string department) => $"{source}-{Slug(department)}";

    public static string CategoryId(string source, string department, string category) =>
        $"{source}-{Slug(category)}-{Hash(department + "\n" + category)}";

    /// <summary>Places each record, creating whatever part of the world is missing in one write per registry.</summary>
    public async Task<IReadOnlyList<Placement>> EnsureAsync(IReadOnlyList<ImportRecord> records, CancellationToken cancellationToken)
    {
        var placements = records.Select(Place).ToList();
        if (records.All(IsKnown))
        {
            return placements;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var missing = records.Where(r => !IsKnown(r)).ToList();
            if (missing.Count == 0)
            {
                return placements; // another batch created it while this one waited
            }

            var nodes = new Dictionary<string, Jurisdiction>(StringComparer.Ordinal);
            var departments = new Dictionary<string, Department>(StringComparer.Ordinal);
            var categories = new Dictionary<string, Category>(StringComparer.Ordinal);
            var seats = new Dictionary<string, Position>(StringComparer.Ordinal);
            foreach (var r in missing)
            {
                var root = RootId(r.Source);
                nodes.TryAdd(root, new Jurisdiction(root, r.SourceName, JurisdictionKind.City, null, null));
                var jurisdictionId = root;
                if (r.Area is { } area)
                {
                    jurisdictionId = AreaId(r.Source, area);
                    nodes.TryAdd(jurisdictionId, new Jurisdiction(jurisdictionId, area, JurisdictionKind.Area, root, null));
                }

                var deptId = DepartmentId(r.Source, r.Department);
                var headTitle = $"Head, {r.Department}";
                var areaTitle = $"Area officer, {r.Department}";
                departments.TryAdd(deptId, catalogue.FindDepartment(deptId) ?? new Department(
                    deptId,
                    r.Department,
                    null,
                    new Dictionary<JurisdictionKind, string> { [JurisdictionKind.City] = headTitle, [JurisdictionKind.Area] = areaTitle }));
                var catId = CategoryId(r.Source, r.Department, r.Category);
                categories.TryAdd(catId, new Category(
                    catId, r.Category, deptId, JurisdictionKind.Area, ImportedPolicy, $"{r.SourceName} case type \"{r.Category}\" ({r.Source} import)"));

                var head = new Position($"{deptId}@{root}", headTitle, deptId, root, null);
                seats.TryAdd(head.Id, head);
                if (jurisdictionId != root)
                {
                    var areaSeat = new Position($"{deptId}@{jurisdictionId}", areaTitle, deptId, jurisdictionId, head.Id);
                    seats.TryAdd(areaSeat.Id, areaSeat);
                }
            }

            await jurisdictionRegistry.UpsertAsync(nodes.Values.Where(n => jurisdictions.Find(n.Id) is null).ToList(), cancellationToken);
            await catalogueRegistry.UpsertAsync(
                departments.Values.Where(d => catalogue.FindDepartment(d.Id) is null).ToList(),
                categories.Values.Where(c => catalogue.FindCategory(c.Id) is null).ToList(),
                cancellationToken);
            await rosterRegistry.EnsureSeatsAsync(
                seats.Values.Where(p => officers.FindPosition(p.Id) is null || officers.HolderOf(p.Id) is null).ToList(),
                cancellationToken);
            return placements;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static Placement Place(ImportRecord r) => new(
        r.Area is { } area ? AreaId(r.Source, area) : RootId(r.Source),
        CategoryId(r.Source, r.Department, r.Category));

    private bool IsKnown(ImportRecord r)
    {
        var place = Place(r);
        var deptId = DepartmentId(r.Source, r.Department);
        return jurisdictions.Find(place.JurisdictionId) is not null
            && catalogue.FindCategory(place.CategoryId) is not null
            && officers.HolderOf($"{deptId}@{place.JurisdictionId}") is not null
            && officers.HolderOf($"{deptId}@{RootId(r.Source)}") is not null;
    }

    /// <summary>Lower-case letters and digits joined by single hyphens; "x" when nothing is left.</summary>
    internal static string Slug(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(ch))
            {
                sb.Append(ch);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var slug = sb.ToString().Trim('-');
        if (slug.Length > 60)
        {
            slug = slug[..60].TrimEnd('-');
        }

        return slug.Length == 0 ? "x" : slug;
    }

    // Two case types can slug alike ("Pot-hole" and "Pot hole"); a short hash of the exact names keeps them apart.
    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..6];
}
