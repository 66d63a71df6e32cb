using System.Reflection;
using Helpline.Platform.Database;

namespace Helpline.Sla;

/// <summary>
/// The SLA module's PostgreSQL schema, <c>sla</c>: working calendars, their assignment to jurisdictions, holidays per
/// jurisdiction and policy overrides per category and level, created by this assembly's <c>Migrations/*.sql</c>.
/// </summary>
public sealed class SlaSchema : IModuleSchema
{
    /// <inheritdoc />
    public string Schema => SlaModuleInfo.Schema;

    /// <inheritdoc />
    public Assembly ScriptsAssembly => typeof(SlaSchema).Assembly;

    /// <inheritdoc />
    public int Order => 25;
}
