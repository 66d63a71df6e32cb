using System.Reflection;
using Helpline.Platform.Database;

namespace Helpline.Catalogue;

/// <summary>
/// The catalogue module's PostgreSQL schema, <c>catalogue</c>: departments, their seats per jurisdiction kind and
/// grievance categories, created by the embedded <c>Migrations/*.sql</c> scripts of this assembly.
/// </summary>
public sealed class CatalogueSchema : IModuleSchema
{
    /// <inheritdoc />
    public string Schema => "catalogue";

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(CatalogueSchema).Assembly;

    /// <inheritdoc />
    public int Order => 20;
}
