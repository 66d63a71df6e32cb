using Helpline.Catalogue.GraphQL;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Catalogue;

/// <summary>The Catalogue module: departments and categories, their schema, reference data and GraphQL part.</summary>
public sealed class CatalogueModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Catalogue";

    /// <inheritdoc />
    public IReadOnlyList<HelplineErrorCode> ErrorCodes => CatalogueErrorCodes.All;

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new CatalogueGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddCatalogueModule();
}

/// <summary>Error codes owned by the Catalogue module.</summary>
public static class CatalogueErrorCodes
{
    /// <summary>No category has the given id (one an administrator added counts from its effective instant).</summary>
    public const string UnknownCategory = "UNKNOWN_CATEGORY";

    /// <summary>No department has the given id.</summary>
    public const string UnknownDepartment = "UNKNOWN_DEPARTMENT";

    /// <summary>The category is retired: new grievances may not be registered or recategorised under it.</summary>
    public const string CategoryRetired = "CATEGORY_RETIRED";

    /// <summary>The module's codes with their descriptions.</summary>
    public static IReadOnlyList<HelplineErrorCode> All { get; } =
    [
        new(UnknownCategory, "No category has the given id (one an administrator added counts from its effective instant)."),
        new(UnknownDepartment, "No department has the given id."),
        new(CategoryRetired, "The category is retired: new grievances may not be registered or recategorised under it (those already under it keep it)."),
    ];
}
