using Helpline.Platform.Errors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Helpline.Platform.Modules;

/// <summary>
/// What a module brings to the host. The host keeps one list of modules and asks each for its services, its Quartz
/// jobs and its GraphQL part; nothing else in the host names a module, so a new capability is a folder of its own
/// plus one line in that list.
/// </summary>
public interface IHelplineModule
{
    /// <summary>The module's name, for example <c>Grievances</c>; unique in the host.</summary>
    string Name { get; }

    /// <summary>
    /// Error codes the module raises through <see cref="HelplineException"/>, each with a one-line description. Generic
    /// codes (<see cref="ErrorCodes"/>) belong to the platform and are not repeated here. Codes are never renamed or reused.
    /// </summary>
    IReadOnlyList<HelplineErrorCode> ErrorCodes => [];

    /// <summary>The module's GraphQL part (root fields and graph types it contributes), or null when it serves none.</summary>
    GraphQLPart? GraphQL => null;

    /// <summary>
    /// Registers the module's services, including its schema and migrations (<see cref="Database.IModuleSchema"/>) and
    /// its reference data (<see cref="Database.IReferenceDataLoader"/>). The host registers an <c>NpgsqlDataSource</c>,
    /// a <see cref="TimeProvider"/>, logging and Orleans before calling this.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    void AddServices(IServiceCollection services, IConfiguration configuration);

    /// <summary>Schedules the module's recurring work on the host's clustered Quartz scheduler. Most modules have none.</summary>
    /// <param name="quartz">Quartz's configurator, as given to <c>AddQuartz</c>.</param>
    void AddJobs(IQuartzBuilder quartz)
    {
    }
}
