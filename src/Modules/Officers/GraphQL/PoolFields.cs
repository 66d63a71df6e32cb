using GraphQL;
using GraphQL.Types;
using Helpline.Officers.Pools;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Officers.GraphQL;

/// <summary>The root fields of pools: changes by an unscoped administrator, their history for administrators and auditors.</summary>
internal static class PoolFields
{
    public static void AddQueries(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PoolChangeGraphType>>>>("poolChanges")
            .AllowedTo(Role.Administrator, Role.Auditor)
            .Description($"Changes of pool capacities (setPool) and officers' own capacities (setOfficerCapacity), of a position or an officer (at least one), newest first, at most {PoolHistory.Limit}.")
            .Argument<StringGraphType>("positionId")
            .Argument<StringGraphType>("officerId")
            .ResolveAsync(async c =>
            {
                var positionId = c.GetArgument<string?>("positionId");
                var officerId = c.GetArgument<string?>("officerId");
                if (positionId is null && officerId is null)
                {
                    throw new HelplineException(ErrorCodes.Required, "Give a positionId or an officerId.", "positionId");
                }

                return await c.RequestServices!.GetRequiredService<PoolHistory>().ChangesAsync(positionId, officerId, c.CancellationToken);
            });

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PositionGraphType>>("setPool")
            .AllowedTo(Role.Administrator)
            .Description($"Makes a position a pool whose members each take 'capacity' open grievances (1..{PoolDefaults.MaxCapacity}) unless they have their own, changes that capacity, or with null makes it a single seat again (refused with POOL_HAS_MEMBERS while more than one officer is posted). Sending the same again changes nothing.")
            .Argument<NonNullGraphType<StringGraphType>>("positionId")
            .Argument<IntGraphType>("capacity")
            .ResolveAsync(async c => await Pools(c).SetPoolAsync(c.GetArgument<string>("positionId"), c.GetArgument<int?>("capacity"), Actor(c), c.CancellationToken));

        mutation.Field<NonNullGraphType<OfficerGraphType>>("setOfficerCapacity")
            .AllowedTo(Role.Administrator)
            .Description($"Sets an officer's own capacity in a pool (1..{PoolDefaults.MaxCapacity} open grievances); null: the pool's. Sending the same again changes nothing.")
            .Argument<NonNullGraphType<StringGraphType>>("officerId")
            .Argument<IntGraphType>("capacity")
            .ResolveAsync(async c => await Pools(c).SetOfficerCapacityAsync(c.GetArgument<string>("officerId"), c.GetArgument<int?>("capacity"), Actor(c), c.CancellationToken));
    }

    private static PoolAdministration Pools(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<PoolAdministration>();

    /// <summary>The acting administrator, unscoped (pools reach across departments and places as postings do).</summary>
    private static string Actor(IResolveFieldContext c)
    {
        var caller = Caller.Of(c);
        caller.RequireUnlimited("pool administration");
        return caller.Subject;
    }
}
