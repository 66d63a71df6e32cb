namespace Helpline.Accountability;

/// <summary>What a penalty rule counts.</summary>
public enum RuleKind
{
    /// <summary>Breaches of the due date (defaulter cases), less those on hold or cleared by a recompute.</summary>
    Breaches = 0,

    /// <summary>Dissatisfied call-backs as a share of answered ones (satisfied + dissatisfied).</summary>
    DissatisfiedShare = 1,

    /// <summary>Disposals reopened (by the complainant's call-back or on a new call).</summary>
    Reopened = 2,

    /// <summary>Disposals graded C by a supervisor (the grade standing now).</summary>
    CGrades = 3,

    /// <summary>Returns refused by the L2 officer (any kind), and returns as not pertaining after which the grievance came back to the seat.</summary>
    OverturnedReturns = 4,

    /// <summary>A supervisor: flags (not withdrawn) on the officers of their team in the period.</summary>
    TeamFlags = 5,
}

/// <summary>How long a rule's period is (IST calendar periods).</summary>
public enum RulePeriod
{
    /// <summary>A calendar month.</summary>
    Month = 0,

    /// <summary>An ISO week, Monday to Sunday.</summary>
    Week = 1,
}

/// <summary>One penalty rule: an officer is flagged once per period in which they meet it.</summary>
public sealed class PenaltyRuleOptions
{
    /// <summary>Stable name, shown on flags (lower-case letters, digits and hyphens).</summary>
    public string Name { get; set; } = "";

    /// <summary>What it counts.</summary>
    public RuleKind Kind { get; set; }

    /// <summary>The period it is counted over.</summary>
    public RulePeriod Period { get; set; } = RulePeriod.Month;

    /// <summary>Met at this many cases or more (for a share: this many dissatisfied at least).</summary>
    public int MinCount { get; set; } = 1;

    /// <summary>For <see cref="RuleKind.DissatisfiedShare"/>: met when the share is above this (0..1).</summary>
    public double Share { get; set; }

    /// <summary>For <see cref="RuleKind.DissatisfiedShare"/>: at least this many answered call-backs, so two calls do not decide it.</summary>
    public int MinSample { get; set; } = 1;
}

/// <summary>What a ranking parameter measures.</summary>
public enum Measure
{
    /// <summary>Disposals made by their due date, as a share of disposals.</summary>
    DisposalWithinTime = 0,

    /// <summary>Satisfied call-backs as a share of answered ones.</summary>
    SatisfiedFeedback = 1,

    /// <summary>Pending grievances within their due date at the month's end, as a share of those pending.</summary>
    PendencyWithinDue = 2,

    /// <summary>A deduction for grievances gone defaulter (breaches that count).</summary>
    DefaulterCases = 3,

    /// <summary>A deduction for disposals graded C.</summary>
    CGradeDisposals = 4,

    /// <summary>A deduction for disposals reopened.</summary>
    ReopenedDisposals = 5,
}

/// <summary>One parameter of the marks scheme.</summary>
public sealed class RankingParameterOptions
{
    /// <summary>What it measures.</summary>
    public Measure Measure { get; set; }

    /// <summary>For a share: the marks at 100%. For a deduction: the most it deducts.</summary>
    public double Marks { get; set; }

    /// <summary>For a deduction: marks deducted per case (capped at <see cref="Marks"/>).</summary>
    public double PerCase { get; set; }
}

/// <summary>Accountability settings (configuration section <c>Helpline:Accountability</c>); checked at start-up.</summary>
public sealed class AccountabilityOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Helpline:Accountability";

    /// <summary>The penalty rules; the default set when none is configured.</summary>
    public List<PenaltyRuleOptions> Rules { get; set; } = [];

    /// <summary>The marks scheme; UP's published basis (140 marks) when none is configured.</summary>
    public List<RankingParameterOptions> Ranking { get; set; } = [];

    /// <summary>The IST day of the month on which last month's ranking is computed (if it was not computed or skipped already).</summary>
    public int RankOnDay { get; set; } = 4;

    /// <summary>The most disposals one officer may grade in a month (UP: at least 30, at most 100).</summary>
    public int MaxGradesPerMonth { get; set; } = 100;

    /// <summary>The rules in force: those configured, or the defaults.</summary>
    public IReadOnlyList<PenaltyRuleOptions> RulesInForce => Rules.Count > 0 ? Rules : DefaultRules;

    /// <summary>The marks scheme in force.</summary>
    public IReadOnlyList<RankingParameterOptions> RankingInForce => Ranking.Count > 0 ? Ranking : DefaultRanking;

    /// <summary>Defaults: monthly, UP's defaulter and feedback practice; thresholds are the state's to set.</summary>
    public static IReadOnlyList<PenaltyRuleOptions> DefaultRules { get; } =
    [
        new() { Name = "breaches", Kind = RuleKind.Breaches, MinCount = 3 },
        new() { Name = "dissatisfied-share", Kind = RuleKind.DissatisfiedShare, Share = 0.5, MinCount = 1, MinSample = 10 },
        new() { Name = "reopened", Kind = RuleKind.Reopened, MinCount = 3 },
        new() { Name = "c-grades", Kind = RuleKind.CGrades, MinCount = 2 },
        new() { Name = "overturned-returns", Kind = RuleKind.OverturnedReturns, MinCount = 2 },
        new() { Name = "team-flags", Kind = RuleKind.TeamFlags, MinCount = 3 },
    ];

    /// <summary>
    /// 140 marks: 60 for disposal within time, 50 for satisfied feedback, 30 for pendency within the due date; 4 marks
    /// deducted when any grievance went defaulter and 4 when any disposal was graded C (UP's per-parameter table is
    /// not public; these follow its stated basis and deductions).
    /// </summary>
    public static IReadOnlyList<RankingParameterOptions> DefaultRanking { get; } =
    [
        new() { Measure = Measure.DisposalWithinTime, Marks = 60 },
        new() { Measure = Measure.SatisfiedFeedback, Marks = 50 },
        new() { Measure = Measure.PendencyWithinDue, Marks = 30 },
        new() { Measure = Measure.DefaulterCases, Marks = 4, PerCase = 4 },
        new() { Measure = Measure.CGradeDisposals, Marks = 4, PerCase = 4 },
    ];

    /// <summary>Every broken setting, named by its key with the rule it breaks.</summary>
    internal IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Rules.Count; i++)
        {
            var r = Rules[i];
            var key = $"{Section}:Rules:{i}";
            if (r.Name.Length is 0 or > 40 || !r.Name.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                problems.Add($"{key}:Name must be 1..40 lower-case letters, digits or hyphens (was '{r.Name}').");
            }
            else if (!names.Add(r.Name))
            {
                problems.Add($"{key}:Name '{r.Name}' is used by another rule.");
            }

            if (!Enum.IsDefined(r.Kind))
            {
                problems.Add($"{key}:Kind must be one of {string.Join(", ", Enum.GetNames<RuleKind>())}.");
            }

            if (r.MinCount < 1)
            {
                problems.Add($"{key}:MinCount must be at least 1.");
            }

            if (r.Kind == RuleKind.DissatisfiedShare && (r.Share is < 0 or >= 1 || double.IsNaN(r.Share) || r.MinSample < 1))
            {
                problems.Add($"{key}: a DissatisfiedShare rule needs Share in [0, 1) and MinSample at least 1.");
            }
        }

        for (var i = 0; i < Ranking.Count; i++)
        {
            var p = Ranking[i];
            var key = $"{Section}:Ranking:{i}";
            if (!Enum.IsDefined(p.Measure) || p.Marks is <= 0 or > 1000 || double.IsNaN(p.Marks))
            {
                problems.Add($"{key}: Measure must be known and Marks in (0, 1000].");
            }

            if (RankingMath.IsDeduction(p.Measure) != (p.PerCase > 0))
            {
                problems.Add($"{key}:PerCase must be above 0 for a deduction ({p.Measure}) and left out for a share.");
            }
        }

        if (Ranking.Count > 0 && Ranking.GroupBy(p => p.Measure).Any(g => g.Count() > 1))
        {
            problems.Add($"{Section}:Ranking names a measure twice.");
        }

        if (Ranking.Count > 0 && !Ranking.Any(p => !RankingMath.IsDeduction(p.Measure)))
        {
            problems.Add($"{Section}:Ranking needs at least one share parameter: the total is their marks.");
        }

        if (MaxGradesPerMonth is < 1 or > 10_000)
        {
            problems.Add($"{Section}:MaxGradesPerMonth must be 1..10000.");
        }

        if (RankOnDay is < 1 or > 28)
        {
            problems.Add($"{Section}:RankOnDay must be a day 1..28.");
        }

        return problems;
    }
}
