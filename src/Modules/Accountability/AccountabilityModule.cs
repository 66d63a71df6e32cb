using System.Reflection;
using Helpline.Accountability.Facts;
using Helpline.Accountability.Flags;
using Helpline.Accountability.GraphQL;
using Helpline.Accountability.Rankings;
using Helpline.Accountability.Review;
using Helpline.Platform.Database;
using Helpline.Platform.Errors;
using Helpline.Platform.Events;
using Helpline.Platform.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Helpline.Accountability;

/// <summary>The Accountability module's schema (<c>accountability</c>).</summary>
public sealed class AccountabilitySchema : IModuleSchema
{
    /// <inheritdoc />
    public string Schema => "accountability";

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(AccountabilitySchema).Assembly;

    /// <inheritdoc />
    public int Order => 70;
}

/// <summary>
/// The Accountability module: facts about each officer's handling of grievances (from grievance and call-back events),
/// penalty flags raised by configurable rules on officers and on supervisors whose teams are flagged, supervisors'
/// grades of disposals and reviews of flags, and monthly rankings of officers and offices with every mark explained.
/// It knows the Grievances, CallBacks, Officers and Jurisdictions modules by their contracts and events only.
/// </summary>
public sealed class AccountabilityModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Accountability";

    /// <inheritdoc />
    public IReadOnlyList<HelplineErrorCode> ErrorCodes => AccountabilityErrorCodes.All;

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new AccountabilityGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddAccountabilityModule(configuration);

    /// <summary>Flagging every hour (a flag is raised within the hour its officer meets the rule); last month's ranking checked for every hour.</summary>
    public void AddJobs(IQuartzBuilder quartz)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        quartz.AddRecurringJob<FlagJob>(FlagJob.Key, "penalty-flags-every-hour", TimeSpan.FromHours(1));
        quartz.AddRecurringJob<RankingJob>(RankingJob.Key, "monthly-rankings-hourly-check", TimeSpan.FromHours(1));
    }
}

/// <summary>Registration of the Accountability module's services.</summary>
public static class AccountabilityServiceCollectionExtensions
{
    /// <summary>Registers the module's schema, settings (checked at start-up), the fact subscriber, flagging, reviews and rankings.</summary>
    public static IServiceCollection AddAccountabilityModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, AccountabilitySchema>());
        services.AddOptions<AccountabilityOptions>()
            .Bind(configuration.GetSection(AccountabilityOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountabilityOptions>, AccountabilityOptionsValidation>();
        services.TryAddSingleton<Places>();
        services.AddEventSubscriber<FactSubscriber>();
        services.TryAddSingleton<Flagging>();
        services.TryAddSingleton<FlagStore>();
        services.TryAddSingleton<Grading>();
        services.TryAddSingleton<OfficerRecord>();
        services.TryAddSingleton<MonthlyRankings>();
        services.TryAddSingleton<Evidence>();
        return services;
    }

    // Names every broken setting with its key and rule, rather than one line for all.
    private sealed class AccountabilityOptionsValidation : IValidateOptions<AccountabilityOptions>
    {
        public ValidateOptionsResult Validate(string? name, AccountabilityOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
