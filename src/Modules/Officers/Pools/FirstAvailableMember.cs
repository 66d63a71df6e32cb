using Helpline.Platform.Errors;

namespace Helpline.Officers.Pools;

/// <summary>
/// A stand-in <see cref="IPoolAssignment"/> until the Workload module's load-aware one is registered, which replaces it:
/// this one is added with <c>TryAddSingleton</c> by the Officers module, so a registration made before it, or an
/// <c>AddSingleton</c> by a module registered after it (the Workload module), is the one resolved. It
/// chooses as <see cref="IOfficerDirectory.HolderOf"/> does: the pool's first member by officer id not on leave, else
/// the charge officer of its first member. It knows nothing of load.
/// </summary>
internal sealed class FirstAvailableMember(IOfficerDirectory officers) : IPoolAssignment
{
    /// <summary>The reason each choice gives.</summary>
    internal const string Reason = "first available member";

    public Task<PoolChoice> ChooseAsync(Position pool, string grievanceKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var officer = officers.HolderOf(pool.Id)
            ?? throw new HelplineException(OfficerErrorCodes.NoRoute, $"Nobody is posted to the pool '{pool.Id}' and nobody holds its charge.");
        return Task.FromResult(new PoolChoice(officer, Reason));
    }
}
