using System.Reflection;

namespace Helpline.ArchitectureTests;

/// <summary>One module as the architecture tests see it: its assembly, the PostgreSQL schema it owns, its source folder.</summary>
/// <param name="Name">Folder and assembly suffix, for example <c>Officers</c>.</param>
/// <param name="Assembly">The compiled module.</param>
/// <param name="Schema">The PostgreSQL schema it owns; null for Platform, whose schemas are infrastructure.</param>
public sealed record HelplineModule(string Name, Assembly Assembly, string? Schema)
{
    /// <summary>The module's source folder, <c>src/Modules/&lt;Name&gt;</c>.</summary>
    public string SourceDirectory => Path.Combine(RepositoryRoot.Path, "src", "Modules", Name);

    public override string ToString() => Name;
}

/// <summary>The modules of Helpline; <see cref="HostModulesTests"/> fails when the host's list has one that is missing here.</summary>
public static class HelplineModules
{
    public static readonly HelplineModule Platform = new("Platform", typeof(Helpline.Platform.PlatformSchema).Assembly, null);
    public static readonly HelplineModule Jurisdictions = new("Jurisdictions", typeof(Helpline.Jurisdictions.JurisdictionsSchema).Assembly, "jurisdictions");
    public static readonly HelplineModule Catalogue = new("Catalogue", typeof(Helpline.Catalogue.CatalogueSchema).Assembly, "catalogue");
    public static readonly HelplineModule Officers = new("Officers", typeof(Helpline.Officers.OfficersSchema).Assembly, "officers");
    public static readonly HelplineModule Sla = new("Sla", typeof(Helpline.Sla.SlaSchema).Assembly, "sla");
    public static readonly HelplineModule Grievances = new("Grievances", typeof(Helpline.Grievances.GrievancesSchema).Assembly, "grievances");

    public static readonly HelplineModule Workload = new("Workload", typeof(Helpline.Workload.WorkloadSchema).Assembly, "workload");
    public static readonly HelplineModule CallBacks = new("CallBacks", typeof(Helpline.CallBacks.CallBacksSchema).Assembly, "callbacks");
    public static readonly HelplineModule Accountability = new("Accountability", typeof(Helpline.Accountability.AccountabilitySchema).Assembly, "accountability");
    public static readonly HelplineModule Feed = new("Feed", typeof(Helpline.Feed.FeedSchema).Assembly, "feed");
    public static readonly HelplineModule Access = new("Access", typeof(Helpline.Access.AccessSchema).Assembly, "access");

    // Owns no table: it answers from the other modules' in-memory reference data.
    public static readonly HelplineModule PublicDirectory = new("PublicDirectory", typeof(Helpline.PublicDirectory.PublicDirectoryModule).Assembly, null);

    public static IReadOnlyList<HelplineModule> All { get; } = [Platform, Jurisdictions, Catalogue, Officers, Sla, Grievances, Workload, CallBacks, Accountability, Feed, PublicDirectory, Access];

    /// <summary>xUnit data: one row per module.</summary>
    public static TheoryData<string> Names => new(All.Select(m => m.Name));

    public static HelplineModule Named(string name) => All.Single(m => m.Name == name);

    /// <summary>The types the compiler wrote for the module's own code (not Orleans' generated codecs, not compiler closures).</summary>
    public static IEnumerable<Type> OwnTypes(this HelplineModule module) =>
        module.Assembly.GetTypes().Where(t =>
            t.Namespace?.StartsWith("OrleansCodeGen", StringComparison.Ordinal) != true
            && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false)
            && !t.Name.StartsWith('<'));
}

/// <summary>The checkout the tests were built from (the folder holding Helpline.sln).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Helpline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Helpline.sln above {AppContext.BaseDirectory}.");
    }
}
