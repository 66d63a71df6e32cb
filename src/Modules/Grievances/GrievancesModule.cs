using System.Reflection;
using Helpline.Grievances.GraphQL;
using Helpline.Grievances.Jobs;
using Helpline.Grievances.ReadModel;
using Helpline.Officers.Workload;
using Helpline.Platform.Database;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Helpline.Platform.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime.Hosting;
using Quartz;

namespace Helpline.Grievances;

/// <summary>The Grievances module's schema (<c>grievances</c>): the read model and the reference serial sequence.</summary>
public sealed class GrievancesSchema : IModuleSchema
{
    /// <inheritdoc />
    public string Schema => "grievances";

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(GrievancesSchema).Assembly;

    /// <inheritdoc />
    public int Order => 40;
}

/// <summary>Registration of the Grievances module's services and jobs.</summary>
public static class GrievancesServiceCollectionExtensions
{
    /// <summary>
    /// Registers the module's schema, services, start-up deadline sweep, its subscriber to SLA policy changes
    /// (recomputes the category's open grievances) and its subscriber to position holder changes (hands the position's
    /// open grievances to the new holder). Requires an <c>NpgsqlDataSource</c>,
    /// a <see cref="TimeProvider"/>, Orleans, and the Jurisdictions, Catalogue, Sla and Officers modules.
    /// </summary>
    public static IServiceCollection AddGrievancesModule(this IServiceCollection services)
    {
        services.AddSingleton<IModuleSchema, GrievancesSchema>();
        services.AddSingleton<IReferenceNumberAllocator, ReferenceNumberAllocator>();
        services.AddSingleton<IGrievanceProjection, GrievanceProjection>();
        services.AddGrainStorage(Grains.GrievanceStateStorage.Name, (sp, _) => ActivatorUtilities.CreateInstance<Grains.GrievanceStateStorage>(sp));
        services.AddSingleton<GrievanceQueries>();
        services.AddSingleton<IOfficerCaseload>(sp => sp.GetRequiredService<GrievanceQueries>());
        services.AddSingleton<TimelineQueries>();
        services.AddSingleton<INodeSource, GrievanceNodes>();
        services.AddSingleton<Import.ImportWorld>();
        services.AddSingleton<IGrievanceService, GrievanceService>();
        services.AddSingleton(sp => Desk.DeskSettings.From(sp.GetService<IConfiguration>()));
        services.AddSingleton<Desk.DeskQueries>();
        services.AddSingleton<Desk.ComplaintLimit>();
        services.AddSingleton<Grains.RegistrationChecks>();
        services.AddSingleton<Desk.CallerDesk>();
        services.AddSingleton<GraphQL.StatusLookupGuard>();
        services.AddSingleton(sp => Grains.GrievanceClockSettings.From(sp.GetService<Microsoft.Extensions.Configuration.IConfiguration>()));
        services.AddSingleton<IOfficersWithOpenDeadlines, ReadModelOfficersWithOpenDeadlines>();
        services.AddSingleton<DeadlineSweep>();
        services.AddSingleton<ProjectionMetrics>();
        services.AddHealthChecks().AddCheck<StuckProjectionsHealthCheck>(StuckProjectionsHealthCheck.Name, HealthStatus.Degraded);
        services.AddEventSubscriber<SlaPolicyRecompute>();
        services.AddEventSubscriber<PositionHandover>();
        services.AddSingleton<HolderSweep>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StartupDeadlineSweep>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloDeathDeadlineSweep>();
        return services;
    }

    /// <summary>
    /// Schedules the module's recurring work on Quartz: the deadline sweep every minute (re-arms deadlines whose
    /// officer grain was lost with a silo), the read-model repair every 30 seconds, the holder sweep every 2 minutes
    /// (hands grievances held by an officer who no longer serves their position to the officer acting for it), and the
    /// fold of the list counts' deltas every 5 seconds.
    /// </summary>
    public static IQuartzBuilder AddGrievanceJobs(this IQuartzBuilder quartz)
    {
        quartz.AddRecurringJob<DeadlineSweepJob>(DeadlineSweepJob.Key, "deadline-sweep-every-minute", TimeSpan.FromSeconds(60));
        quartz.AddRecurringJob<ReadModelRepairJob>(ReadModelRepairJob.Key, "read-model-repair-every-30s", TimeSpan.FromSeconds(30));
        quartz.AddRecurringJob<HolderSweepJob>(HolderSweepJob.Key, "holder-sweep-every-2-minutes", TimeSpan.FromMinutes(2));
        quartz.AddRecurringJob<CountFoldJob>(CountFoldJob.Key, "count-fold-every-5s", TimeSpan.FromSeconds(5));
        return quartz;
    }
}

/// <summary>
/// The Grievances module: the grievance grain and its read model, imports, the deadline sweep, read-model repair and
/// holder sweep jobs, the recompute after SLA policy changes, the handover after position holder changes, and the
/// grievance GraphQL fields.
/// </summary>
public sealed class GrievancesModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Grievances";

    /// <inheritdoc />
    public IReadOnlyList<HelplineErrorCode> ErrorCodes => GrievanceErrorCodes.All;

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new GrievancesGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddGrievancesModule();

    /// <inheritdoc />
    public void AddJobs(IQuartzBuilder quartz) => quartz.AddGrievanceJobs();
}

/// <summary>Error codes owned by the Grievances module.</summary>
public static class GrievanceErrorCodes
{
    /// <summary>The mobile number is not a valid Indian mobile number.</summary>
    public const string InvalidMobile = "INVALID_MOBILE";

    /// <summary>No grievance has the given reference number.</summary>
    public const string UnknownGrievance = "UNKNOWN_GRIEVANCE";

    /// <summary>A move planned from one officer found the grievance held by another: it was moved, escalated or handed over since.</summary>
    public const string HolderChanged = "HOLDER_CHANGED";

    /// <summary>A move's receiving officer no longer serves the seat named (their posting ended a moment ago).</summary>
    public const string TargetNotServing = "TARGET_NOT_SERVING";

    /// <summary>The reference number is badly formed or its check digit is wrong.</summary>
    public const string InvalidReference = "INVALID_REFERENCE_NUMBER";

    /// <summary>The action is not allowed in the grievance's current status.</summary>
    public const string InvalidTransition = "INVALID_STATE_TRANSITION";

    /// <summary>The acting officer does not hold the grievance.</summary>
    public const string NotAssignedOfficer = "NOT_ASSIGNED_OFFICER";

    /// <summary>A client request id was reused with different content.</summary>
    public const string IdempotencyConflict = "IDEMPOTENCY_KEY_REUSED";

    /// <summary>An import record could not be stored (the service refused what it made of it); nothing of it was kept.</summary>
    public const string ImportFailed = "IMPORT_FAILED";

    /// <summary>An import record's storing was interrupted (for example the database was unreachable); it may or may not be stored: send it again.</summary>
    public const string ImportInterrupted = "IMPORT_INTERRUPTED";

    /// <summary>Too many wrong mobile digits for one reference number on the public status lookup; wait and try again.</summary>
    public const string TooManyAttempts = "TOO_MANY_ATTEMPTS";

    /// <summary>A call-back's outcome names a disposal the grievance has moved past (reopened, disposed of again or closed since).</summary>
    public const string DisposalSuperseded = "DISPOSAL_SUPERSEDED";

    /// <summary>A return was asked for a grievance that is not at level 1 (only the L1 officer may return one).</summary>
    public const string ReturnNotAtLevelOne = "RETURN_NOT_AT_LEVEL_ONE";

    /// <summary>A different return is already awaiting the L2 officer's decision.</summary>
    public const string ReturnAlreadyPending = "RETURN_ALREADY_PENDING";

    /// <summary>A return decision for a grievance with no return awaiting one (none asked, lapsed, or already decided).</summary>
    public const string NoPendingReturn = "NO_PENDING_RETURN";

    /// <summary>A list's <c>after</c> cursor came from the same list in another order.</summary>
    public const string CursorOrderMismatch = "CURSOR_ORDER_MISMATCH";

    /// <summary>A list was filtered by the complainant's mobile by a role that sees personal data masked.</summary>
    public const string MobileFilterNotAllowed = "MOBILE_FILTER_NOT_ALLOWED";

    /// <summary>A new complaint from a mobile that has used its complaints for the month (and any extra a supervisor allowed).</summary>
    public const string MonthlyLimitReached = "MONTHLY_LIMIT_REACHED";

    /// <summary>An extra complaint was asked for a mobile that has complaints remaining this month (or with no limit set).</summary>
    public const string MonthlyLimitNotReached = "MONTHLY_LIMIT_NOT_REACHED";

    /// <summary>The module's codes with their descriptions.</summary>
    public static IReadOnlyList<HelplineErrorCode> All { get; } =
    [
        new(TooManyAttempts, "Too many wrong mobile digits for one reference number on the public status lookup; wait 15 minutes."),
        new(InvalidMobile, "The mobile number is not a valid Indian mobile number."),
        new(UnknownGrievance, "No grievance has the given reference number."),
        new(HolderChanged, "The grievance is no longer held by the officer a move was planned from (moved, escalated or handed over since); plan again."),
        new(TargetNotServing, "The officer a grievance was to be moved to no longer serves the seat named (posted elsewhere or relieved since); nothing was moved."),
        new(InvalidReference, "The reference number is badly formed or its check digit is wrong."),
        new(InvalidTransition, "The action is not allowed in the grievance's current status."),
        new(NotAssignedOfficer, "The acting officer does not hold the grievance."),
        new(IdempotencyConflict, "A client request id was reused with different content."),
        new(ImportFailed, "An import record could not be stored (the service refused what it made of it; logged); nothing of it was kept, so it can be corrected and sent again."),
        new(DisposalSuperseded, "A call-back's outcome names a disposal the grievance has moved past (reopened, disposed of again, or closed since); nothing was changed."),
        new(ReturnNotAtLevelOne, "Only the L1 officer may ask to return a grievance; it has been escalated, forwarded up or reopened above L1."),
        new(ReturnAlreadyPending, "A different return is already awaiting the L2 officer's decision; the same request repeated returns the grievance unchanged."),
        new(NoPendingReturn, "No return awaits a decision: none was asked, it lapsed when the grievance left the seat, or it was already decided (a decision is made once)."),
        new(CursorOrderMismatch, "A list's 'after' cursor came from the same list in another order (orderBy); ask for the first page again in the order wanted."),
        new(MobileFilterNotAllowed, "Only officers and supervisors (who see the complainants of the grievances they reach) may filter a list by the complainant's mobile; every other role sees it masked."),
        new(MonthlyLimitReached, "The mobile has registered as many complaints this calendar month (IST) as the limit per mobile allows (Helpline:Grievances:MonthlyComplaintLimit, plus any extra a supervisor allowed); nothing was registered. A supervisor may allow one more (allowExtraComplaint)."),
        new(MonthlyLimitNotReached, "An extra complaint was asked for a mobile that still has complaints remaining this month, or no limit is set; nothing was granted."),
        new(ImportInterrupted, "Storing an import record was interrupted (for example the database was unreachable); it may or may not be stored: send it again (a record is imported once), and what was stored is completed by the read-model repair."),
    ];
}
