using System.Globalization;

namespace Helpline.LoadTests.AccountabilityBenchmark;

/// <summary>One statement of the module timed on its own (a diagnostic of where the time goes, not a goal).</summary>
internal sealed record StatementTiming(string Name, TimeSpan Time, long Rows);

/// <summary>The figures of one accountability-bench run.</summary>
internal sealed record AccountabilityBenchReport(
    AccountabilitySeed Seed,
    TimeSpan ReferenceFacts, long ReferenceFactRows, TimeSpan ReferenceHoldings, long ReferenceHoldingRows,
    TimeSpan Flagging, int Raised, int Withdrawn, IReadOnlyDictionary<string, long> FlagsByRule,
    TimeSpan Ranking, IReadOnlyDictionary<string, long> RowsByLevel, long OfficersWithFacts, long OfficersRanked,
    IReadOnlyList<StatementTiming> Statements, int Cores, bool ServerGc, string LoadBefore, string LoadAfter)
{
    public static readonly TimeSpan Goal = TimeSpan.FromSeconds(60);

    public TimeSpan Total => Flagging + Ranking;

    public TimeSpan Reference => ReferenceFacts + ReferenceHoldings;

    public bool GoalMet => Total < Goal;

    public string Verdict => string.Create(CultureInfo.InvariantCulture, $"accountability: flag+rank {Total.TotalSeconds:0.0} s (goal < 60 s): {(GoalMet ? "met" : "missed")}");

    public void Print(TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        string S(TimeSpan t) => t.TotalSeconds.ToString("0.000", c);
        string X(TimeSpan t) => (t / Reference).ToString("0.0", c);
        var s = Seed;
        o.WriteLine(string.Create(c, $"Accountability benchmark: November 2026 (IST), {s.Grievances:N0} grievances, {s.Officers:N0} officers under {s.Supervisors:N0} supervisors"));
        o.WriteLine(string.Create(c, $"  machine: {Cores} cores, server GC {ServerGc}; load average before {LoadBefore}; after {LoadAfter}"));
        o.WriteLine(string.Create(c, $"  places: {s.Districts} districts, {s.Tehsils} tehsils, {s.Blocks} blocks; {s.Departments} departments; grievances per officer: median {s.MedianPerOfficer}, max {s.MaxPerOfficer}"));
        o.WriteLine(string.Create(c, $"  seeded {s.Facts:N0} facts ({string.Join(", ", s.FactsByKind.Select(k => $"{k.Key} {k.Value:N0}"))})"));
        o.WriteLine(string.Create(c, $"  and {s.Holdings:N0} holding spans ({s.OpenAtMonthEnd:N0} open at the month's end, {s.OpenPastDue:N0} of them past due)"));
        o.WriteLine(string.Create(c, $"  schema {S(s.MigrateTime)} s, seed {S(s.SeedTime)} s, vacuum analyze {S(s.VacuumTime)} s (not part of the goal)"));
        o.WriteLine();
        o.WriteLine("  timing                                                   seconds   x reference");
        o.WriteLine(string.Create(c, $"  reference: fact count per officer over the month       {S(ReferenceFacts),8}   ({ReferenceFactRows:N0} officers)"));
        o.WriteLine(string.Create(c, $"  reference: holding count per officer over the month    {S(ReferenceHoldings),8}   ({ReferenceHoldingRows:N0} officers)"));
        o.WriteLine(string.Create(c, $"  reference (R): the two together                        {S(Reference),8}   1.0"));
        o.WriteLine(string.Create(c, $"  (a) Flagging.RunAsync, default rules, 2026-11          {S(Flagging),8}   {X(Flagging)}"));
        o.WriteLine(string.Create(c, $"  (b) MonthlyRankings.ComputeAsync 2026-11               {S(Ranking),8}   {X(Ranking)}"));
        o.WriteLine(string.Create(c, $"  (a)+(b)                                                {S(Total),8}   {X(Total)}"));
        o.WriteLine();
        o.WriteLine(string.Create(c, $"  flags raised {Raised:N0}, withdrawn {Withdrawn:N0}: {string.Join(", ", FlagsByRule.Select(k => $"{k.Key} {k.Value:N0}"))}"));
        o.WriteLine(string.Create(c, $"  ranking rows: {string.Join(", ", RowsByLevel.Select(k => $"{k.Key} {k.Value:N0}"))}; officers with facts or holdings {OfficersWithFacts:N0}, ranked {OfficersRanked:N0}"));
        o.WriteLine();
        o.WriteLine("  diagnostic, after the measured runs: the module's statements alone (same parameters, rows read, nothing written)");
        foreach (var t in Statements)
        {
            o.WriteLine(string.Create(c, $"    {t.Name,-52} {S(t.Time),8}   {X(t.Time)}   ({t.Rows:N0} rows)"));
        }

        o.WriteLine();
        o.WriteLine(Verdict);
    }
}
