using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.CallBacks;

/// <summary>
/// What a break-it pass found: outcomes recorded all at once, scoped call-back agents, ids with control characters,
/// and what a stranger learns of someone else's call-back.
/// </summary>
public sealed class CallBackHardeningTests : CallBackTest
{
    [Fact]
    public async Task Thirty_outcomes_recorded_at_once_are_all_recorded()
    {
        // More than the connection pool holds (20): each recording once held a connection while asking for another.
        var disposed = new List<(string Reference, Guid CallBack)>();
        for (var i = 0; i < 30; i++)
        {
            var (reference, _, callBack) = await DisposedAsync();
            disposed.Add((reference, callBack));
        }

        var campaign = await CampaignOfAsync(disposed[0].CallBack);
        var held = new List<(string Agent, Guid CallBack)>();
        for (var i = 0; i < 30; i++)
        {
            var call = await NextAsync($"burst-{i}", campaign);
            held.Add(($"burst-{i}", Guid.Parse(call["callBack"]!["id"]!.GetValue<string>())));
        }

        var answers = await Task.WhenAll(held.Select(h => RecordAsync(h.Agent, h.CallBack, "SATISFIED")));

        Assert.All(answers, a => Assert.Equal("CLOSED", a.Get("recordCallBackOutcome.grievanceStatus").GetValue<string>()));
        Assert.Equal(30L, await Sql.ScalarAsync<long>("select count(*) from callbacks.call_back where state = 'satisfied' and applied"));
    }

    [Fact]
    public async Task A_scoped_call_back_agent_works_only_campaigns_inside_the_scope()
    {
        var (_, _, lucknow) = await DisposedAsync();
        var (_, _, unnao) = await DisposedAsync(block: OtherDistrictBlock);
        var lucknowCampaign = await CampaignOfAsync(lucknow);
        var unnaoCampaign = await CampaignOfAsync(unnao);
        var unnaoAgent = TestTokens.Mint(Role.CallbackAgent, "unnao-cb", jurisdictions: ["district:163"]);

        var refused = await Host.GraphQLAsync("mutation($c: String!) { nextCallBack(campaignId: $c) { reason } }", new { c = lucknowCampaign }, unnaoAgent);
        Assert.Equal(("OUT_OF_SCOPE", "campaignId"), (refused.FirstErrorCode, refused.FirstErrorField));
        var own = await Host.GraphQLAsync("mutation($c: String!) { nextCallBack(campaignId: $c) { callBack { id } } }", new { c = unnaoCampaign }, unnaoAgent);
        Assert.Equal(unnao.ToString(), own.Get("nextCallBack.callBack.id").GetValue<string>());
        var listed = (await Host.GraphQLAsync("{ callBackCampaigns { id } }", bearer: unnaoAgent)).Get("callBackCampaigns").AsArray();
        Assert.Equal([unnaoCampaign], listed.Select(c => c!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_campaign_id_with_a_control_character_is_refused_at_the_edge_and_spoils_no_one_elses_call()
    {
        var (_, _, callBack) = await DisposedAsync();
        var campaign = await CampaignOfAsync(callBack);

        var bad = Host.GraphQLAsync("mutation($c: String!) { nextCallBack(campaignId: $c) { reason } }", new { c = "x\u0000" }, AgentToken("poison"));
        var good = NextAsync("honest", campaign);
        var refused = await bad;

        Assert.Equal(("INVALID_VALUE", "campaignId"), (refused.FirstErrorCode, refused.FirstErrorField));
        Assert.Equal(callBack.ToString(), (await good)["callBack"]!["id"]!.GetValue<string>());
        var hours = await Host.GraphQLAsync("mutation { setCampaignCallingHours(campaignId: \"a\\u0000\", from: \"08:00\", until: \"20:00\") { id } }");
        Assert.Equal(("INVALID_VALUE", "campaignId"), (hours.FirstErrorCode, hours.FirstErrorField));
    }

    [Fact]
    public async Task A_stranger_is_told_the_call_back_is_not_theirs_not_its_outcome()
    {
        var (_, _, callBack) = await DisposedAsync();
        await NextAsync("cb-1", await CampaignOfAsync(callBack));
        (await RecordAsync("cb-1", callBack, "DISSATISFIED", "Still no water")).Get("recordCallBackOutcome");

        var stranger = await RecordAsync("cb-9", callBack, "SATISFIED");

        Assert.Equal(("CALL_BACK_NOT_HELD", "callBackId"), (stranger.FirstErrorCode, stranger.FirstErrorField));
        Assert.DoesNotContain("dissatisfied", stranger.Errors![0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }
}
