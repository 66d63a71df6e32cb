using Helpline.CallBacks.Domain;

namespace Helpline.CallBacks.Queue;

/// <summary>The statements of <see cref="CallBackQueue"/>, one transaction per batch of agents asking.</summary>
internal static class QueueSql
{
    public const string Campaigns = "select id, state, calling_from, calling_until from callbacks.campaign where id = any($1)";

    // One agent asking through two silos at once: the second waits here until the first commits, then finds its lease
    // (Held) instead of taking a second call. Taken in one order by every silo, so two never wait on each other.
    public const string LockAgents = """
        select count(pg_advisory_xact_lock(k))
        from (select distinct hashtextextended(u.agent || '/' || u.campaign, 7714) as k
              from unnest($1::text[], $2::text[]) as u(agent, campaign) order by 1) x
        """;

    public const string Held = $"""
        select {CallBackRow.Columns}
        from callbacks.lease l join callbacks.call_back c on c.id = l.call_back_id
        where l.agent_id = any($1) and l.campaign_id = any($3) and l.lease_until > $2 and c.state = 'pending'
        """;

    // Only what choosing needs: the whole rows of those taken come back from the lease.
    public const string Candidates = """
        select r.campaign_id, c.id, c.registered_by
        from unnest($1::text[], $2::int[]) as r(campaign_id, n)
        cross join lateral (
            select q.id, q.registered_by from callbacks.call_back q
            where q.campaign_id = r.campaign_id and q.state = 'pending' and q.callable_from <= $3 and q.id <> all($4)
              and not exists (select 1 from callbacks.lease h where h.call_back_id = q.id and h.lease_until > $3)
            order by q.due_at, q.id
            limit r.n
        ) c
        """;

    // Takes a lease only where none is live, and only on a call-back still pending and callable (an outcome or a
    // cancellation committed since the candidates were read is seen here); returns the call-backs it took. The lease
    // just written is not visible to the statement that writes it, so it is left out here and filled in by the caller.
    public const string Lease = $"""
        with taken as (
        insert into callbacks.lease (call_back_id, agent_id, campaign_id, leased_at, lease_until)
        select u.id, u.agent, u.campaign, $4, $5
        from unnest($1::uuid[], $2::text[], $3::text[]) as u(id, agent, campaign)
        join callbacks.call_back c on c.id = u.id and c.state = 'pending' and c.callable_from <= $4
        order by u.id -- every silo takes leases in the same order, so two never wait on each other
        on conflict (call_back_id) do update
            set agent_id = excluded.agent_id, campaign_id = excluded.campaign_id, leased_at = excluded.leased_at, lease_until = excluded.lease_until
            where callbacks.lease.lease_until <= excluded.leased_at
        returning call_back_id
        )
        select {CallBackRow.Columns} from taken t join callbacks.call_back c on c.id = t.call_back_id
        left join callbacks.lease l on false
        """;
}
