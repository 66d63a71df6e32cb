namespace Helpline.ArchitectureTests;

/// <summary>Every module the host runs is checked by these tests.</summary>
public sealed class HostModulesTests
{
    [Fact]
    public void Every_module_of_the_host_is_checked_here_with_its_own_assembly()
    {
        var host = Helpline.Host.HelplineModules.All.Select(m => (Name: m.Name, Assembly: m.GetType().Assembly.GetName().Name)).ToList();
        var checkedHere = HelplineModules.All.Select(m => (Name: m.Name, Assembly: m.Assembly.GetName().Name)).ToList();
        Assert.Equal(host.OrderBy(x => x.Name, StringComparer.Ordinal), checkedHere.OrderBy(x => x.Name, StringComparer.Ordinal));
    }
}
