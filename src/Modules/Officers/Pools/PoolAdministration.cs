using Helpline.Officers.Postings;
using Helpline.Officers.Roster;
using Helpline.Platform.Errors;
using Npgsql;

namespace Helpline.Officers.Pools;

/// <summary>
/// An administrator's changes to pools: a seat made a pool (or its members' capacity changed, or made a single seat
/// again) and an officer's own capacity. Each is validated first (nothing changes on error), then written in one
/// transaction under the roster's write lock with its history row (<c>officers.pool_change</c>) and a roster notice,
/// so every silo reloads; this silo's directory is refreshed before returning. The same change sent again changes and
/// records nothing. No change here alters who serves a seat, so none publishes a holder change.
/// </summary>
internal sealed class PoolAdministration(NpgsqlDataSource dataSource, RosterStore store, OfficerDirectory directory, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Makes the seat a pool whose members each take <paramref name="capacity"/> open grievances (unless they have their
    /// own), changes that capacity, or with null makes it a single seat again: refused while more than one officer is posted.
    /// </summary>
    public async Task<Position> SetPoolAsync(string positionId, int? capacity, string actor, CancellationToken cancellationToken)
    {
        Check(capacity);
        await using var write = await PostingWrite.BeginAsync(dataSource, _clock.GetUtcNow(), actor, cancellationToken);
        var (exists, before) = string.IsNullOrWhiteSpace(positionId) ? (false, null) : await write.LockPositionAsync(positionId, cancellationToken);
        if (!exists)
        {
            throw new HelplineException(OfficerErrorCodes.UnknownPosition, $"No position has the id '{positionId}'.", "positionId");
        }

        if (before != capacity)
        {
            if (capacity is null && await write.MemberCountAsync(positionId, cancellationToken) is var members and > 1)
            {
                throw new HelplineException(
                    OfficerErrorCodes.PoolHasMembers,
                    $"Position '{positionId}' has {members} officers posted; a single seat has one. End the other postings first.",
                    "positionId");
            }

            await write.ExecuteAsync(
                "update officers.position set pool_capacity = $2, origin = 'admin' where id = $1", cancellationToken, positionId, capacity);
            await write.ExecuteAsync(
                "insert into officers.pool_change (at, actor, position_id, capacity_before, capacity_after) values ($1, $2, $3, $4, $5)",
                cancellationToken, write.Now, actor, positionId, before, capacity);
            await write.PublishRosterChangeAsync(
                capacity is null ? $"{positionId} made a single seat by {actor}" : $"{positionId} made a pool of capacity {capacity} by {actor}", cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        await directory.RefreshAsync(store, cancellationToken);
        return directory.FindPosition(positionId)!;
    }

    /// <summary>Sets the officer's own capacity in a pool; null: the pool's.</summary>
    public async Task<Officer> SetOfficerCapacityAsync(string officerId, int? capacity, string actor, CancellationToken cancellationToken)
    {
        Check(capacity);
        await using var write = await PostingWrite.BeginAsync(dataSource, _clock.GetUtcNow(), actor, cancellationToken);
        var officer = await PostingAdministration.RequireOfficerAsync(write, officerId, "officerId", cancellationToken);
        if (officer.Capacity != capacity)
        {
            await write.ExecuteAsync("update officers.officer set capacity = $2, origin = 'admin' where id = $1", cancellationToken, officer.Id, capacity);
            await write.ExecuteAsync(
                "insert into officers.pool_change (at, actor, officer_id, capacity_before, capacity_after) values ($1, $2, $3, $4, $5)",
                cancellationToken, write.Now, actor, officer.Id, officer.Capacity, capacity);
            await write.PublishRosterChangeAsync($"capacity of {officer.Id} set to {capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the pool's"} by {actor}", cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        await directory.RefreshAsync(store, cancellationToken);
        return directory.FindOfficer(officer.Id)!;
    }

    private static void Check(int? capacity)
    {
        if (capacity is < 1 or > PoolDefaults.MaxCapacity)
        {
            throw new HelplineException(
                ErrorCodes.Invalid, $"A capacity is 1 to {PoolDefaults.MaxCapacity} open grievances (or null); {capacity} is not.", "capacity");
        }
    }
}
