using GraphQL.Types;
using Helpline.Officers.Pools;

namespace Helpline.Officers.GraphQL;

/// <summary><c>Position.poolCapacity</c> and <c>Position.members</c>.</summary>
public sealed partial class PositionGraphType
{
    private void AddPoolFields()
    {
        Field(x => x.PoolCapacity, nullable: true)
            .Description("Set when the seat is a pool (several officers posted at once): the open grievances each member takes unless they have their own capacity. Null for a single seat.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PoolMemberGraphType>>>>("members")
            .Description("The officers posted to the seat, by officer id, with their capacity and whether on leave now: a pool's members, or a single seat's holder.")
            .Resolve(c => OfficersGraphQL.Directory(c).MembersOf(c.Source.Id));
    }
}

/// <summary><c>Officer.capacity</c>.</summary>
public sealed partial class OfficerGraphType
{
    private void AddPoolFields() =>
        Field(x => x.Capacity, nullable: true)
            .Description("The officer's own capacity in a pool (open grievances before others are preferred), set by an administrator; null: the pool's.");
}

internal sealed class PoolMemberGraphType : ObjectGraphType<PoolMember>
{
    public PoolMemberGraphType()
    {
        Name = "PoolMember";
        Description = "An officer posted to a seat, as pool assignment sees them.";
        Field<NonNullGraphType<OfficerGraphType>>("officer").Resolve(c => c.Source.Officer);
        Field(x => x.Capacity).Description("Open grievances they take before others are preferred: their own capacity, else the pool's, else 20.");
        Field(x => x.OnLeave).Description("A leave of theirs is in force now: they get nothing new.");
    }
}

internal sealed class PoolChangeGraphType : ObjectGraphType<PoolChange>
{
    public PoolChangeGraphType()
    {
        Name = "PoolChange";
        Description = "A change of a seat's pool capacity (positionId set; null after: a single seat again) or of an officer's own capacity (officerId set; null: the pool's).";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.At);
        Field(x => x.Actor);
        Field(x => x.PositionId, nullable: true);
        Field(x => x.OfficerId, nullable: true);
        Field(x => x.CapacityBefore, nullable: true);
        Field(x => x.CapacityAfter, nullable: true);
    }
}
