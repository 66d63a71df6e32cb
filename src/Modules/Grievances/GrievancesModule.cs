using System.Reflection;
using Helpline.Grievances.Jobs;
using Helpline.Grievances.ReadModel;
using Helpline.Officers.Workload;
using Helpline.Platform.Database;
using Microsoft.Extensions.DependencyInjection;
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

/// <summary>Registration of the Grievances module.</summary>
public static class GrievancesModule
{
    /// <summary>
    /// Registers the module's schema, services and start-up deadline sweep. Requires an <c>NpgsqlDataSource</c>,
    /// a <see cref="TimeProvider"/>, Orleans, and the Jurisdictions, Catalogue and Officers modules.
    /// </summary>
    public static IServiceCollection AddGrievancesModule(this IServiceCollection services)
    {
        services.AddSingleton<IModuleSchema, GrievancesSchema>();
        services.AddSingleton<IReferenceNumberAllocator, ReferenceNumberAllocator>();
        services.AddSingleton<IGrievanceProjection, GrievanceProjection>();
        services.AddSingleton<GrievanceQueries>();
        services.AddSingleton<IOfficerCaseload>(sp => sp.GetRequiredService<GrievanceQueries>());
        services.AddSingleton<Import.ImportWorld>();
        services.AddSingleton<IGrievanceService, GrievanceService>();
        services.AddSingleton(sp => Grains.GrievanceClockSettings.From(sp.GetService<Microsoft.Extensions.Configuration.IConfiguration>()));
        services.AddSingleton<DeadlineSweep>();
        services.AddSingleton<ISlaPolicyChangeListener, SlaPolicyRecompute>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StartupDeadlineSweep>();
        return services;
    }

    /// <summary>
    /// Schedules the module's recurring work on Quartz: the deadline sweep every minute (re-arms deadlines whose
    /// officer grain was lost with a silo) and the read-model repair every 30 seconds.
    /// </summary>
    public static IQuartzBuilder AddGrievanceJobs(this IQuartzBuilder quartz)
    {
        quartz.AddJob<DeadlineSweepJob>(j => j.WithIdentity(DeadlineSweepJob.Key).StoreDurably());
        quartz.AddTrigger(t => t
            .ForJob(DeadlineSweepJob.Key)
            .WithIdentity("deadline-sweep-every-minute", "grievances")
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(60)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        quartz.AddJob<ReadModelRepairJob>(j => j.WithIdentity(ReadModelRepairJob.Key).StoreDurably());
        quartz.AddTrigger(t => t
            .ForJob(ReadModelRepairJob.Key)
            .WithIdentity("read-model-repair-every-30s", "grievances")
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(30)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        return quartz;
    }
}
