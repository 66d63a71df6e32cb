using System.Text.Json.Nodes;
using Helpline.Platform.Access;
using Helpline.Tests.Durability;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Cluster;

/// <summary>
/// Call-back agents served by two silos of one cluster (two processes over one database) at the same moment: each silo
/// serves its waiting agents in one transaction, and row locks keep the two from handing out the same call-back.
/// </summary>
public sealed class CallBacksAcrossSilosTests : TwoSilos
{
    private const string Campaign = "cluster-test/district/district:162";

    [Fact]
    public async Task Agents_on_two_silos_asking_at_once_never_get_the_same_call_back_and_one_agent_asking_through_both_holds_one()
    {
        // The silos run on real time: calling hours that cover the whole day but its last minute.
        var ist = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromMinutes(330));
        if (ist.TimeOfDay >= new TimeSpan(23, 58, 0))
        {
            Assert.Skip("The last two minutes of the IST day fall outside the widest calling hours a campaign has (00:00 to 23:59).");
        }

        await SeedAsync(65);

        // One agent asking through both silos at once (a double click routed two ways) holds one call, not two.
        var twins = await Task.WhenAll(Enumerable.Range(1, 5).Select(async i =>
        {
            var token = DefaultCallers.TokenOf(Role.CallbackAgent, $"twin-agent-{i}");
            var both = await Task.WhenAll(new[] { A, B }.Select(silo => silo.GraphQLAsync(
                "mutation($c: String!) { nextCallBack(campaignId: $c) { callBack { id } } }", new { c = Campaign }, token)));
            return both.Select(b => b["data"]!["nextCallBack"]!["callBack"]!["id"]!.GetValue<string>()).ToArray();
        }));
        Assert.All(twins, t => Assert.Equal(t[0], t[1]));
        Assert.Equal(5, twins.Select(t => t[0]).Distinct().Count());

        var asks = Enumerable.Range(1, 80).Select(i => (i % 2 == 0 ? A : B).GraphQLAsync(
            "mutation($c: String!) { nextCallBack(campaignId: $c) { reason callBack { id heldBy } } }",
            new { c = Campaign },
            DefaultCallers.TokenOf(Role.CallbackAgent, $"cluster-agent-{i}")));
        var bodies = await Task.WhenAll(asks);
        Assert.All(bodies, b => Assert.Null(b["errors"]));
        var answers = bodies.Select(a => a["data"]!["nextCallBack"]!).ToList();

        var handed = answers.Where(a => a["callBack"] is JsonObject).Select(a => a["callBack"]!["id"]!.GetValue<string>()).ToList();
        Assert.True(handed.Count == 60, $"{handed.Count} handed out; the others: {string.Join(", ", answers.Where(a => a["callBack"] is null).Select(a => a["reason"]?.ToString()))}");
        Assert.Equal(60, handed.Distinct().Count());
        Assert.All(answers.Where(a => a["callBack"] is null), a => Assert.Equal("NONE_DUE", a["reason"]!.GetValue<string>()));
        await using var sql = Db.CreateDataSource();
        Assert.DoesNotContain(handed, twins.Select(t => t[0]).Contains);
        Assert.Equal(65L, await sql.ScalarAsync<long>("select count(distinct agent_id) from callbacks.lease where lease_until > now()"));
        Assert.Equal(65L, await sql.ScalarAsync<long>("select count(*) from callbacks.lease where lease_until > now()"));
    }

    // The campaign and its call-backs in one transaction, of the IST day: the campaign job, running on its own, closes an
    // empty campaign and carries an earlier day's pending call-backs over to today's.
    private async Task SeedAsync(int count)
    {
        await using var sql = Db.CreateDataSource();
        await sql.ExecuteAsync($"""
            begin;
            insert into callbacks.campaign (id, day, group_kind, group_id, calling_from, calling_until, created_at)
            values ('{Campaign}', (now() at time zone 'Asia/Kolkata')::date, 'district', 'district:162', '00:00', '23:59', now());
            insert into callbacks.call_back (id, reference_number, disposal_sequence, disposal_type, disposed_at, disposed_by, officer_id, kind,
                department_id, jurisdiction_id, jurisdiction_path, district_id, registered_by, created_at, due_at, callable_from, campaign_id)
            select gen_random_uuid(), lpad(n::text, 12, '0'), 5, 'Resolved', now(), 'OFF-1', 'OFF-1', 'Complaint', 'rural-development',
                   'district:162', array['district:162', 'state:9'], 'district:162', 'agent-1', now(), now() + n * interval '1 minute', now(), '{Campaign}'
            from generate_series(1, {count}) as n;
            commit;
            """);
    }
}
