namespace Helpline.ArchitectureTests;

/// <summary>A module's public types are its contract (<see cref="ModuleContract"/>); everything else is internal.</summary>
public sealed class PublicSurfaceTests
{
    [Theory]
    [MemberData(nameof(HelplineModules.Names), MemberType = typeof(HelplineModules))]
    public void PublicTypesArePartOfTheContract(string moduleName)
    {
        var module = HelplineModules.Named(moduleName);
        var offenders = module.OwnTypes()
            .Where(t => t.IsVisible && !ModuleContract.IsContract(t))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offenders.Count == 0,
            $"Public types of Helpline.{module.Name} that are not part of its contract (make them internal, or see ModuleContract): {string.Join(", ", offenders)}");
    }

    [Fact]
    public void EveryAllowedTypeExistsAndNeedsTheException()
    {
        var visible = HelplineModules.All.SelectMany(m => m.OwnTypes()).Where(t => t.IsVisible)
            .ToDictionary(t => t.FullName!, StringComparer.Ordinal);
        var stale = ModuleContract.Allowed.Keys.Where(k => !visible.ContainsKey(k)).ToList();

        Assert.True(stale.Count == 0, $"Remove from ModuleContract.Allowed (no longer public or renamed): {string.Join(", ", stale)}");
    }

    [Fact]
    public void TheRuleRejectsAPublicServiceClass()
    {
        Assert.False(ModuleContract.IsContract(typeof(PublicSurfaceTests)));
        Assert.True(ModuleContract.IsContract(typeof(HelplineModule)));
    }
}
