using Helpline.Access;
using Helpline.Accountability;
using Helpline.CallBacks;
using Helpline.Catalogue;
using Helpline.PublicDirectory;
using Helpline.Feed;
using Helpline.Grievances;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Platform.Modules;
using Helpline.Sla;
using Helpline.Workload;

namespace Helpline.Host;

/// <summary>
/// The one list of Helpline's modules. The host asks each, in this order, for its services, its Quartz jobs and its
/// GraphQL part (root fields appear in this order); adding a module is one line here and a project reference.
/// </summary>
public static class HelplineModules
{
    /// <summary>Every module, those depended on before those that depend on them.</summary>
    public static IReadOnlyList<IHelplineModule> All { get; } =
    [
        new PlatformModule(),
        new JurisdictionsModule(),
        new CatalogueModule(),
        new SlaModule(),
        new OfficersModule(),
        new GrievancesModule(),
        new WorkloadModule(),
        new CallBacksModule(),
        new AccountabilityModule(),
        new FeedModule(),
        new PublicDirectoryModule(),
        new AccessModule(),
    ];
}
