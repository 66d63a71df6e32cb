using System.Globalization;

namespace Helpline.Accountability;

/// <summary>The figures of one office (officer, tehsil, block, district or department) in a month.</summary>
internal sealed record UnitFigures(
    string Level, string UnitId, long Disposals, long OnTime, long Satisfied, long Dissatisfied, long Pending, long Overdue, long Breaches, long CGrades, long Reopened);

/// <summary>One parameter's marks and how they were reached.</summary>
/// <param name="Measure">What it measures.</param>
/// <param name="Max">Its marks at best (for a deduction: the most it deducts).</param>
/// <param name="Count">The cases counted (on time, satisfied, within due, or the deducted cases).</param>
/// <param name="OutOf">What they are counted out of (a share's denominator; for a deduction, the same as the count).</param>
/// <param name="Marks">The marks it gives (negative for a deduction), to two decimals.</param>
/// <param name="Formula">The arithmetic in words.</param>
internal sealed record MarkLine(Measure Measure, double Max, long Count, long OutOf, double Marks, string Formula);

/// <summary>An office's marks in a month, with its rank among the offices of its level.</summary>
internal sealed record Score(UnitFigures Figures, IReadOnlyList<MarkLine> Lines, double Marks, double Total, double Percent, int Rank);

/// <summary>
/// The marks scheme's arithmetic. A share parameter gives its marks times the share (full marks when there was
/// nothing to measure: nothing was late); a deduction takes its marks per case, at most its maximum. An office's marks
/// are the sum of its lines (each to two decimals, so the breakdown adds up), never below zero; the percentage is of
/// the total of the share parameters, to two decimals, as UP publishes it.
/// Ranks are competition ranks (1, 2, 2, 4) by marks; ties are broken by marks for disposal within time, then
/// satisfied feedback, then more disposals; offices equal on all of these share a rank and are listed by id.
/// </summary>
internal static class RankingMath
{
    /// <summary>Whether the measure deducts marks.</summary>
    public static bool IsDeduction(Measure m) => m is Measure.DefaulterCases or Measure.CGradeDisposals or Measure.ReopenedDisposals;

    /// <summary>The scheme's total: the marks of its share parameters.</summary>
    public static double Total(IReadOnlyList<RankingParameterOptions> scheme) => scheme.Where(p => !IsDeduction(p.Measure)).Sum(p => p.Marks);

    /// <summary>Scores and ranks the offices of one level.</summary>
    public static IReadOnlyList<Score> Rank(IEnumerable<UnitFigures> units, IReadOnlyList<RankingParameterOptions> scheme)
    {
        var total = Total(scheme);
        var scored = units.Select(u => Score(u, scheme, total))
            .OrderByDescending(s => s.Marks)
            .ThenByDescending(s => LineMarks(s, Measure.DisposalWithinTime))
            .ThenByDescending(s => LineMarks(s, Measure.SatisfiedFeedback))
            .ThenByDescending(s => s.Figures.Disposals)
            .ThenBy(s => s.Figures.UnitId, StringComparer.Ordinal)
            .ToList();
        var ranked = new List<Score>(scored.Count);
        for (var i = 0; i < scored.Count; i++)
        {
            var tied = i > 0 && SameStanding(scored[i], scored[i - 1]);
            ranked.Add(scored[i] with { Rank = tied ? ranked[i - 1].Rank : i + 1 });
        }

        return ranked;
    }

    /// <summary>One office's lines and marks (rank 0 until ranked).</summary>
    public static Score Score(UnitFigures u, IReadOnlyList<RankingParameterOptions> scheme, double total)
    {
        var lines = scheme.Select(p => Line(u, p)).ToList();
        var marks = Math.Max(0, Round(lines.Sum(l => l.Marks)));
        return new Score(u, lines, marks, total, total == 0 ? 0 : Round(100 * marks / total), 0);
    }

    private static MarkLine Line(UnitFigures u, RankingParameterOptions p)
    {
        var c = CultureInfo.InvariantCulture;
        if (IsDeduction(p.Measure))
        {
            var cases = p.Measure switch { Measure.DefaulterCases => u.Breaches, Measure.CGradeDisposals => u.CGrades, _ => u.Reopened };
            var deducted = Round(Math.Min(p.Marks, p.PerCase * cases));
            return cases == 0
                ? new MarkLine(p.Measure, p.Marks, 0, 0, 0, "no cases: nothing deducted")
                : new MarkLine(p.Measure, p.Marks, cases, cases, 0 - deducted, string.Create(c, $"{cases} cases × {p.PerCase:0.##} marks, at most {p.Marks:0.##}: −{deducted:0.00}"));
        }

        var (count, outOf) = p.Measure switch
        {
            Measure.DisposalWithinTime => (u.OnTime, u.Disposals),
            Measure.SatisfiedFeedback => (u.Satisfied, u.Satisfied + u.Dissatisfied),
            _ => (u.Pending - u.Overdue, u.Pending),
        };
        if (outOf == 0)
        {
            return new MarkLine(p.Measure, p.Marks, 0, 0, Round(p.Marks), string.Create(c, $"nothing to measure: full {p.Marks:0.##} marks"));
        }

        var marks = Round(p.Marks * count / outOf);
        return new MarkLine(p.Measure, p.Marks, count, outOf, marks, string.Create(c, $"{count} / {outOf} × {p.Marks:0.##} = {marks:0.00}"));
    }

    private static bool SameStanding(Score a, Score b) =>
        a.Marks == b.Marks
        && LineMarks(a, Measure.DisposalWithinTime) == LineMarks(b, Measure.DisposalWithinTime)
        && LineMarks(a, Measure.SatisfiedFeedback) == LineMarks(b, Measure.SatisfiedFeedback)
        && a.Figures.Disposals == b.Figures.Disposals;

    private static double LineMarks(Score s, Measure m) => s.Lines.FirstOrDefault(l => l.Measure == m)?.Marks ?? 0;

    private static double Round(double v) => Math.Round(v, 2, MidpointRounding.AwayFromZero);
}
