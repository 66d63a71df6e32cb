using Helpline.CallBacks.Campaigns;
using Helpline.CallBacks.Queue;
using Helpline.Platform.Errors;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.CallBacks;

/// <summary>
/// The agents' queue and the campaigns, over call-backs written straight into the module's table (the queue never
/// reads a grievance): who gets which call, calling hours, closing and carrying over campaigns, and the Quartz job on
/// its persistent store.
/// </summary>
public sealed class CallBackQueueTests : CallBackTest
{
    private CallBackQueue Queue => Host.Services.GetRequiredService<CallBackQueue>();

    private CampaignBuilder Builder => Host.Services.GetRequiredService<CampaignBuilder>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fifty_agents_asking_at_once_share_thirty_call_backs_without_two_getting_the_same()
    {
        await SeedAsync(30, "district:162");
        await GatherAsync();
        var campaign = "2026-11-02/district/district:162";

        var answers = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Queue.NextAsync($"cb-{i}", campaign, Ct)));

        var handed = answers.Where(a => a.CallBack is not null).Select(a => a.CallBack!.Id).ToList();
        Assert.Equal(30, handed.Count);
        Assert.Equal(30, handed.Distinct().Count());
        Assert.All(answers.Where(a => a.CallBack is null), a => Assert.Equal(NoCallReason.NoneDue, a.Reason));
        Assert.Equal(30L, await Sql.ScalarAsync<long>("select count(distinct agent_id) from callbacks.lease"));
    }

    [Fact]
    public async Task The_oldest_due_call_back_comes_first()
    {
        var ids = await SeedAsync(3, "district:162", dueHours: [50, 10, 30]);
        await GatherAsync();
        var campaign = "2026-11-02/district/district:162";

        var order = new List<Guid>();
        foreach (var agent in new[] { "a", "b", "c" })
        {
            order.Add((await Queue.NextAsync(agent, campaign, Ct)).CallBack!.Id);
        }

        Assert.Equal([ids[1], ids[2], ids[0]], order);
    }

    [Fact]
    public async Task Nothing_is_offered_outside_calling_hours_and_a_campaign_can_have_its_own()
    {
        await SeedAsync(2, "district:162");
        await GatherAsync();
        var campaign = "2026-11-02/district/district:162";

        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 14, 30, 0, TimeSpan.Zero)); // 20:00 IST: closed
        var late = await Queue.NextAsync("a", campaign, Ct);
        Assert.Equal((null, NoCallReason.OutsideCallingHours), (late.CallBack, late.Reason));
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 2, 30, 0, TimeSpan.Zero), late.CallingResumesAt); // 08:00 IST the next day

        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 2, 29, 0, TimeSpan.Zero)); // 07:59 IST
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 2, 30, 0, TimeSpan.Zero), (await Queue.NextAsync("a", campaign, Ct)).CallingResumesAt);
        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 2, 30, 0, TimeSpan.Zero)); // 08:00 IST: open
        Assert.NotNull((await Queue.NextAsync("a", campaign, Ct)).CallBack);

        var set = (await Host.GraphQLAsync(
            "mutation($c: String!) { setCampaignCallingHours(campaignId: $c, from: \"09:00\", until: \"21:30\") { callingFrom callingUntil } }", new { c = campaign }))
            .Get("setCampaignCallingHours");
        Assert.Equal(("09:00", "21:30"), (set["callingFrom"]!.GetValue<string>(), set["callingUntil"]!.GetValue<string>()));
        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 15, 0, 0, TimeSpan.Zero)); // 20:30 IST: inside the campaign's own hours
        Assert.NotNull((await Queue.NextAsync("b", campaign, Ct)).CallBack);
        var refused = await Host.GraphQLAsync(
            "mutation($c: String!) { setCampaignCallingHours(campaignId: $c, from: \"21:00\", until: \"09:00\") { id } }", new { c = campaign });
        Assert.Equal(("INVALID_VALUE", "until"), (refused.FirstErrorCode, refused.FirstErrorField));
    }

    [Fact]
    public async Task Campaigns_are_cut_per_day_and_district_closed_when_done_and_carry_their_leftovers_to_the_next_day()
    {
        var lucknow = await SeedAsync(2, "district:162");
        await SeedAsync(1, "district:163");
        var later = await SeedAsync(1, "district:162", callableInHours: 2);

        Assert.Equal(3, await GatherAsync());
        Assert.Equal(0, await GatherAsync()); // nothing twice
        Assert.Equal(["2026-11-02/district/district:162", "2026-11-02/district/district:163"], await CampaignIdsAsync());
        Assert.IsType<DBNull>(await Sql.ScalarAsync<object>($"select campaign_id from callbacks.call_back where id = '{later[0]}'")); // not callable yet

        // Unnao's only call-back is done: its campaign closes; Lucknow's still has work.
        await Sql.ExecuteAsync("update callbacks.call_back set state = 'satisfied', completed_at = now() where district_id = 'district:163'");
        Assert.Equal(1, await Builder.CloseFinishedAsync(Host.Clock.GetUtcNow(), Ct));
        Assert.Equal("closed", await Sql.ScalarAsync<string>("select state from callbacks.campaign where id = '2026-11-02/district/district:163'"));
        var unnao = await Queue.NextAsync("a", "2026-11-02/district/district:163", Ct);
        Assert.Equal(NoCallReason.CampaignClosed, unnao.Reason);

        // The next day: what is still to call (and not in anyone's hands) moves to that day's campaign.
        Host.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(10));
        var held = (await Queue.NextAsync("a", "2026-11-02/district/district:162", Ct)).CallBack!.Id;
        Assert.Equal(2, await GatherAsync()); // the unheld one of yesterday and the one that became callable
        var moved = lucknow.Single(id => id != held);
        Assert.Equal("2026-11-03/district/district:162", await Sql.ScalarAsync<string>($"select campaign_id from callbacks.call_back where id = '{moved}'"));
        Assert.Equal("2026-11-02/district/district:162", await Sql.ScalarAsync<string>($"select campaign_id from callbacks.call_back where id = '{held}'"));
    }

    [Fact]
    public async Task An_unknown_campaign_is_refused_by_name()
    {
        var ex = await Assert.ThrowsAsync<HelplineException>(() => Queue.NextAsync("a", "2026-11-02/district/nowhere", Ct));
        Assert.Equal(("UNKNOWN_CAMPAIGN", "campaignId"), (ex.Code, ex.Field));
    }

    [Fact]
    public async Task The_campaign_job_is_scheduled_on_the_persistent_store_and_gathers_when_it_runs()
    {
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            "select count(*) from quartz.qrtz_triggers where trigger_name = 'call-back-campaigns-every-minute' and job_name = 'call-back-campaigns'"));
        Assert.Equal(1L, await Sql.ScalarAsync<long>("select count(*) from quartz.qrtz_triggers where trigger_name = 'call-back-outcome-repair-every-minute'"));

        await SeedAsync(5, "district:162");
        var scheduler = await Host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(Ct);
        await scheduler.ResumeJob(CampaignJob.Key, Ct); // paused for the other tests
        await scheduler.TriggerJob(CampaignJob.Key, cancellationToken: Ct);

        await Wait.UntilAsync(
            () => Sql.ScalarAsync<long>("select count(*) from callbacks.call_back where campaign_id is not null"), n => n == 5, "the job to gather the call-backs");
    }

    // Call-backs as the disposal subscriber writes them, due a number of hours from now, registered by "agent-1".
    private async Task<Guid[]> SeedAsync(int count, string district, int[]? dueHours = null, int callableInHours = 0)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        for (var i = 0; i < count; i++)
        {
            await using var cmd = Sql.CreateCommand("""
                insert into callbacks.call_back (id, reference_number, disposal_sequence, disposal_type, disposed_at, disposed_by, officer_id, kind,
                    department_id, jurisdiction_id, jurisdiction_path, district_id, registered_by, created_at, due_at, callable_from)
                values ($1, $2, 5, 'Resolved', $3, 'OFF-1', 'OFF-1', 'Complaint', 'rural-development', $4, array[$4, 'state:9'], $4, 'agent-1', $3, $5, $6)
                """);
            var now = Host.Clock.GetUtcNow();
            cmd.Parameters.AddWithValue(ids[i]);
            cmd.Parameters.AddWithValue(ids[i].ToString("N")[..12]);
            cmd.Parameters.AddWithValue(now);
            cmd.Parameters.AddWithValue(district);
            cmd.Parameters.AddWithValue(now.AddHours(dueHours?[i] ?? 72 + i));
            cmd.Parameters.AddWithValue(now.AddHours(callableInHours));
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        return ids;
    }

    private async Task<List<string>> CampaignIdsAsync()
    {
        await using var cmd = Sql.CreateCommand("select id from callbacks.campaign order by id");
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct))
        {
            list.Add(r.GetString(0));
        }

        return list;
    }
}
