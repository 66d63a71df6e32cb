using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;

namespace Helpline.Officers.Postings;

/// <summary>
/// Publishes the start and end of leave recorded earlier, once each, when their instant has passed: for each due leave
/// a <see cref="HolderChangeReason.LeaveStarted"/> (to the charge officer) and a <see cref="HolderChangeReason.LeaveEnded"/>
/// (back to the holder), at the leave's own instants, with the flag that says so set in the same transaction. Who acts
/// for a seat never waits for this: the directory computes it from the clock; the events tell the Grievances module to
/// move open grievances. An officer no longer posted when their leave begins or ends has no seat to announce for.
/// </summary>
internal sealed partial class LeaveAnnouncer(NpgsqlDataSource dataSource, ILogger<LeaveAnnouncer> logger, TimeProvider? clock = null)
{
    /// <summary>The actor of changes that happen on their own.</summary>
    internal const string SystemActor = "system";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Announces every start and end due now; returns how many events were published.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        await using var write = await PostingWrite.BeginAsync(dataSource, now, SystemActor, cancellationToken);
        var due = await LeaveRows.ReadAsync(
            write.Connection, write.Transaction, "where not end_announced and (not start_announced or ends_at <= $1) and starts_at <= $1", cancellationToken, now);
        var published = 0;
        foreach (var leave in due)
        {
            var started = await write.ScalarAsync<bool>("select start_announced from officers.leave where id = $1", cancellationToken, leave.Id);
            var seat = (await write.OfficerAsync(leave.OfficerId, cancellationToken))?.PositionId;

            // A pool member's leave moves no open grievances: theirs stay with them (the supervisor's rebalancing moves
            // them) and new ones go to the other members. What a charge officer was given while every member was away
            // goes back to the members through the holder sweep once the charge ends.
            var move = seat is not null && !await write.IsPoolAsync(seat, cancellationToken);
            if (!started)
            {
                if (seat is not null)
                {
                    await write.PublishAsync(seat, leave.OfficerId, leave.ChargeOfficerId, HolderChangeReason.LeaveStarted, leave.HandOverOpen && move, leave.StartsAt, SystemActor, leave.Note, cancellationToken);
                    published++;
                }

                await write.ExecuteAsync("update officers.leave set start_announced = true where id = $1", cancellationToken, leave.Id);
            }

            if (leave.EndsAt <= now)
            {
                if (seat is not null)
                {
                    await write.PublishAsync(seat, leave.ChargeOfficerId, leave.OfficerId, HolderChangeReason.LeaveEnded, move, leave.EndsAt, SystemActor, leave.Note, cancellationToken);
                    published++;
                }

                await write.ExecuteAsync("update officers.leave set end_announced = true where id = $1", cancellationToken, leave.Id);
            }
        }

        await write.CommitAsync(cancellationToken);
        if (published > 0)
        {
            LogAnnounced(published, due.Count);
        }

        return published;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Leave announcements: {Published} holder changes published for {Leaves} leaves")]
    private partial void LogAnnounced(int published, int leaves);
}

/// <summary>Quartz job running <see cref="LeaveAnnouncer"/> every minute (clustered: one silo at a time).</summary>
[DisallowConcurrentExecution]
internal sealed class LeaveAnnouncementJob(LeaveAnnouncer announcer) : IJob
{
    public static readonly JobKey Key = new("leave-announcements", "officers");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await announcer.RunAsync(cancellationToken);
}
