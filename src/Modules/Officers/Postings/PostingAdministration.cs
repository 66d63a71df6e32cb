using System.Text.RegularExpressions;
using Helpline.Officers.Roster;
using Helpline.Platform.Errors;
using Helpline.Platform.Text;
using Npgsql;

namespace Helpline.Officers.Postings;

/// <summary>How a posting ended, as an administrator gives it.</summary>
internal enum PostingEndReason
{
    Transfer,
    Retirement,
}

/// <summary>
/// An administrator's changes to who holds which seat: officers added, posted, their postings ended, leave recorded and
/// ended, office phones set. Each is validated first (nothing changes on error), then written in one transaction under
/// the roster's write lock with the <see cref="PositionHolderChanged"/> events it causes and a roster notice, so every
/// silo reloads; this silo's directory is refreshed before returning. Officers and seats touched get origin
/// <c>admin</c>, which the generated-roster loader never overwrites.
/// </summary>
internal sealed partial class PostingAdministration(NpgsqlDataSource dataSource, RosterStore store, OfficerDirectory directory, TimeProvider? clock = null)
{
    /// <summary>How far before now a leave's start may lie and still be taken as "now" (the request's own transit).</summary>
    internal static readonly TimeSpan StartGrace = TimeSpan.FromMinutes(1);

    internal const int MaxNameLength = 100;
    internal const int MaxNoteLength = 500;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<Officer> AddOfficerAsync(string clientRequestId, string name, string mobile, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(clientRequestId) || clientRequestId.Length > 100)
        {
            throw new HelplineException(ErrorCodes.Invalid, "The client request id must be 1 to 100 characters.", "input.clientRequestId");
        }

        var cleanName = UserText.Require(name, MaxNameLength, "input.name", singleLine: true);
        // Written as people write it (+91 94150 12345, 0-9415012345): stored as the ten digits.
        var cleanMobile = IndianMobile.Normalize(mobile);
        if (cleanMobile is null)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"{UserText.Quote(mobile)} is not a ten-digit Indian mobile number (starting with 6 to 9).", "input.mobile");
        }

        await using var write = await PostingWrite.BeginAsync(dataSource, _clock.GetUtcNow(), actor, cancellationToken);
        var existing = await write.ScalarAsync<string>("select id from officers.officer where client_request_id = $1", cancellationToken, clientRequestId);
        if (existing is not null)
        {
            var stored = (await write.OfficerAsync(existing, cancellationToken))!;
            return stored.Name == cleanName && stored.Mobile == cleanMobile
                ? stored
                : throw new HelplineException(
                    ErrorCodes.Invalid, $"The client request id '{clientRequestId}' was already used to add {stored.Id} ({stored.Name}) with other details.", "input.clientRequestId");
        }

        var number = await write.ScalarAsync<long>("select coalesce(max(substring(id from 5)::bigint), 0) + 1 from officers.officer", cancellationToken);
        var officer = new Officer($"OFF-{number:D6}", cleanName, cleanMobile, null);
        await write.ExecuteAsync(
            "insert into officers.officer (id, name, mobile, position_id, origin, client_request_id) values ($1, $2, $3, null, 'admin', $4)",
            cancellationToken, officer.Id, officer.Name, officer.Mobile, clientRequestId);
        await write.PublishRosterChangeAsync($"officer {officer.Id} added by {actor}", cancellationToken);
        await write.CommitAsync(cancellationToken);
        await directory.RefreshAsync(store, cancellationToken);
        return officer;
    }

    /// <summary>
    /// Posts the officer to the position. Their current posting, if any, ends as a transfer. A single seat held by
    /// another is refused unless <paramref name="relieveHolder"/>, which ends that holder's posting (relieved) in the
    /// same change; a pool takes one more member (relieving is refused: nobody is displaced). Joining a pool that has
    /// members publishes no holder change (nobody's grievances move; new ones are the pool assignment's to give);
    /// joining an empty pool is published as for a vacant seat.
    /// </summary>
    public async Task<Officer> PostAsync(string officerId, string positionId, bool relieveHolder, string? note, string actor, CancellationToken cancellationToken)
    {
        var cleanNote = Note(note);
        await using var write = await PostingWrite.BeginAsync(dataSource, _clock.GetUtcNow(), actor, cancellationToken);
        var officer = await RequireOfficerAsync(write, officerId, "input.officerId", cancellationToken);
        var (exists, poolCapacity) = string.IsNullOrWhiteSpace(positionId) ? (false, null) : await write.LockPositionAsync(positionId, cancellationToken);
        if (!exists)
        {
            throw new HelplineException(OfficerErrorCodes.UnknownPosition, $"No position has the id '{positionId}'.", "input.positionId");
        }

        var pool = poolCapacity is not null;
        if (pool && relieveHolder)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"Position '{positionId}' is a pool: posting adds a member and relieves nobody; end a member's posting with endPosting instead of relieveHolder.",
                "input.relieveHolder");
        }

        if (officer.PositionId == positionId)
        {
            return officer; // already posted there: a retry changes nothing
        }

        var holder = await write.PostedHolderAsync(positionId, cancellationToken);
        if (!pool && holder is not null && !relieveHolder)
        {
            throw new HelplineException(
                OfficerErrorCodes.PositionHeld,
                $"Position '{positionId}' is held by {holder.Id} ({holder.Name}); end that posting first, or pass relieveHolder: true to relieve them.",
                "input.positionId");
        }

        var relieved = pool ? null : holder;
        var actingBefore = pool ? await write.PoolActingAsync(positionId, cancellationToken) : await write.ActingForAsync(holder, cancellationToken);
        if (relieved is not null)
        {
            await write.EndPostingAsync(relieved.Id, positionId, "relieved", cleanNote, cancellationToken);
        }

        if (officer.PositionId is { } oldSeat)
        {
            await LeaveSeatAsync(write, officer, oldSeat, "transfer", cleanNote, cancellationToken);
        }

        await write.StartPostingAsync(officer.Id, positionId, cleanNote, cancellationToken);
        if (!pool || actingBefore is null)
        {
            var actingAfter = pool ? await write.PoolActingAsync(positionId, cancellationToken) : await write.ActingForAsync(officer with { PositionId = positionId }, cancellationToken);
            await write.PublishAsync(positionId, actingBefore, actingAfter, HolderChangeReason.Posted, true, write.Now, actor, cleanNote, cancellationToken);
        }

        await write.MarkAdminAsync([officer.Id, relieved?.Id], [positionId, officer.PositionId], cancellationToken);
        await write.PublishRosterChangeAsync(
            $"{officer.Id} posted to {positionId}" + (officer.PositionId is { } from ? $" from {from}" : string.Empty) + (relieved is null ? string.Empty : $", relieving {relieved.Id}"),
            cancellationToken);
        await write.CommitAsync(cancellationToken);
        await directory.RefreshAsync(store, cancellationToken);
        return officer with { PositionId = positionId };
    }

    /// <summary>Ends the officer's posting (transfer out or retirement); a single seat is left with nobody posted, a pool with its other members.</summary>
    public async Task<Officer> EndPostingAsync(string officerId, PostingEndReason reason, string? note, string actor, CancellationToken cancellationToken)
    {
        var cleanNote = Note(note);
        await using var write = await PostingWrite.BeginAsync(dataSource, _clock.GetUtcNow(), actor, cancellationToken);
        var officer = await RequireOfficerAsync(write, officerId, "input.officerId", cancellationToken);
        if (officer.PositionId is not { } seat)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"{officer.Id} ({officer.Name}) is not posted to any position, so there is no posting to end.", "input.officerId");
        }

        if ((await write.ChargesOfAsync(officer.Id, cancellationToken)).Find(l => l.EffectiveEnd > write.Now) is { } charge)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"{officer.Id} ({officer.Name}) holds the charge for {charge.OfficerId}'s leave {charge.Id} from {charge.StartsAt:O} to {charge.EffectiveEnd:O}; end that leave and record it again with another charge officer first.",
                "input.officerId");
        }

        await LeaveSeatAsync(write, officer, seat, reason == PostingEndReason.Retirement ? "retirement" : "transfer", cleanNote, cancellationToken);
        await write.MarkAdminAsync([officer.Id], [seat], cancellationToken);
        await write.PublishRosterChangeAsync($"posting of {officer.Id} at {seat} ended ({reason})", cancellationToken);
        await write.CommitAsync(cancellationToken);
        await directory.RefreshAsync(store, cancellationToken);
        return officer with { PositionId = null };
    }

    /// <summary>
    /// Ends the officer's posting at <paramref name="seat"/> and publishes who acts for it from now. A single seat is
    /// left vacant: whoever acted for it (the officer, or their charge) no longer does, and its grievances stay until
    /// someone is posted. A pool member's leaving names them as the one who left and moves open grievances: the
    /// Grievances module hands what they (or a charge they no longer need) hold to the remaining members; when none
    /// remains the pool is vacant, as a single seat would be.
    /// </summary>
    private static async Task LeaveSeatAsync(PostingWrite write, Officer officer, string seat, string endReason, string? note, CancellationToken cancellationToken)
    {
        if (await write.IsPoolAsync(seat, cancellationToken))
        {
            await write.EndPostingAsync(officer.Id, seat, endReason, note, cancellationToken);
            var acting = await write.PoolActingAsync(seat, cancellationToken);
            await write.PublishAsync(seat, officer.Id, acting, HolderChangeReason.PostingEnded, true, write.Now, write.Actor, note, cancellationToken);
            return;
        }

        var actingBefore = await write.ActingForAsync(officer, cancellationToken);
        await write.EndPostingAsync(officer.Id, seat, endReason, note, cancellationToken);
        await write.PublishAsync(seat, actingBefore, null, HolderChangeReason.PostingEnded, false, write.Now, write.Actor, note, cancellationToken);
    }

    /// <summary>Sets (or clears, with null) a seat's office phone.</summary>
    public async Task<Position> SetOfficePhoneAsync(string positionId, string? officePhone, string actor, CancellationToken cancellationToken)
    {
        var phone = Phone(officePhone);
        await using var write = await PostingWrite.BeginAsync(dataSource, _clock.GetUtcNow(), actor, cancellationToken);
        if (string.IsNullOrWhiteSpace(positionId) || !await write.PositionExistsAsync(positionId, cancellationToken))
        {
            throw new HelplineException(OfficerErrorCodes.UnknownPosition, $"No position has the id '{positionId}'.", "input.positionId");
        }

        var changed = await write.ExecuteAsync(
            "update officers.position set office_phone = $2, origin = 'admin' where id = $1 and (office_phone is distinct from $2 or origin <> 'admin')",
            cancellationToken, positionId, (object?)phone ?? DBNull.Value);
        if (changed > 0)
        {
            await write.PublishRosterChangeAsync($"office phone of {positionId} set", cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        await directory.RefreshAsync(store, cancellationToken);
        return directory.FindPosition(positionId)!;
    }

    internal static async Task<Officer> RequireOfficerAsync(PostingWrite write, string officerId, string field, CancellationToken cancellationToken) =>
        (string.IsNullOrWhiteSpace(officerId) ? null : await write.OfficerAsync(officerId, cancellationToken))
        ?? throw new HelplineException(OfficerErrorCodes.UnknownOfficer, $"No officer has the id '{officerId}'.", field);

    internal static string? Note(string? note) =>
        string.IsNullOrWhiteSpace(note) ? null : UserText.Require(note, MaxNoteLength, "input.note");

    /// <summary>
    /// A phone as digits: a mobile as <see cref="IndianMobile"/> reads it, or a landline with its STD code (0 then ten
    /// digits, +91 in place of the 0 allowed) with spaces, hyphens and brackets dropped.
    /// </summary>
    internal static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        if (IndianMobile.Normalize(phone) is { } mobile)
        {
            return mobile;
        }

        var digits = SeparatorPattern().Replace(phone.Trim(), string.Empty);
        digits = digits.StartsWith("+91", StringComparison.Ordinal) ? "0" + digits[3..] : digits;
        return LandlinePattern().IsMatch(digits)
            ? digits
            : throw new HelplineException(
                ErrorCodes.Invalid,
                $"'{phone}' is not an office phone: give a ten-digit mobile number or a landline with its STD code (0 and ten digits, e.g. 0522-2234567).",
                "input.officePhone");
    }

    [GeneratedRegex("^0[1-9][0-9]{9}$")]
    private static partial Regex LandlinePattern();

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex SeparatorPattern();
}
