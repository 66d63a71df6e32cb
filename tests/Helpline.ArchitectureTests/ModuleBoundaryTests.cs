using System.Runtime.CompilerServices;
using NetArchTest.Rules;

namespace Helpline.ArchitectureTests;

/// <summary>A module reaches another only through the other's contract: no friend assemblies, no non-contract types.</summary>
public sealed class ModuleBoundaryTests
{
    // Assemblies allowed to see a module's internals: its tests and the load-test tool. Never another module.
    private static readonly HashSet<string> FriendAssemblies = new(StringComparer.Ordinal)
    {
        "Helpline.Tests",
        "Helpline.LoadTests",
    };

    [Theory]
    [MemberData(nameof(HelplineModules.Names), MemberType = typeof(HelplineModules))]
    public void InternalsAreVisibleOnlyToTestAssemblies(string moduleName)
    {
        var module = HelplineModules.Named(moduleName);
        var friends = module.Assembly.GetCustomAttributes(typeof(InternalsVisibleToAttribute), inherit: false)
            .Cast<InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName.Split(',')[0].Trim())
            .ToList();

        var wrong = friends.Where(f => !FriendAssemblies.Contains(f)).ToList();

        Assert.True(wrong.Count == 0,
            $"Helpline.{module.Name} gives InternalsVisibleTo to {string.Join(", ", wrong)}; only test assemblies "
            + $"({string.Join(", ", FriendAssemblies)}) may see a module's internals. Put what another module needs in the contract.");
    }

    [Theory]
    [MemberData(nameof(HelplineModules.Names), MemberType = typeof(HelplineModules))]
    public void UsesOtherModulesOnlyThroughTheirContracts(string moduleName)
    {
        var module = HelplineModules.Named(moduleName);
        var offences = new List<string>();
        foreach (var other in HelplineModules.All.Where(o => o != module))
        {
            var forbidden = other.OwnTypes().Where(t => !ModuleContract.IsContract(t)).Select(t => t.FullName!).ToArray();
            if (forbidden.Length == 0)
            {
                continue;
            }

            var result = Types.InAssembly(module.Assembly)
                .Should().NotHaveDependencyOnAny(forbidden)
                .GetResult();
            if (!result.IsSuccessful)
            {
                // Name what each offender uses (one scan per forbidden type: only on failure).
                foreach (var used in forbidden)
                {
                    var users = Types.InAssembly(module.Assembly).That().HaveDependencyOnAny(used).GetTypes();
                    offences.AddRange(users.Select(u => $"{u.FullName} uses {used}, which is not part of Helpline.{other.Name}'s contract"));
                }
            }
        }

        Assert.True(offences.Count == 0,
            $"Helpline.{module.Name} reaches into other modules:\n  {string.Join("\n  ", offences)}");
    }
}
