using System.Reflection;
using Helpline.Platform.Database;

namespace Helpline.Platform;

/// <summary>
/// The platform's schema <c>orleans</c>: the tables and <c>orleansquery</c> rows behind Orleans clustering,
/// grain storage and reminders, and the projection journal. Migrated before every module schema.
/// </summary>
public sealed class PlatformSchema : IModuleSchema
{
    /// <summary>The schema name, <c>orleans</c>.</summary>
    public const string Name = "orleans";

    /// <inheritdoc />
    public string Schema => Name;

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(PlatformSchema).Assembly;

    /// <inheritdoc />
    public int Order => 0;
}
