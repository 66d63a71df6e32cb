using GraphQL;
using GraphQL.Types;
using Helpline.Accountability.Facts;
using Helpline.Accountability.Flags;
using Helpline.Accountability.Rankings;
using Helpline.Accountability.Review;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Accountability.GraphQL;

/// <summary>The Accountability module's root fields: flags, officers' records, grades, and monthly rankings.</summary>
internal sealed partial class AccountabilityGraphQL : GraphQLPart
{
    private static readonly Role[] FlagReaders = [Role.Officer, Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner];
    private static readonly Role[] Reviewers = [Role.Supervisor, Role.Administrator];
    private static readonly Role[] EvidenceReaders = [Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner];

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PenaltyFlagGraphType>>>>("penaltyFlags")
            .AllowedTo(FlagReaders)
            .Description(
                "Penalty flags, newest first, within your view: an officer sees flags on themselves, a supervisor also those on the officers they supervise, " +
                "others those within their token's departments and places.")
            .Argument<StringGraphType>("officerId")
            .Argument<StringGraphType>("supervisorId", "Flags shown to this supervisor (on the officers they answer for).")
            .Argument<StringGraphType>("departmentId")
            .Argument<StringGraphType>("jurisdictionId", "The flagged officer's seat lies here or below.")
            .Argument<StringGraphType>("rule")
            .Argument<StringGraphType>("period", "2026-11 or 2026-W45.")
            .Argument<FlagStatusGraphType>("status")
            .Argument<IntGraphType>("first", $"At most {MaxPage}; {DefaultPage} when left out.")
            .MaxPage(MaxPage)
            .Argument<IntGraphType>("offset")
            .ResolveAsync(async c =>
            {
                var period = Key(c, "period");
                if (period is not null && !Period.IsName(period))
                {
                    throw new HelplineException(ErrorCodes.Invalid, "period must be a month (2026-11) or an ISO week (2026-W45).", "period");
                }

                var filter = new FlagFilter(
                    Key(c, "officerId"), Key(c, "supervisorId"), Key(c, "departmentId"), Key(c, "jurisdictionId"), Key(c, "rule"), period,
                    c.GetArgument<FlagStatus?>("status"));
                var (first, offset) = Page(c);
                return await Flags(c).ListAsync(filter, Caller.Of(c), TeamSeats(c), first, offset, c.CancellationToken);
            });

        query.Field<PenaltyFlagGraphType>("penaltyFlag")
            .AllowedTo(FlagReaders)
            .Description("One penalty flag with its reviews, if within your view.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await VisibleFlagAsync(c, FlagId(c)));

        query.Field<NonNullGraphType<OfficerRecordGraphType>>("officerRecord")
            .AllowedTo(FlagReaders)
            .Description("An officer's figures and flags in a month (an officer: their own; a supervisor: their team's).")
            .Argument<NonNullGraphType<StringGraphType>>("officerId")
            .Argument<NonNullGraphType<StringGraphType>>("month", "yyyy-MM (IST).")
            .ResolveAsync(async c =>
            {
                var officerId = Key(c, "officerId")!;
                var period = Period.Month(Month(c));
                RequireSees(c, officerId);
                var figures = await c.RequestServices!.GetRequiredService<OfficerRecord>().OfAsync(officerId, period, c.CancellationToken);
                var flags = await Flags(c).ListAsync(new FlagFilter(officerId, null, null, null, null, null, null), Caller.Of(c), TeamSeats(c), MaxPage, 0, c.CancellationToken);
                return new OfficerRecordView(figures, [.. flags.Where(f => f.PeriodFrom < period.To && f.PeriodTo > period.From)]);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<GradeGraphType>>>>("disposalGrades")
            .AllowedTo(EvidenceReaders)
            .Description("Every grade of a grievance's disposals, newest first (superseded ones too).")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .ResolveAsync(async c =>
            {
                var caller = Caller.Of(c);
                var grades = await c.RequestServices!.GetRequiredService<Grading>().OfAsync(Reference(c), c.CancellationToken);
                var team = TeamSeats(c);
                return grades.Where(g => caller.Role == Role.Supervisor
                    ? g.GradedBy == caller.Subject || team.Contains(g.PositionId ?? "")
                    : caller.Scope.Covers(new GrievanceCoordinates(g.DepartmentId, PathOf(c, g.JurisdictionId), g.PositionId ?? "", g.OfficerId))).ToList();
            });

        query.Field<RankingGraphType>("ranking")
            .AllowedTo(FieldAccess.Everyone)
            .Description("A month's ranking at one level, best first, with every office's marks broken down by parameter; null when the month was never ranked.")
            .Argument<NonNullGraphType<StringGraphType>>("month", "yyyy-MM (IST).")
            .Argument<NonNullGraphType<RankingLevelGraphType>>("level")
            .Argument<StringGraphType>("unitId", "Only this office's row.")
            .Argument<IntGraphType>("first", $"At most {MaxPage}; {DefaultPage} when left out.")
            .MaxPage(MaxPage)
            .Argument<IntGraphType>("offset")
            .ResolveAsync(async c =>
            {
                var month = Month(c);
                var level = c.GetArgument<RankingLevel>("level");
                var rankings = c.RequestServices!.GetRequiredService<MonthlyRankings>();
                if (await rankings.LatestAsync(month, c.CancellationToken) is not { } run)
                {
                    return null;
                }

                var (first, offset) = Page(c);
                var rows = run.State == "computed" ? await rankings.RowsAsync(run.Id, level, Key(c, "unitId"), first, offset, c.CancellationToken) : [];
                return (object)View(month, level, run, rows);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EvidenceGraphType>>>>("rankingEvidence")
            .AllowedTo(EvidenceReaders)
            .Description("The grievances behind one figure of an office's marks in a month's latest ranking, as that run counted them.")
            .Argument<NonNullGraphType<StringGraphType>>("month")
            .Argument<NonNullGraphType<RankingLevelGraphType>>("level")
            .Argument<NonNullGraphType<StringGraphType>>("unitId")
            .Argument<NonNullGraphType<MeasureGraphType>>("measure")
            .Argument<IntGraphType>("first")
            .MaxPage(MaxPage)
            .Argument<IntGraphType>("offset")
            .ResolveAsync(async c =>
            {
                var month = Month(c);
                var run = await c.RequestServices!.GetRequiredService<MonthlyRankings>().LatestAsync(month, c.CancellationToken);
                if (run is not { State: "computed" })
                {
                    throw new HelplineException(AccountabilityErrorCodes.NoRanking, $"{Period.Month(month).Name} has {(run is null ? "not been ranked" : "a skipped ranking")}.", "month");
                }

                var level = c.GetArgument<RankingLevel>("level");
                var unitId = Key(c, "unitId")!;
                RequireUnitInScope(c, level, unitId);
                var (first, offset) = Page(c);
                return await c.RequestServices!.GetRequiredService<Evidence>().ListAsync(run, level, unitId, c.GetArgument<Measure>("measure"), first, offset, c.CancellationToken);
            });
    }

    public override void AddMutationFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<GradeGraphType>>("gradeDisposal")
            .AllowedTo(Reviewers)
            .Description(
                "Grades a disposal of your team A (excellent), B (general) or C (poor) with a remark; the latest disposal unless disposalSequence names one. " +
                "A new grade of the same disposal supersedes the old (kept). A C grade counts against the officer who disposed of it. The same grade and remark again changes nothing.")
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<DisposalGradeGraphType>>("grade")
            .Argument<NonNullGraphType<StringGraphType>>("remark", $"1..{Grading.MaxRemark} characters.")
            .Argument<IntGraphType>("disposalSequence", "The timeline entry of the disposal; the latest disposal when left out.")
            .ResolveAsync(async c =>
            {
                var reference = Reference(c);
                var remark = Text(c, "remark", Grading.MaxRemark);
                var grading = c.RequestServices!.GetRequiredService<Grading>();
                var disposal = await grading.DisposalAsync(reference, c.GetArgument<int?>("disposalSequence"), c.CancellationToken)
                    ?? throw NoDisposal(c, reference);
                // A disposal outside the caller's view answers as one that does not exist: the answer tells nobody
                // which grievances exist or who disposed of them.
                var caller = Caller.Of(c);
                var own = disposal.OfficerId == caller.Subject || (disposal.PositionId is not null && disposal.PositionId == OwnSeat(c));
                var visible = caller.Role == Role.Supervisor
                    ? own || disposal.SupervisorOfficerId == caller.Subject || TeamSeats(c).Contains(disposal.PositionId ?? "")
                    : caller.Scope.Covers(new GrievanceCoordinates(disposal.DepartmentId, PathOf(c, disposal.JurisdictionId), disposal.PositionId ?? "", disposal.OfficerId));
                if (!visible)
                {
                    throw NoDisposal(c, reference);
                }

                if (own)
                {
                    throw new HelplineException(AccountabilityErrorCodes.NotTheSupervisor, "Nobody grades their own disposal, nor one made at their own seat.", "referenceNumber");
                }

                var id = await grading.GradeAsync(reference, disposal.Sequence, c.GetArgument<DisposalGrade>("grade"), remark, caller.Subject, Now(c), c.CancellationToken);
                return (await grading.OfAsync(reference, c.CancellationToken)).Single(g => g.Id == id);
            });

        mutation.Field<NonNullGraphType<PenaltyFlagGraphType>>("reviewPenaltyFlag")
            .AllowedTo(Reviewers)
            .Description("The supervisor who answers for the flagged officer (or an administrator) upholds or withdraws the flag with a reason; every review is kept.")
            .Argument<NonNullGraphType<IdGraphType>>("flagId")
            .Argument<NonNullGraphType<FlagDecisionGraphType>>("decision")
            .Argument<NonNullGraphType<StringGraphType>>("reason", $"1..{FlagStore.MaxReason} characters.")
            .ResolveAsync(async c =>
            {
                var id = FlagId(c, "flagId");
                var reason = Text(c, "reason", FlagStore.MaxReason);
                var decision = c.GetArgument<FlagDecision>("decision") == FlagDecision.Uphold ? FlagStatus.Upheld : FlagStatus.Withdrawn;
                return await Flags(c).ReviewAsync(id, decision, reason, Caller.Of(c), Now(c), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<RankingGraphType>>("computeRankings")
            .AllowedTo([Role.Administrator])
            .Description("Computes (again) a month's rankings at every level and stores them as its latest run; earlier runs are kept. Answers with the district ranking.")
            .Argument<NonNullGraphType<StringGraphType>>("month", "yyyy-MM (IST), a month that has ended.")
            .ResolveAsync(async c =>
            {
                Caller.Of(c).RequireUnlimited("computeRankings");
                var month = Month(c);
                var rankings = c.RequestServices!.GetRequiredService<MonthlyRankings>();
                var run = await rankings.ComputeAsync(month, Caller.Of(c).Subject, Now(c), c.CancellationToken);
                return View(month, RankingLevel.District, run, await rankings.RowsAsync(run.Id, RankingLevel.District, null, MaxPage, 0, c.CancellationToken));
            });

        mutation.Field<NonNullGraphType<RankingGraphType>>("skipRankings")
            .AllowedTo([Role.Administrator])
            .Description("Records that a month is not ranked (as during an election code), with the reason; the monthly job then leaves it alone. computeRankings may still rank it later.")
            .Argument<NonNullGraphType<StringGraphType>>("month")
            .Argument<NonNullGraphType<StringGraphType>>("reason", $"1..{FlagStore.MaxReason} characters.")
            .ResolveAsync(async c =>
            {
                Caller.Of(c).RequireUnlimited("skipRankings");
                var month = Month(c);
                var reason = Text(c, "reason", FlagStore.MaxReason);
                var run = await c.RequestServices!.GetRequiredService<MonthlyRankings>().SkipAsync(month, Caller.Of(c).Subject, reason, Now(c), c.CancellationToken);
                return View(month, RankingLevel.District, run, []);
            });
    }

    private static HelplineException NoDisposal(IResolveFieldContext c, string reference) =>
        new(AccountabilityErrorCodes.UnknownDisposal,
            $"Grievance {reference} has no disposal by an officer{(c.GetArgument<int?>("disposalSequence") is { } s ? $" at timeline entry {s}" : "")} within your view.",
            "referenceNumber");

    // The total is the run's own scheme's: the scheme in force may have changed since.
    private static RankingView View(DateOnly month, RankingLevel level, RankingRun run, IReadOnlyList<RankingRow> rows) =>
        new(Period.Month(month).Name, level, run, RankingMath.Total(MonthlyRankings.SchemeOf(run)), run.Scheme, rows);

    private static async Task<FlagRow> VisibleFlagAsync(IResolveFieldContext c, Guid id)
    {
        var flag = await Flags(c).FindAsync(id, c.CancellationToken) ?? throw FlagStore.Unknown(id);
        var caller = Caller.Of(c);
        var sees = caller.Role is Role.Officer or Role.Supervisor
            ? flag.OfficerId == caller.Subject || flag.SupervisorOfficerId == caller.Subject || TeamSeats(c).Contains(flag.PositionId ?? "")
            : FlagStore.InScope(flag, caller.Scope);
        return sees ? flag : throw FlagStore.Unknown(id);
    }

    private static FlagStore Flags(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<FlagStore>();

    private static DateTimeOffset Now(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow();
}
