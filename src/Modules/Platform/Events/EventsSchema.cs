using System.Reflection;
using Helpline.Platform.Database;

namespace Helpline.Platform.Events;

/// <summary>The schema <c>events</c>: the integration event log and the subscribers' checkpoints.</summary>
public sealed class EventsSchema : IModuleSchema
{
    /// <summary>The schema name, <c>events</c>.</summary>
    public const string Name = "events";

    /// <inheritdoc />
    public string Schema => Name;

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(EventsSchema).Assembly;

    /// <inheritdoc />
    public string ScriptsFolder => "Events.Migrations";

    /// <inheritdoc />
    public int Order => 1;
}
