using Helpline.Officers.Roster;
using Helpline.Platform.Errors;
using Npgsql;

namespace Helpline.Officers.Postings;

/// <summary>
/// Leave recorded and ended by an administrator. A leave that begins now is announced (<see cref="HolderChangeReason.LeaveStarted"/>)
/// in the transaction that records it; one that begins or ends later is announced by <see cref="LeaveAnnouncer"/>.
/// Ending a leave early announces its end at once.
/// </summary>
internal sealed class LeaveAdministration(NpgsqlDataSource dataSource, RosterStore store, OfficerDirectory directory, TimeProvider? clock = null)
{
    /// <summary>The last instant a leave may end: the end of 2099, as far as the SLA calendars reach.</summary>
    internal static readonly DateTimeOffset Latest = new(2099, 12, 31, 23, 59, 59, TimeSpan.Zero);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<OfficerLeave> RecordAsync(
        string officerId, DateTimeOffset from, DateTimeOffset to, string chargeOfficerId, bool handOverOpen, string? note, string actor, CancellationToken cancellationToken)
    {
        var cleanNote = PostingAdministration.Note(note);
        from = from.ToUniversalTime();
        to = to.ToUniversalTime();
        var now = _clock.GetUtcNow();
        if (to <= from)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'to' ({to:O}) must be after 'from' ({from:O}).", "input.to");
        }

        if (to > Latest)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'to' ({to:O}) is after {Latest:O}, the last instant leave may end.", "input.to");
        }

        await using var write = await PostingWrite.BeginAsync(dataSource, now, actor, cancellationToken);
        var officer = await PostingAdministration.RequireOfficerAsync(write, officerId, "input.officerId", cancellationToken);
        if (officer.PositionId is not { } seat)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"{officer.Id} ({officer.Name}) is not posted to any position, so nobody needs to hold a charge for them.", "input.officerId");
        }

        // In a pool a member's open grievances stay with them while away (the supervisor's rebalancing moves them);
        // only new ones go elsewhere, to the other members.
        var pool = await write.IsPoolAsync(seat, cancellationToken);
        if (pool && handOverOpen)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"{officer.Id} is a member of the pool '{seat}': their open grievances stay with them during leave (new ones go to the other members); record it without handOverOpen.",
                "input.handOverOpen");
        }

        var mine = await write.LeavesOfAsync(officer.Id, cancellationToken);
        if (mine.Find(l => l.StartsAt == from && l.EndsAt == to && l.EndedAt is null && l.ChargeOfficerId == chargeOfficerId && l.HandOverOpen == handOverOpen) is { } same)
        {
            return same; // the same leave recorded again: a retry changes nothing, even once its start has passed
        }

        if (from < now - PostingAdministration.StartGrace)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'from' ({from:O}) is in the past (now is {now:O}); leave is recorded from now on.", "input.from");
        }

        if (mine.Find(l => l.Overlaps(from, to)) is { } overlapping)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"{officer.Id} already has leave {overlapping.Id} from {overlapping.StartsAt:O} to {overlapping.EffectiveEnd:O}, which overlaps {from:O} to {to:O}.",
                "input.from");
        }

        await CheckChargeOfficerAsync(write, officer, chargeOfficerId, from, to, cancellationToken);
        if ((await write.ChargesOfAsync(officer.Id, cancellationToken)).Find(l => l.Overlaps(from, to)) is { } charge)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"{officer.Id} holds the charge for {charge.OfficerId}'s leave from {charge.StartsAt:O} to {charge.EffectiveEnd:O}, which overlaps {from:O} to {to:O}; name another charge officer for that leave first.",
                "input.from");
        }

        var startsNow = from <= now;
        var id = await write.ScalarAsync<long>(
            """
            insert into officers.leave (officer_id, starts_at, ends_at, charge_officer_id, hand_over_open, note, recorded_by, recorded_at, start_announced)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id
            """,
            cancellationToken, officer.Id, from, to, chargeOfficerId, handOverOpen, (object?)cleanNote ?? DBNull.Value, actor, now, startsNow);
        if (startsNow)
        {
            await write.PublishAsync(seat, officer.Id, chargeOfficerId, HolderChangeReason.LeaveStarted, handOverOpen && !pool, now, actor, cleanNote, cancellationToken);
        }

        await write.MarkAdminAsync([officer.Id, chargeOfficerId], [seat], cancellationToken);
        await write.PublishRosterChangeAsync($"leave {id} of {officer.Id} recorded, {chargeOfficerId} holding charge", cancellationToken);
        await write.CommitAsync(cancellationToken);
        await directory.RefreshAsync(store, cancellationToken);
        return new OfficerLeave(id, officer.Id, from, to, chargeOfficerId, handOverOpen, cleanNote, actor, now, null, null, null);
    }

    /// <summary>Ends a leave now: in force, its holder acts again at once; not yet begun, it is cancelled.</summary>
    public async Task<OfficerLeave> EndAsync(long leaveId, string? note, string actor, CancellationToken cancellationToken)
    {
        var cleanNote = PostingAdministration.Note(note);
        var now = _clock.GetUtcNow();
        await using var write = await PostingWrite.BeginAsync(dataSource, now, actor, cancellationToken);
        var leave = (await LeaveRows.ReadAsync(write.Connection, write.Transaction, "where id = $1", cancellationToken, leaveId)).SingleOrDefault()
            ?? throw new HelplineException(ErrorCodes.Invalid, $"No leave has the id '{leaveId}'.", "input.leaveId");
        if (leave.EndedAt is not null || leave.EndsAt <= now)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"Leave {leaveId} of {leave.OfficerId} has already ended (at {leave.EffectiveEnd:O}).", "input.leaveId");
        }

        var started = await write.ScalarAsync<bool>("select start_announced from officers.leave where id = $1", cancellationToken, leaveId);
        await write.ExecuteAsync(
            "update officers.leave set ended_at = $2, ended_by = $3, end_note = $4, start_announced = true, end_announced = true where id = $1",
            cancellationToken, leaveId, now, actor, (object?)cleanNote ?? DBNull.Value);
        if (leave.StartsAt <= now && (await write.OfficerAsync(leave.OfficerId, cancellationToken))?.PositionId is { } seat)
        {
            // In force: if the sweep has not announced its start yet, announce it first, so the end has a start to close.
            // A pool member's leave moves no open grievances either way (LeaveAnnouncer).
            var move = !await write.IsPoolAsync(seat, cancellationToken);
            if (!started)
            {
                await write.PublishAsync(seat, leave.OfficerId, leave.ChargeOfficerId, HolderChangeReason.LeaveStarted, leave.HandOverOpen && move, leave.StartsAt, LeaveAnnouncer.SystemActor, leave.Note, cancellationToken);
            }

            await write.PublishAsync(seat, leave.ChargeOfficerId, leave.OfficerId, HolderChangeReason.LeaveEnded, move, now, actor, cleanNote, cancellationToken);
        }

        await write.PublishRosterChangeAsync($"leave {leaveId} of {leave.OfficerId} ended", cancellationToken);
        await write.CommitAsync(cancellationToken);
        await directory.RefreshAsync(store, cancellationToken);
        return leave with { EndedAt = now, EndedBy = actor, EndNote = cleanNote };
    }

    private static async Task CheckChargeOfficerAsync(
        PostingWrite write, Officer officer, string chargeOfficerId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        const string field = "input.chargeOfficerId";
        if (string.Equals(chargeOfficerId, officer.Id, StringComparison.Ordinal))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"{officer.Id} cannot hold the charge of their own seat while on leave: name another officer.", field);
        }

        var charge = (string.IsNullOrWhiteSpace(chargeOfficerId) ? null : await write.OfficerAsync(chargeOfficerId, cancellationToken))
            ?? throw new HelplineException(ErrorCodes.Invalid, $"No officer has the id '{chargeOfficerId}' to hold the charge.", field);
        if (charge.PositionId is null)
        {
            throw new HelplineException(
                ErrorCodes.Invalid, $"{charge.Id} ({charge.Name}) is not posted to any position (retired, or awaiting a posting), so cannot hold a charge.", field);
        }

        if ((await write.LeavesOfAsync(charge.Id, cancellationToken)).Find(l => l.Overlaps(from, to)) is { } away)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"{charge.Id} ({charge.Name}) is on leave from {away.StartsAt:O} to {away.EffectiveEnd:O}, during this leave, so cannot hold the charge.",
                field);
        }
    }
}
