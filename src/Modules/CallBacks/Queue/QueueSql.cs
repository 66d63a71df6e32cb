using Helpline.CallBacks.Domain;

namespace Helpline.CallBacks.Queue;

/// <summary>The statements of <see cref="CallBackQueue"/>, one transaction per batch of agents asking.</summary>
internal static class QueueSql
{
    // A batch's statements are prepared (parsed once per connection) but planned for each batch's own arrays and the
    // lease table as it is then: a plan made once for a nearly empty lease table would scan it for every candidate
    // when it holds a thousand live leases. And its waits are bounded, as every holder of campaign locks does.
    public static readonly string[] Settings = ["set local plan_cache_mode = force_custom_plan", .. CampaignLocks.BoundedWaits];

    public const string Campaigns = "select id, state, calling_from, calling_until from callbacks.campaign where id = any($1)";

    public const string Held = $"""
        select {CallBackRow.Columns}
        from unnest($1::text[], $2::text[]) as u(agent, campaign)
        join callbacks.lease l on l.agent_id = u.agent and l.campaign_id = u.campaign and l.lease_until > $3
        join callbacks.call_back c on c.id = l.call_back_id and c.state = 'pending'
        """;

    // The oldest due call-backs of each campaign that nobody holds, whole: the agent is answered with the row read
    // here. Under the campaign's lock nothing takes it out of the campaign before the lease is committed (an outcome
    // needs a live lease; a cancellation or a carry-over waits for the lock), see CampaignLocks.
    public const string Candidates = $"""
        select {CallBackRow.Columns}
        from unnest($1::text[], $2::int[]) with ordinality as r(campaign_id, n, ord)
        cross join lateral (
            select q.* from callbacks.call_back q
            where q.campaign_id = r.campaign_id and q.state = 'pending' and q.callable_from <= $3
              and not exists (select 1 from callbacks.lease h where h.call_back_id = q.id and h.lease_until > $3)
            order by q.due_at, q.id
            limit r.n
        ) c
        left join callbacks.lease l on false
        order by r.ord, c.due_at, c.id
        """;

    // Takes the leases of call-backs just read as candidates under their campaign's lock. A lease row left from an
    // expired lease is taken over; a live one (none should be) is left alone and its call-back not returned.
    public const string Lease = """
        insert into callbacks.lease (call_back_id, agent_id, campaign_id, leased_at, lease_until)
        select u.id, u.agent, u.campaign, $4, $5
        from unnest($1::uuid[], $2::text[], $3::text[]) as u(id, agent, campaign)
        order by u.id
        on conflict (call_back_id) do update
            set agent_id = excluded.agent_id, campaign_id = excluded.campaign_id, leased_at = excluded.leased_at, lease_until = excluded.lease_until
            where callbacks.lease.lease_until <= excluded.leased_at
        returning call_back_id
        """;
}
