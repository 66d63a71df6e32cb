using System.Reflection;
using Helpline.Access.Documents;
using Helpline.Access.GraphQL;
using Helpline.Access.Grants;
using Helpline.Access.Log;
using Helpline.Access.Tokens;
using Helpline.Platform.Access;
using Helpline.Platform.Database;
using Helpline.Platform.Modules;
using Helpline.Platform.SharedData;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Helpline.Access;

/// <summary>The Access module's schema (<c>access</c>).</summary>
public sealed class AccessSchema : IModuleSchema
{
    /// <inheritdoc />
    public string Schema => "access";

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(AccessSchema).Assembly;

    /// <inheritdoc />
    public int Order => 70;
}

/// <summary>
/// The Access module: who makes each request (signed tokens), the limits set on subjects since, and the access log of
/// personal data. Other modules see only the platform's <see cref="Caller"/> and <see cref="FieldAccess"/>.
/// </summary>
public sealed class AccessModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Access";

    /// <inheritdoc />
    public IReadOnlyList<Platform.Errors.HelplineErrorCode> ErrorCodes => AccessErrorCodes.All;

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new AccessGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddAccessModule(configuration);
}

/// <summary>Registration of the Access module's services.</summary>
public static class AccessServiceCollectionExtensions
{
    /// <summary>Registers token checking, the caller authenticator, subject limits and the access log.</summary>
    public static IServiceCollection AddAccessModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, AccessSchema>());
        services.Configure<AccessOptions>(configuration.GetSection(AccessOptions.Section));
        services.TryAddSingleton<TokenValidator>();
        services.TryAddSingleton<SubjectLimits>();
        services.TryAddSingleton<SubjectLimitStore>();
        services.AddSharedDataArea<SubjectLimitsArea>();
        services.TryAddSingleton<PersonalDataLog>();
        services.TryAddSingleton<IPersonalDataLog>(sp => sp.GetRequiredService<PersonalDataLog>());
        services.TryAddSingleton<ICallerAuthenticator, CallerAuthenticator>();
        services.TryAddSingleton<PersistedDocuments>();
        services.TryAddSingleton<IPersistedDocuments>(sp => sp.GetRequiredService<PersistedDocuments>());
        return services;
    }
}
