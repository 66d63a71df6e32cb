using System.Reflection;
using Helpline.Jurisdictions.GraphQL;
using Helpline.Jurisdictions.Loading;
using Helpline.Jurisdictions.Storage;
using Helpline.Jurisdictions.Tree;
using Helpline.Platform.Database;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Helpline.Platform.SharedData;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Helpline.Jurisdictions;

/// <summary>The <c>jurisdictions</c> schema, created by this assembly's <c>Migrations/*.sql</c> scripts.</summary>
public sealed class JurisdictionsSchema : IModuleSchema
{
    /// <inheritdoc />
    public string Schema => "jurisdictions";

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(JurisdictionsSchema).Assembly;

    /// <inheritdoc />
    public int Order => 10;
}

/// <summary>Registers the Jurisdictions module's services.</summary>
public static class JurisdictionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the schema, the Uttar Pradesh reference-data loader (order 10), <see cref="IJurisdictionDirectory"/>
    /// and <see cref="IJurisdictionRegistry"/> as singletons. Needs an <c>NpgsqlDataSource</c> and logging from the host.
    /// The directory is empty until the loader has run.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddJurisdictionsModule(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleSchema, JurisdictionsSchema>());
        services.TryAddSingleton<JurisdictionDirectory>();
        services.TryAddSingleton<IJurisdictionDirectory>(sp => sp.GetRequiredService<JurisdictionDirectory>());
        services.TryAddSingleton<JurisdictionStore>();
        services.TryAddSingleton<IJurisdictionRegistry, JurisdictionRegistry>();
        services.AddSharedDataArea<JurisdictionsArea>();
        services.TryAddSingleton<JurisdictionsLoader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReferenceDataLoader, JurisdictionsLoader>(sp => sp.GetRequiredService<JurisdictionsLoader>()));
        return services;
    }
}

/// <summary>The Jurisdictions module: the administrative tree, its schema, its reference data and its GraphQL part.</summary>
public sealed class JurisdictionsModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Jurisdictions";

    /// <inheritdoc />
    public IReadOnlyList<HelplineErrorCode> ErrorCodes => JurisdictionErrorCodes.All;

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new JurisdictionsGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddJurisdictionsModule();
}

/// <summary>Error codes owned by the Jurisdictions module.</summary>
public static class JurisdictionErrorCodes
{
    /// <summary>No jurisdiction has the given id.</summary>
    public const string UnknownJurisdiction = "UNKNOWN_JURISDICTION";

    /// <summary>The module's codes with their descriptions.</summary>
    public static IReadOnlyList<HelplineErrorCode> All { get; } = [new(UnknownJurisdiction, "No jurisdiction has the given id.")];
}
