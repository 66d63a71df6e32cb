using System.Reflection;

namespace Helpline.Platform.Database;

/// <summary>
/// A module's claim on one PostgreSQL schema: the schema name and the assembly whose embedded
/// <c>Migrations/*.sql</c> scripts create and evolve it. Scripts run in ordinal name order, once each,
/// journaled in <c>&lt;schema&gt;.schema_versions</c>.
/// </summary>
public interface IModuleSchema
{
    /// <summary>The PostgreSQL schema the module owns, for example <c>grievances</c>.</summary>
    string Schema { get; }

    /// <summary>The assembly holding the module's embedded migration scripts.</summary>
    Assembly ScriptsAssembly { get; }

    /// <summary>
    /// The folder of the assembly that holds this schema's scripts, as a resource-name prefix relative to the
    /// assembly name (<c>Migrations</c>, or <c>Events.Migrations</c> for a second schema in one assembly).
    /// </summary>
    string ScriptsFolder => "Migrations";

    /// <summary>Migration order across modules; lower runs first. Modules never reference each other's tables, so this only matters for the platform schema.</summary>
    int Order { get; }
}

/// <summary>Reference data that a module loads at start-up, after every migration has run. Loading must be idempotent.</summary>
public interface IReferenceDataLoader
{
    /// <summary>Load order; lower runs first (jurisdictions before catalogue before officers).</summary>
    int Order { get; }

    /// <summary>Inserts or updates the module's reference data so that the database matches the shipped files.</summary>
    /// <exception cref="InvalidDataException">A shipped data file is malformed; the message names the file and row.</exception>
    Task LoadAsync(CancellationToken cancellationToken);
}
