using System.Reflection;
using Helpline.CallBacks.Campaigns;
using Helpline.CallBacks.Figures;
using Helpline.CallBacks.GraphQL;
using Helpline.CallBacks.Intake;
using Helpline.CallBacks.Outcomes;
using Helpline.CallBacks.Queue;
using Helpline.Platform.Database;
using Helpline.Platform.Errors;
using Helpline.Platform.Events;
using Helpline.Platform.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Helpline.CallBacks;

/// <summary>The CallBacks module's schema (<c>callbacks</c>).</summary>
public sealed class CallBacksSchema : IModuleSchema
{
    /// <inheritdoc />
    public string Schema => "callbacks";

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(CallBacksSchema).Assembly;

    /// <inheritdoc />
    public int Order => 60;
}

/// <summary>
/// The CallBacks module: a satisfaction call-back for every disposal (fed by grievance events), gathered into daily
/// campaigns by Quartz jobs, handed to call-back agents under a lease in calling hours, and the outcome acted on: a
/// satisfied complainant closes the grievance, a dissatisfied one reopens it one level up. It knows the Grievances and
/// Jurisdictions modules by their contracts only.
/// </summary>
public sealed class CallBacksModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "CallBacks";

    /// <inheritdoc />
    public IReadOnlyList<HelplineErrorCode> ErrorCodes => CallBackErrorCodes.All;

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new CallBacksGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddCallBacksModule(configuration);

    /// <summary>
    /// Every minute: gather callable call-backs into today's campaigns and close finished ones; apply outcomes whose
    /// grievance could not be told at once.
    /// </summary>
    public void AddJobs(IQuartzBuilder quartz)
    {
        quartz.AddRecurringJob<CampaignJob>(CampaignJob.Key, "call-back-campaigns-every-minute", TimeSpan.FromMinutes(1));
        quartz.AddRecurringJob<OutcomeRepairJob>(OutcomeRepairJob.Key, "call-back-outcome-repair-every-minute", TimeSpan.FromMinutes(1));
    }
}

/// <summary>Registration of the CallBacks module's services.</summary>
public static class CallBacksServiceCollectionExtensions
{
    /// <summary>Registers the module's schema, settings (checked at start-up), the disposal subscriber, campaigns, the queue, outcomes and figures.</summary>
    public static IServiceCollection AddCallBacksModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, CallBacksSchema>());
        services.AddOptions<CallBackOptions>()
            .Bind(configuration.GetSection(CallBackOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallBackOptions>, CallBackOptionsValidation>();
        services.AddEventSubscriber<DisposalSubscriber>();
        services.TryAddSingleton<CampaignBuilder>();
        services.TryAddSingleton<OutcomeRecorder>();
        services.TryAddSingleton<CallBackFigures>();
        services.TryAddSingleton<CallBackReads>();
        services.TryAddSingleton<CallBackQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<CallBackQueue>());
        return services;
    }

    // Names every broken setting with its key and rule, rather than one line for all.
    private sealed class CallBackOptionsValidation : IValidateOptions<CallBackOptions>
    {
        public ValidateOptionsResult Validate(string? name, CallBackOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
