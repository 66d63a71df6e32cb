namespace Helpline.Sla;

/// <summary>The SLA module: calendars, holidays, policies and due-date arithmetic.</summary>
public static class SlaModuleInfo
{
    /// <summary>The PostgreSQL schema the module owns.</summary>
    public const string Schema = "sla";
}
