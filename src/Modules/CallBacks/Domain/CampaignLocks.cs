using Npgsql;

namespace Helpline.CallBacks.Domain;

/// <summary>
/// Transaction locks on campaigns, one per campaign id. The queue hands out a campaign's call-backs only under its
/// lock, and whatever changes whether a call-back nobody holds may be handed out (a cancellation, a carry-over to the
/// next day, an outcome as the lease ends) takes that campaign's lock first; so what the queue reads under the lock
/// stays true until it commits, and it leases without reading the call-backs again. Whoever waits for several takes
/// them in the order of their keys, and the queue's batches wait for none (they take those nobody holds), so no two
/// transactions wait on each other in a circle.
/// </summary>
internal static class CampaignLocks
{
    // The key of a campaign's lock is a 64-bit hash of its id, seeded apart from other advisory locks.

    /// <summary>
    /// Every transaction that takes these locks runs under these: it waits at most 5 s for a lock, and PostgreSQL ends
    /// it, and its locks, once it has been left idle for 10 s (its silo frozen or cut off mid-transaction), so one
    /// stuck transaction holds up its campaign for seconds, not until its process dies.
    /// </summary>
    public static readonly string[] BoundedWaits =
    [
        "set local lock_timeout = '5s'",
        "set local idle_in_transaction_session_timeout = '10s'",
    ];

    /// <summary>Runs <see cref="BoundedWaits"/> in <paramref name="tx"/>.</summary>
    public static async Task BoundWaitsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var setting in BoundedWaits)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Locks the campaigns in <c>$1</c> (text[]) that nobody holds now, waiting for none; returns each campaign and whether it was locked.</summary>
    public const string TryById = """
        select x.campaign, pg_try_advisory_xact_lock(x.k)
        from (select distinct u.campaign, hashtextextended(u.campaign, 7714) as k from unnest($1::text[]) as u(campaign) order by 2) x
        """;

    /// <summary>Locks the campaigns in <c>$1</c> (text[]), waiting for them.</summary>
    public const string ById = """
        select count(pg_advisory_xact_lock(k))
        from (select distinct hashtextextended(u.campaign, 7714) as k from unnest($1::text[]) as u(campaign) order by 1) x
        """;

    /// <summary>
    /// Locks the campaigns holding pending call-backs of the grievances in <c>$1</c> (text[]), waiting for them when
    /// <c>$2</c> is true, or only those nobody holds now; returns each campaign and whether it was locked.
    /// </summary>
    public const string OfGrievances = """
        select x.campaign_id, case when $2 then pg_advisory_xact_lock(x.k) is not null else pg_try_advisory_xact_lock(x.k) end
        from (select distinct c.campaign_id, hashtextextended(c.campaign_id, 7714) as k
              from callbacks.call_back c
              where c.reference_number = any($1) and c.state = 'pending' and c.campaign_id is not null
              order by 2) x
        """;

    /// <summary>Locks the campaign the call-back <c>$1</c> (uuid) is in, if any.</summary>
    public const string OfCallBack = """
        select count(pg_advisory_xact_lock(hashtextextended(c.campaign_id, 7714))) from callbacks.call_back c where c.id = $1 and c.campaign_id is not null
        """;

    /// <summary>Locks the open campaigns of days before <c>$1</c> (date), whose leftovers move to that day's.</summary>
    public const string OpenBefore = """
        select count(pg_advisory_xact_lock(k))
        from (select distinct hashtextextended(k.id, 7714) as k from callbacks.campaign k where k.state = 'open' and k.day < $1 order by 1) x
        """;
}
