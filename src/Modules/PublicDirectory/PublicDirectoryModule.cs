using Helpline.PublicDirectory.GraphQL;
using Helpline.Platform.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Helpline.PublicDirectory;

/// <summary>
/// The Directory module: the public "who resolves what". Anyone, without signing in, asks which office resolves a
/// category in a place, who acts for it now, the level above and the time each level has. It owns no table: it
/// answers from the in-memory catalogue, jurisdiction tree, roster, routing map and SLA engine, so every change an
/// administrator makes shows here as soon as the silo has loaded it.
/// </summary>
public sealed class PublicDirectoryModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "PublicDirectory";

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new DirectoryGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddPublicDirectoryModule();
}

/// <summary>Registration of the Directory module's services.</summary>
public static class PublicDirectoryServiceCollectionExtensions
{
    /// <summary>Registers the public directory. Needs the Jurisdictions, Catalogue, Officers and Sla modules.</summary>
    public static IServiceCollection AddPublicDirectoryModule(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => Designations.Shipped);
        services.TryAddSingleton<DirectoryService>();
        return services;
    }
}
