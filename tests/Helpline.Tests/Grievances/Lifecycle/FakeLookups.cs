using Helpline.Catalogue;
using Helpline.Grievances;
using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Grievances.Grains;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Platform.Errors;
using Helpline.Sla;

namespace Helpline.Tests.Grievances.Lifecycle;

/// <summary>
/// Reference data for lifecycle tests. Seat <c>D@L{n}</c> of department D is held by <c>OFF-D-L{n}</c>; water has five
/// seats in its chain (one above L4), roads two. Allowances are calendar days (water 2, 3, 4, 5; roads 1, 2, 3, 4),
/// warning at 75%, pauses add their elapsed time. Instants come back in IST, as the real engine gives them.
/// </summary>
internal sealed class FakeLookups : ILifecycleLookups
{
    public const string Water = "water-no-supply";
    public const string WaterMeter = "water-meter";
    public const string Roads = "roads-pothole";
    public const string Nowhere = "nowhere";

    private static readonly TimeSpan Ist = TimeSpan.FromHours(5.5);

    private static readonly Dictionary<string, (string Department, int[] Days)> Categories = new(StringComparer.Ordinal)
    {
        [Water] = ("water", [2, 3, 4, 5]),
        [WaterMeter] = ("water", [2, 3, 4, 5]),
        [Roads] = ("roads", [1, 2, 3, 4]),
    };

    private static readonly Dictionary<string, int> ChainLength = new(StringComparer.Ordinal) { ["water"] = 5, ["roads"] = 2 };

    /// <summary>Seats with nobody in them.</summary>
    public HashSet<string> Vacant { get; } = new(StringComparer.Ordinal);

    /// <summary>Categories whose policy is an override, with extra days added to every level (a policy change).</summary>
    public Dictionary<string, int> Overrides { get; } = new(StringComparer.Ordinal);

    /// <summary>Categories whose allowance counts working days (the arithmetic stays elapsed time).</summary>
    public HashSet<string> WorkingUnits { get; } = new(StringComparer.Ordinal);

    /// <summary>SLA computations fail (as for a jurisdiction the engine does not know).</summary>
    public bool FailCompute { get; set; }

    public static string Seat(string department, int level) => $"{department}@L{level}";

    public static string OfficerAt(string department, int level) => $"OFF-{department}-L{level}";

    /// <summary>Seats outside the chains: water's in another district of the same tree, water's under another root.</summary>
    public static readonly Position WaterAside = new("water@aside", "water seat aside", "water", "place-2", null);

    public static readonly Position WaterElsewhere = new("water@elsewhere", "water seat in another world", "water", "elsewhere", null);

    public string? RootOf(string jurisdictionId) => jurisdictionId switch
    {
        "place" or "place-2" => "root:here",
        "elsewhere" => "root:other",
        _ => null,
    };

    public string? DepartmentOf(string categoryId) => Categories.TryGetValue(categoryId, out var c) ? c.Department : null;

    public Assignment Route(string categoryId, string jurisdictionId)
    {
        var department = DepartmentOf(categoryId) ?? throw new HelplineException(CatalogueErrorCodes.UnknownCategory, "unknown", "categoryId");
        return jurisdictionId == Nowhere
            ? throw new HelplineException(OfficerErrorCodes.NoRoute, $"No seat for {categoryId} in {jurisdictionId}.", "jurisdictionId")
            : Assign(department, 1)!;
    }

    public Assignment? SupervisorOf(string positionId) =>
        Parse(positionId) is { } seat && seat.Level < ChainLength[seat.Department] ? Assign(seat.Department, seat.Level + 1) : null;

    public Position? FindPosition(string positionId) =>
        positionId == WaterAside.Id ? WaterAside : positionId == WaterElsewhere.Id ? WaterElsewhere :
        Parse(positionId) is { } seat ? new Position(positionId, $"{seat.Department} seat L{seat.Level}", seat.Department, "place", null) : null;

    public Officer? HolderOf(string positionId) =>
        positionId == WaterAside.Id || positionId == WaterElsewhere.Id ? new Officer("OFF-" + positionId, "Officer", "9999900000", positionId) :
        Parse(positionId) is { } seat && !Vacant.Contains(positionId) ? new Officer(OfficerAt(seat.Department, seat.Level), "Officer", "9999900000", positionId) : null;

    public bool ActsFor(string positionId, string officerId) => HolderOf(positionId)?.Id == officerId;

    public SlaEffectivePolicy Policy(string categoryId, int level)
    {
        var days = Categories[categoryId].Days[Math.Min(level, 4) - 1] + Overrides.GetValueOrDefault(categoryId);
        var unit = WorkingUnits.Contains(categoryId) ? SlaUnit.WorkingDays : SlaUnit.CalendarDays;
        var source = Overrides.ContainsKey(categoryId) ? SlaPolicySource.CategoryOverride : SlaPolicySource.CatalogueDefault;
        return new SlaEffectivePolicy(categoryId, Math.Min(level, 4), new SlaAllowance(unit, days), 0.75m, source);
    }

    public SlaComputation Compute(string categoryId, int level, string jurisdictionId, DateTimeOffset start, IReadOnlyList<SlaPause> pauses)
    {
        if (FailCompute)
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction '{jurisdictionId}'.", "jurisdictionId");
        }

        var policy = Policy(categoryId, level);
        var allowed = TimeSpan.FromDays(policy.Allowance.Amount);
        var paused = pauses.Aggregate(TimeSpan.Zero, (sum, p) => sum + (p.To - p.From));
        var due = (start + allowed + paused).ToOffset(Ist);
        var atRisk = (start + (allowed * 0.75) + paused).ToOffset(Ist);
        var explanation = new SlaExplanation(
            categoryId, level, policy.Level, policy.Source, policy.Allowance, policy.WarningShare, jurisdictionId,
            WorkingCalendar.Default, null, "IST (UTC+05:30)", start, start, allowed, [], [], due, atRisk, "fake");
        return new SlaComputation(due, atRisk, explanation);
    }

    public TimeSpan CountedTime(string jurisdictionId, SlaUnit unit, DateTimeOffset from, DateTimeOffset to) => to > from ? to - from : TimeSpan.Zero;

    public DateTimeOffset Extend(string jurisdictionId, SlaUnit unit, DateTimeOffset instant, DateTimeOffset pausedAt, DateTimeOffset resumedAt) =>
        (pausedAt >= instant ? instant : instant + (resumedAt - pausedAt)).ToOffset(Ist);

    private static Assignment? Assign(string department, int level) =>
        new(new Position(Seat(department, level), $"{department} seat L{level}", department, "place", level < ChainLength[department] ? Seat(department, level + 1) : null),
            new Officer(OfficerAt(department, level), "Officer", "9999900000", Seat(department, level)));

    private static (string Department, int Level)? Parse(string positionId)
    {
        var at = positionId.IndexOf("@L", StringComparison.Ordinal);
        return at > 0 && ChainLength.ContainsKey(positionId[..at]) && int.TryParse(positionId[(at + 2)..], out var level)
            ? (positionId[..at], level)
            : null;
    }
}

/// <summary>A lifecycle over <see cref="FakeLookups"/>, and grievances registered through it.</summary>
internal sealed class LifecycleWorld
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);

    public FakeLookups Lookups { get; } = new();

    public GrievanceLifecycle Lifecycle { get; }

    public LifecycleWorld() => Lifecycle = new GrievanceLifecycle(Lookups);

    public static RegisterGrievance Request(string category = FakeLookups.Water, GrievanceKind kind = GrievanceKind.Complaint, string jurisdiction = "place") => new(
        "req-1", kind, new Complainant("Ramesh Kumar", "9876543210"), jurisdiction, category, "No water for nine days.", Channel.Phone, "agent-17");

    /// <summary>A grievance registered at <see cref="T0"/>.</summary>
    public GrievanceState Registered(string category = FakeLookups.Water, GrievanceKind kind = GrievanceKind.Complaint)
    {
        var empty = new GrievanceState();
        return Lifecycle.Register(empty, Lifecycle.Admit(empty, Request(category, kind))!, 42, T0).State;
    }

    /// <summary>What the tests compare of a timeline event.</summary>
    public static (TimelineEventType Type, DateTimeOffset At, string Actor, string? Officer, int? Level, DateTimeOffset? Due) Shape(TimelineEvent e) =>
        (e.Type, e.At, e.Actor, e.OfficerId, e.Level, e.DueAt);
}
