using System.Text.Json.Nodes;
using Helpline.CallBacks.Campaigns;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Helpline.Tests.CallBacks;

/// <summary>
/// The real host over a fresh database, with what call-back tests do again and again: register and dispose of a
/// complaint, wait for its call-back, gather campaigns as the Quartz job does, and act as a call-back agent.
/// The fake clock starts at 2026-11-02 04:30 UTC, 10:00 IST: inside calling hours.
/// </summary>
public abstract class CallBackTest(FakeTimeProvider? clock = null) : HostedTest(clock)
{
    protected string Block { get; private set; } = null!;

    protected string OtherDistrictBlock { get; private set; } = null!;

    protected string Category { get; private set; } = null!;

    protected NpgsqlDataSource Sql { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Sql = Db.CreateDataSource();

        // The module's own jobs would race what these tests watch; they gather and repair themselves.
        var scheduler = await Host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        await scheduler.PauseJob(CampaignJob.Key, TestContext.Current.CancellationToken);
        await scheduler.PauseJob(OutcomeRepairJob.Key, TestContext.Current.CancellationToken);
        var cats = (await Host.GraphQLAsync("{ categories(departmentId: \"rural-development\") { id resolutionLevel slaDays } }")).Get("categories").AsArray();
        Category = cats.First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK" && c["slaDays"]![0]!.GetValue<int>() == 7)!["id"]!.GetValue<string>();
        Block = await FirstBlockOfAsync("district:162");
        OtherDistrictBlock = await FirstBlockOfAsync("district:163");
    }

    public override async ValueTask DisposeAsync()
    {
        await Sql.DisposeAsync();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Registers a grievance (by <paramref name="agent"/>) and returns its reference number and L1 officer.</summary>
    protected async Task<(string Reference, string Officer)> RegisterAsync(string agent = "agent-1", string kind = "COMPLAINT", string? block = null)
    {
        var r = await Host.GraphQLAsync(
            Complaints.Register,
            new
            {
                i = new
                {
                    clientRequestId = "cb-" + Guid.NewGuid().ToString("N"),
                    kind,
                    complainant = new { name = "Meena Devi", mobile = "9415012345" },
                    jurisdictionId = block ?? Block,
                    categoryId = Category,
                    description = "Hand pump not repaired",
                    channel = "PHONE",
                    agentId = agent,
                },
            });
        return (r.Get("registerGrievance.referenceNumber").GetValue<string>(), r.Get("registerGrievance.officer.id").GetValue<string>());
    }

    /// <summary>The holder resolves it with an action taken report.</summary>
    protected async Task ResolveAsync(string reference, string officer, string report = "Hand pump repaired on site") =>
        (await Host.GraphQLAsync(
            "mutation($r: String!, $o: String!, $a: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: $a) { status } }",
            new { r = reference, o = officer, a = report })).Get("resolveGrievance");

    /// <summary>Registers a complaint and resolves it at L1; returns it once its call-back exists.</summary>
    protected async Task<(string Reference, string Officer, Guid CallBack)> DisposedAsync(string agent = "agent-1", string? block = null)
    {
        var (reference, officer) = await RegisterAsync(agent, block: block);
        await ResolveAsync(reference, officer);
        return (reference, officer, await CallBackOfAsync(reference, count: 1));
    }

    /// <summary>Waits until the grievance has <paramref name="count"/> call-backs (the subscriber runs on its own); returns the newest.</summary>
    protected async Task<Guid> CallBackOfAsync(string reference, int count) =>
        (await Wait.UntilAsync(() => CallBacksOfAsync(reference), l => l.Count >= count, $"{count} call-backs of {reference}"))[^1].Id;

    /// <summary>The grievance's call-backs, oldest disposal first.</summary>
    protected async Task<IReadOnlyList<(Guid Id, string State, int Attempts, string? Campaign)>> CallBacksOfAsync(string reference)
    {
        await using var cmd = Sql.CreateCommand("select id, state, attempts, campaign_id from callbacks.call_back where reference_number = $1 order by disposal_sequence");
        cmd.Parameters.AddWithValue(reference);
        var list = new List<(Guid, string, int, string?)>();
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            list.Add((reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return list;
    }

    /// <summary>Gathers callable call-backs into today's campaigns, as the Quartz job does; returns how many it gathered.</summary>
    protected async Task<int> GatherAsync() =>
        (await Host.Services.GetRequiredService<CampaignBuilder>().GatherAsync(Host.Clock.GetUtcNow(), TestContext.Current.CancellationToken)).Gathered;

    /// <summary>The campaign the call-back is in (gathering first).</summary>
    protected async Task<string> CampaignOfAsync(Guid callBack)
    {
        await GatherAsync();
        return await Sql.ScalarAsync<string>($"select campaign_id from callbacks.call_back where id = '{callBack}'");
    }

    protected static string AgentToken(string agent) => DefaultCallers.TokenOf(Role.CallbackAgent, agent);

    /// <summary><c>nextCallBack</c> as <paramref name="agent"/>: the whole answer.</summary>
    protected async Task<JsonNode> NextAsync(string agent, string campaign) =>
        (await Host.GraphQLAsync(
            """
            mutation($c: String!) { nextCallBack(campaignId: $c) {
              reason callingResumesAt
              callBack { id referenceNumber state attempts heldBy heldUntil dueAt
                         grievance { referenceNumber status disposal complainantName complainantMobile } } } }
            """,
            new { c = campaign },
            AgentToken(agent))).Get("nextCallBack");

    /// <summary><c>recordCallBackOutcome</c> as <paramref name="agent"/>: the raw response (errors included).</summary>
    protected Task<GraphQLResponse> RecordAsync(string agent, Guid callBack, string outcome, string? reason = null, int? rating = null, string? note = null) =>
        Host.GraphQLAsync(
            """
            mutation($id: ID!, $o: CallBackOutcome!, $r: String, $g: Int, $n: String) {
              recordCallBackOutcome(callBackId: $id, outcome: $o, reason: $r, rating: $g, note: $n) {
                grievanceStatus grievanceLevel callBack { state attempts appliedToGrievance callableFrom attemptLog { number agentId outcome rating reason note } } } }
            """,
            new { id = callBack, o = outcome, r = reason, g = rating, n = note },
            AgentToken(agent));

    /// <summary>The grievance as an agent sees it: status, level, holder and timeline types.</summary>
    protected async Task<JsonNode> GrievanceAsync(string reference) =>
        (await Host.GraphQLAsync(
            "query($r: String!) { grievance(referenceNumber: $r) { status level dueAt officer { id } timeline { type actor note } } }",
            new { r = reference })).Get("grievance");

    private async Task<string> FirstBlockOfAsync(string district) =>
        (await Host.GraphQLAsync("query($d: String!) { jurisdiction(id: $d) { children { id kind } } }", new { d = district }))
            .Get("jurisdiction.children").AsArray().First(c => c!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
}
