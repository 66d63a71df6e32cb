using System.Reflection;
using NetArchTest.Rules;

namespace Helpline.ArchitectureTests;

/// <summary>
/// Grains are sealed and carry a stable <see cref="GrainTypeAttribute"/> (the grain type is part of every stored
/// grain id); grain interfaces and persisted state types carry an <see cref="AliasAttribute"/>, so renaming or moving
/// the .NET type does not change what is on the wire or in storage.
/// </summary>
public sealed class GrainConventionTests
{
    // Each entry names a type the rule does not yet hold for and why; remove the entry when the type is fixed.
    private static readonly Dictionary<string, string> KnownExceptions = new(StringComparer.Ordinal)
    {
    };

    [Theory]
    [MemberData(nameof(HelplineModules.Names), MemberType = typeof(HelplineModules))]
    public void GrainsAreSealed(string moduleName)
    {
        var result = Types.InAssembly(HelplineModules.Named(moduleName).Assembly)
            .That().Inherit<Grain>().Or().ImplementInterface<IGrainBase>()
            .And().AreClasses().And().AreNotAbstract()
            .Should().BeSealed()
            .GetResult();

        Assert.True(result.IsSuccessful, $"Grains must be sealed: {Names(result.FailingTypes.Select(t => t.FullName))}");
    }

    [Theory]
    [MemberData(nameof(HelplineModules.Names), MemberType = typeof(HelplineModules))]
    public void GrainsHaveAStableGrainType(string moduleName)
    {
        var missing = Grains(HelplineModules.Named(moduleName))
            .Where(t => t.GetCustomAttribute<GrainTypeAttribute>() is null)
            .Select(t => t.FullName!)
            .Where(n => !KnownExceptions.ContainsKey(n))
            .ToList();

        Assert.True(missing.Count == 0, $"Grains without [GrainType(\"...\")]: {Names(missing)}");
    }

    [Theory]
    [MemberData(nameof(HelplineModules.Names), MemberType = typeof(HelplineModules))]
    public void GrainInterfacesHaveAnAlias(string moduleName)
    {
        var missing = HelplineModules.Named(moduleName).OwnTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))
            .Where(t => t.GetCustomAttribute<AliasAttribute>() is null)
            .Select(t => t.FullName!)
            .ToList();

        Assert.True(missing.Count == 0, $"Grain interfaces without [Alias(\"...\")]: {Names(missing)}");
    }

    [Theory]
    [MemberData(nameof(HelplineModules.Names), MemberType = typeof(HelplineModules))]
    public void PersistedStateTypesHaveAnAlias(string moduleName)
    {
        var missing = PersistedStateTypes(HelplineModules.Named(moduleName))
            .Where(t => t.GetCustomAttribute<AliasAttribute>() is null)
            .Select(t => t.FullName!)
            .ToList();

        Assert.True(missing.Count == 0, $"Persisted grain state types without [Alias(\"...\")]: {Names(missing)}");
    }

    [Fact]
    public void TheRulesSeeTheGrainsThatExist()
    {
        var all = HelplineModules.All.SelectMany(Grains).Select(t => t.Name).ToList();
        Assert.Contains("OfficerGrain", all);
        Assert.Contains("GrievanceGrain", all);
        Assert.Contains("GrievanceState", HelplineModules.All.SelectMany(PersistedStateTypes).Select(t => t.Name));
    }

    [Fact]
    public void EveryKnownExceptionIsStillNeeded()
    {
        var grainsWithoutType = HelplineModules.All.SelectMany(Grains)
            .Where(t => t.GetCustomAttribute<GrainTypeAttribute>() is null)
            .Select(t => t.FullName!)
            .ToHashSet();
        var stale = KnownExceptions.Keys.Where(k => !grainsWithoutType.Contains(k)).ToList();

        Assert.True(stale.Count == 0, $"Remove these entries from KnownExceptions, the rule holds for them now: {Names(stale)}");
    }

    private static IEnumerable<Type> Grains(HelplineModule module) =>
        module.OwnTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(IGrainBase).IsAssignableFrom(t));

    // The T of every IPersistentState<T> a grain takes in its constructor.
    private static IEnumerable<Type> PersistedStateTypes(HelplineModule module) =>
        Grains(module)
            .SelectMany(g => g.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            .SelectMany(c => c.GetParameters())
            .Select(p => p.ParameterType)
            .Where(p => p.IsGenericType && p.GetGenericTypeDefinition() == typeof(IPersistentState<>))
            .Select(p => p.GetGenericArguments()[0])
            .Distinct();

    private static string Names(IEnumerable<string?> names) => string.Join(", ", names);
}
