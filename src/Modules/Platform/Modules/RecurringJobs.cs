using Quartz;

namespace Helpline.Platform.Modules;

/// <summary>How every module registers a job that runs at a fixed interval on the clustered Quartz store.</summary>
public static class RecurringJobs
{
    /// <summary>
    /// Registers <typeparamref name="TJob"/> under <paramref name="key"/> with one trigger <paramref name="triggerName"/>
    /// (in the key's group) firing now and then every <paramref name="every"/>. Runs missed while every silo was down
    /// are not made up one by one: the next fire time counts on from now.
    /// </summary>
    public static IQuartzBuilder AddRecurringJob<TJob>(this IQuartzBuilder quartz, JobKey key, string triggerName, TimeSpan every)
        where TJob : IJob
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentNullException.ThrowIfNull(key);
        quartz.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably());
        quartz.AddTrigger(t => t
            .ForJob(key)
            .WithIdentity(triggerName, key.Group)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        return quartz;
    }
}
