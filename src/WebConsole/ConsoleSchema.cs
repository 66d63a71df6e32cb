using System.Reflection;
using Helpline.Platform.Database;

namespace Helpline.WebConsole;

/// <summary>The web console's schema <c>console</c>: the data-protection key ring every silo shares.</summary>
public sealed class ConsoleSchema : IModuleSchema
{
    /// <summary>The schema name, <c>console</c>.</summary>
    public const string Name = "console";

    /// <inheritdoc />
    public string Schema => Name;

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(ConsoleSchema).Assembly;

    /// <inheritdoc />
    public int Order => 90;
}
