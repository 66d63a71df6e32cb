using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Sla;
using Helpline.Sla.Calendar;
using Helpline.Sla.Engine;
using Helpline.Sla.Storage;
using Npgsql;

namespace Helpline.Tests.Sla;

/// <summary>
/// A small world for SLA tests: a jurisdiction tree (Uttar Pradesh with two districts, and Boston as another root),
/// two categories, and helpers for IST instants. The 2026 dates used: Fri 23 Jan, Mon 26 Jan (Republic Day),
/// Sun 1 Feb, Mon 2 Feb ... Fri 6 Feb, Sat 7, Sun 8, Mon 9, Tue 10, Wed 11 Feb.
/// </summary>
internal static class SlaTestWorld
{
    public const string State = "state:9";
    public const string Division = "division:lucknow";
    public const string Lucknow = "district:162";
    public const string LucknowBlock = "block:1330";
    public const string Unnao = "district:163";
    public const string UnnaoBlock = "block:1400";
    public const string Boston = "city:boston";
    public const string Roxbury = "area:roxbury";

    /// <summary>Catalogue SLA 7, 5, 3, 2 calendar days at L1..L4.</summary>
    public const string Pension = "rd-pension-delay";

    /// <summary>Catalogue SLA 7 days at every level.</summary>
    public const string Streetlight = "ud-streetlight";

    public static TreeDirectory Tree { get; } = new(
    [
        new(State, "Uttar Pradesh", JurisdictionKind.State, null, "9"),
        new(Division, "Lucknow Division", JurisdictionKind.Division, State, null),
        new(Lucknow, "Lucknow", JurisdictionKind.District, Division, "162"),
        new(LucknowBlock, "Mohanlalganj", JurisdictionKind.Block, Lucknow, "1330"),
        new(Unnao, "Unnao", JurisdictionKind.District, Division, "163"),
        new(UnnaoBlock, "Bighapur", JurisdictionKind.Block, Unnao, "1400"),
        new(Boston, "Boston", JurisdictionKind.City, null, null),
        new(Roxbury, "Roxbury", JurisdictionKind.Area, Boston, null),
    ]);

    public static TestCatalogue Categories { get; } = new(
    [
        new(Pension, "Old-age pension not received", "rural-development", JurisdictionKind.Block, new SlaPolicy([7, 5, 3, 2]), "test"),
        new(Streetlight, "Street light not working", "urban-development", JurisdictionKind.UrbanLocalBody, new SlaPolicy([7, 7, 7, 7]), "test"),
    ]);

    public static Holiday RepublicDay { get; } = new(new DateOnly(2026, 1, 26), "Republic Day", State);

    /// <summary>A local holiday of Lucknow district on Monday 9 Feb 2026.</summary>
    public static Holiday LucknowLocalHoliday { get; } = new(new DateOnly(2026, 2, 9), "Lucknow local holiday", Lucknow);

    /// <summary>Monday to Saturday, 10:00 to 17:00.</summary>
    public static WorkingCalendar SixDayWeek { get; } = new(
        "six-day-week",
        "Monday to Saturday, 10:00 to 17:00 IST",
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday],
        new TimeOnly(10, 0),
        new TimeOnly(17, 0));

    /// <summary>An instant given as IST wall-clock time.</summary>
    public static DateTimeOffset Ist(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, new TimeSpan(5, 30, 0));

    /// <summary>The default calendar (Mon–Fri 10:00–17:00) with the given holidays.</summary>
    public static SlaCalendar DefaultCalendar(params Holiday[] holidays) => new(WorkingCalendar.Default, holidays);

    /// <summary>An engine over an in-memory snapshot (no database is touched).</summary>
    public static SlaEngine Engine(
        IEnumerable<Holiday>? holidays = null,
        IEnumerable<PolicyOverride>? overrides = null,
        IEnumerable<WorkingCalendar>? calendars = null,
        IEnumerable<KeyValuePair<string, string>>? assignments = null)
    {
        var store = new SlaStore(NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused"));
        store.Publish(SlaSnapshot.Create(
            store.NextSequence(),
            calendars ?? [WorkingCalendar.Default],
            assignments ?? [new(State, WorkingCalendar.DefaultId)],
            holidays ?? [],
            overrides ?? []));
        return new SlaEngine(store, Categories, Tree);
    }
}

/// <summary>A fixed jurisdiction tree.</summary>
internal sealed class TreeDirectory(IReadOnlyList<Jurisdiction> nodes) : IJurisdictionDirectory
{
    private readonly Dictionary<string, Jurisdiction> _byId = nodes.ToDictionary(n => n.Id);

    public IReadOnlyList<Jurisdiction> Roots => [.. nodes.Where(n => n.ParentId is null)];

    public Jurisdiction? Find(string id) => _byId.GetValueOrDefault(id);

    public IReadOnlyList<Jurisdiction> ChildrenOf(string id) => [.. nodes.Where(n => n.ParentId == id).OrderBy(n => n.Name)];

    public IReadOnlyList<Jurisdiction> PathToRoot(string id)
    {
        var path = new List<Jurisdiction>();
        for (var node = Find(id); node is not null; node = node.ParentId is null ? null : Find(node.ParentId))
        {
            path.Add(node);
        }

        return path;
    }

    public bool IsWithin(string id, string ancestorId) => PathToRoot(id).Any(n => n.Id == ancestorId);
}

/// <summary>A fixed catalogue of categories (no departments needed here).</summary>
internal sealed class TestCatalogue(IReadOnlyList<Category> categories) : ICatalogue
{
    public IReadOnlyList<Department> Departments => [];

    public IReadOnlyList<Category> Categories => categories;

    public Department? FindDepartment(string id) => null;

    public Category? FindCategory(string id) => categories.FirstOrDefault(c => c.Id == id);

    public bool IsRetired(string categoryId) => false;
}
