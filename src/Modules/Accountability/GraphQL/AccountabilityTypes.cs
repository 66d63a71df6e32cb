using GraphQL.Types;
using Helpline.Accountability.Facts;
using Helpline.Accountability.Flags;
using Helpline.Accountability.Rankings;
using Helpline.Accountability.Review;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Accountability.GraphQL;

internal sealed class FlagStatusGraphType : EnumerationGraphType<FlagStatus>
{
    public FlagStatusGraphType()
    {
        Name = "PenaltyFlagStatus";
        Description = "Where a penalty flag stands.";
    }
}

/// <summary>A supervisor's decision on a flag.</summary>
internal enum FlagDecision
{
    /// <summary>The flag stands.</summary>
    Uphold = 0,

    /// <summary>The flag is withdrawn.</summary>
    Withdraw = 1,
}

internal sealed class FlagDecisionGraphType : EnumerationGraphType<FlagDecision>
{
    public FlagDecisionGraphType()
    {
        Name = "PenaltyFlagDecision";
        Description = "A supervisor's decision on a penalty flag.";
    }
}

internal sealed class DisposalGradeGraphType : EnumerationGraphType<DisposalGrade>
{
    public DisposalGradeGraphType()
    {
        Name = "DisposalGrade";
        Description = "A supervisor's grade of a disposal: A excellent, B general, C poor.";
    }
}

internal sealed class RankingLevelGraphType : EnumerationGraphType<RankingLevel>
{
    public RankingLevelGraphType()
    {
        Name = "RankingLevel";
        Description = "Which offices a ranking compares.";
    }
}

internal sealed class MeasureGraphType : EnumerationGraphType<Measure>
{
    public MeasureGraphType()
    {
        Name = "RankingMeasure";
        Description = "What a parameter of the marks scheme measures.";
    }
}

internal sealed class PenaltyFlagGraphType : ObjectGraphType<FlagRow>
{
    public PenaltyFlagGraphType()
    {
        Name = "PenaltyFlag";
        Description = "A penalty flag: an officer met a rule in a period. Raised once per officer, rule and period.";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.OfficerId).Description("The officer flagged (for a team rule: the supervisor).");
        Field(x => x.Rule).Description("The rule met.");
        Field(x => x.Period).Description("The period: a month (2026-11) or an ISO week (2026-W45), IST.");
        Field(x => x.PeriodFrom).Description("The period's start (UTC).");
        Field(x => x.PeriodTo).Description("The period's end, exclusive (UTC).");
        Field(x => x.PositionId, nullable: true).Description("The officer's seat at the latest case.");
        Field(x => x.SupervisorOfficerId, nullable: true).Description("The supervisor who answers for the officer, shown the flag.");
        Field(x => x.SupervisorPositionId, nullable: true).Description("The supervisor's seat.");
        Field(x => x.DepartmentId, nullable: true);
        Field(x => x.Figures).Description("The figures that met the rule, in words.");
        Field(x => x.Evidence).Description("The reference numbers of the grievances counted (at most 1000).");
        Field(x => x.RaisedAt);
        Field(x => x.Status, type: typeof(NonNullGraphType<FlagStatusGraphType>));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FlagReviewGraphType>>>>("reviews")
            .Description("Every review of the flag, oldest first; nothing is deleted.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<FlagStore>().ReviewsAsync(c.Source.Id, c.CancellationToken));
    }
}

internal sealed class FlagReviewGraphType : ObjectGraphType<FlagReviewRow>
{
    public FlagReviewGraphType()
    {
        Name = "PenaltyFlagReview";
        Field(x => x.Decision, type: typeof(NonNullGraphType<FlagStatusGraphType>)).Description("UPHELD or WITHDRAWN by a reviewer; WITHDRAWN or RAISED (again) by the system as the figures change.");
        Field(x => x.Reason);
        Field(x => x.ReviewedBy).Description("The supervisor, administrator, or system (figures that no longer meet the rule).");
        Field(x => x.ReviewedAt);
    }
}

internal sealed class GradeGraphType : ObjectGraphType<GradeRow>
{
    public GradeGraphType()
    {
        Name = "DisposalGradeRecord";
        Description = "A grade of a disposal; a later grade of the same disposal supersedes it (both are kept).";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.ReferenceNumber);
        Field(x => x.DisposalSequence).Description("The timeline entry of the disposal graded.");
        Field(x => x.Grade, type: typeof(NonNullGraphType<DisposalGradeGraphType>));
        Field(x => x.Remark);
        Field(x => x.GradedBy);
        Field(x => x.GradedAt);
        Field(x => x.SupersededAt, nullable: true);
        Field(x => x.OfficerId).Description("The officer whose disposal it is.");
    }
}

internal sealed class OfficerRecordGraphType : ObjectGraphType<OfficerRecordView>
{
    public OfficerRecordGraphType()
    {
        Name = "OfficerRecord";
        Description = "An officer's record in a month: each case counted against the officer who held the grievance when it happened.";
        Field<NonNullGraphType<StringGraphType>>("officerId").Resolve(c => c.Source.Figures.OfficerId);
        Field<NonNullGraphType<StringGraphType>>("period").Resolve(c => c.Source.Figures.Period);
        Field<NonNullGraphType<LongGraphType>>("disposals").Resolve(c => c.Source.Figures.Disposals);
        Field<NonNullGraphType<LongGraphType>>("disposedWithinTime").Resolve(c => c.Source.Figures.OnTime);
        Field<NonNullGraphType<LongGraphType>>("breaches").Resolve(c => c.Source.Figures.Breaches).Description("Breaches that count: defaulter cases.");
        Field<NonNullGraphType<LongGraphType>>("breachesExcused").Resolve(c => c.Source.Figures.BreachesExcused).Description("Breaches while on hold: they count against nobody.");
        Field<NonNullGraphType<LongGraphType>>("breachesCleared").Resolve(c => c.Source.Figures.BreachesCleared).Description("Breaches a recompute cleared: they count against nobody.");
        Field<NonNullGraphType<LongGraphType>>("reopened").Resolve(c => c.Source.Figures.Reopened);
        Field<NonNullGraphType<LongGraphType>>("satisfied").Resolve(c => c.Source.Figures.Satisfied);
        Field<NonNullGraphType<LongGraphType>>("dissatisfied").Resolve(c => c.Source.Figures.Dissatisfied);
        Field<NonNullGraphType<LongGraphType>>("cGrades").Resolve(c => c.Source.Figures.CGrades);
        Field<NonNullGraphType<LongGraphType>>("overturnedReturns").Resolve(c => c.Source.Figures.OverturnedReturns);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PenaltyFlagGraphType>>>>("flags").Resolve(c => c.Source.Flags);
    }
}

/// <summary>An officer's record with their flags in the period.</summary>
internal sealed record OfficerRecordView(OfficerFigures Figures, IReadOnlyList<FlagRow> Flags);

internal sealed class MarkLineGraphType : ObjectGraphType<MarkLine>
{
    public MarkLineGraphType()
    {
        Name = "RankingMarkLine";
        Description = "One parameter's marks and the figures behind them.";
        Field(x => x.Measure, type: typeof(NonNullGraphType<MeasureGraphType>));
        Field(x => x.Max).Description("Its marks at best; for a deduction, the most it deducts.");
        Field(x => x.Count).Description("The cases counted: on time, satisfied, within due, or deducted.");
        Field(x => x.OutOf).Description("What they are counted out of.");
        Field(x => x.Marks).Description("The marks given (negative for a deduction), to two decimals.");
        Field(x => x.Formula).Description("The arithmetic in words.");
    }
}

internal sealed class RankingRowGraphType : ObjectGraphType<RankingRow>
{
    public RankingRowGraphType()
    {
        Name = "RankingRow";
        Field(x => x.UnitId).Description("The officer, tehsil, block, district or department.");
        Field(x => x.Rank).Description("Competition rank (1, 2, 2, 4); see the ranking's tie rule.");
        Field(x => x.Marks);
        Field(x => x.Percent).Description("Marks as a percentage of the total, to two decimals.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MarkLineGraphType>>>>("breakdown").Resolve(c => c.Source.Lines);
    }
}

internal sealed class RankingGraphType : ObjectGraphType<RankingView>
{
    public RankingGraphType()
    {
        Name = "Ranking";
        Description =
            "A month's ranking at one level, from its latest run. Ranks are competition ranks by marks; ties are broken by marks for disposal within time, " +
            "then satisfied feedback, then more disposals; offices equal on all of these share a rank.";
        Field(x => x.Month).Description("yyyy-MM.");
        Field(x => x.Level, type: typeof(NonNullGraphType<RankingLevelGraphType>));
        Field<NonNullGraphType<StringGraphType>>("state").Resolve(c => c.Source.Run.State).Description("computed or skipped.");
        Field<StringGraphType>("reason").Resolve(c => c.Source.Run.Reason).Description("Why it was skipped.");
        Field<NonNullGraphType<StringGraphType>>("runBy").Resolve(c => c.Source.Run.RunBy);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("runAt").Resolve(c => c.Source.Run.RunAt);
        Field(x => x.Total).Description("The total marks of the scheme.");
        Field(x => x.Scheme).Description("The marks scheme of the run, as JSON.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RankingRowGraphType>>>>("rows").Resolve(c => c.Source.Rows);
    }
}

/// <summary>A stored ranking as served.</summary>
internal sealed record RankingView(string Month, RankingLevel Level, RankingRun Run, double Total, string Scheme, IReadOnlyList<RankingRow> Rows);

internal sealed class EvidenceGraphType : ObjectGraphType<EvidenceItem>
{
    public EvidenceGraphType()
    {
        Name = "RankingEvidence";
        Description = "A grievance behind a figure of a ranking.";
        Field(x => x.ReferenceNumber);
        Field(x => x.At).Description("When it counted (for pendency: when the holding began).");
        Field(x => x.Counted).Description("What it counted as.");
        Field(x => x.OfficerId).Description("The officer it counted against.");
    }
}
