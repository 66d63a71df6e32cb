using System.Reflection;
using Helpline.Jurisdictions.Loading;
using Helpline.Jurisdictions.Storage;
using Helpline.Jurisdictions.Tree;
using Helpline.Platform.Database;
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

/// <summary>Registers the Jurisdictions module.</summary>
public static class JurisdictionsModule
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
        services.TryAddSingleton<JurisdictionsLoader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReferenceDataLoader, JurisdictionsLoader>(sp => sp.GetRequiredService<JurisdictionsLoader>()));
        return services;
    }
}
