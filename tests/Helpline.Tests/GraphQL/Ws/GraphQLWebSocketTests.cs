using System.Text.Json.Nodes;
using Helpline.Platform.Access;
using Helpline.Tests.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.GraphQL.Ws;

/// <summary>
/// Subscriptions over WebSocket (graphql-transport-ws) against the real host: live grievance events and workload within
/// the subscriber's scope, and the protocol's answers to bad clients.
/// </summary>
public sealed class GraphQLWebSocketTests : AccessTestHost
{
    private const string Events = "subscription($j: String) { grievanceEvents(jurisdictionId: $j) { type referenceNumber level officerId } }";

    private Uri Url => Host.Http.BaseAddress!;

    [Fact]
    public async Task Events_reach_subscribers_within_their_scope_and_nobody_outside_it()
    {
        await using var lucknow = await WsTestClient.InitAsync(Url, Token(Role.Partner, "lucknow-portal", jurisdictions: [Places.Lucknow]));
        await using var agra = await WsTestClient.InitAsync(Url, Token(Role.Partner, "agra-portal", jurisdictions: [Places.Agra]));
        await lucknow.SubscribeAsync("l", Events);
        await agra.SubscribeAsync("a", Events);
        Assert.Empty(await lucknow.SyncAsync());
        Assert.Empty(await agra.SyncAsync());

        var first = await RegisterAsync(Places.LucknowBlock);
        var inAgra = await RegisterAsync(Places.AgraBlock);
        var second = await RegisterAsync(Places.LucknowBlock);

        // Events come in the order they were committed: had Agra's reached Lucknow's portal, they would come before the second.
        var seen = new List<(string Type, string Reference)>();
        while (seen.Count < 4)
        {
            seen.Add(Event(await lucknow.NextOfAsync("l")));
        }

        Assert.Equal([("REGISTERED", first.ReferenceNumber), ("ROUTED", first.ReferenceNumber), ("REGISTERED", second.ReferenceNumber), ("ROUTED", second.ReferenceNumber)], seen);
        Assert.Equal(("REGISTERED", inAgra.ReferenceNumber), Event(await agra.NextOfAsync("a")));
    }

    [Fact]
    public async Task A_filter_outside_the_scope_is_refused_and_the_connection_stays_usable()
    {
        await using var agra = await WsTestClient.InitAsync(Url, Token(Role.Partner, "agra-portal", jurisdictions: [Places.Agra]));
        await agra.SubscribeAsync("x", Events, new { j = Places.Lucknow });
        var error = await agra.NextOfAsync("x");
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("OUT_OF_SCOPE", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());

        // The same id may be used again once its operation has ended.
        await agra.SubscribeAsync("x", Events, new { j = Places.Agra });
        Assert.Empty(await agra.SyncAsync());
        var r = await RegisterAsync(Places.AgraBlock);
        Assert.Equal(("REGISTERED", r.ReferenceNumber), Event(await agra.NextOfAsync("x")));
    }

    [Fact]
    public async Task Roles_without_the_field_and_the_public_are_refused()
    {
        await using var agent = await WsTestClient.InitAsync(Url, Token(Role.Agent, "agent-ws"));
        await agent.SubscribeAsync("1", Events);
        Assert.Equal("FORBIDDEN", (await agent.NextOfAsync("1"))["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());

        await using var anyone = await WsTestClient.InitAsync(Url, token: null);
        await anyone.SubscribeAsync("1", Events);
        Assert.Equal("AUTHENTICATION_REQUIRED", (await anyone.NextOfAsync("1"))["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Complete_stops_one_operation_and_queries_run_over_the_socket_too()
    {
        await using var admin = await WsTestClient.InitAsync(Url, Token(Role.Administrator, "admin-ws"));
        await admin.SendAsync(new { id = "q", type = "subscribe", payload = new { query = "{ departments { id } }" } });
        var next = await admin.NextOfAsync("q");
        Assert.Equal("next", next["type"]!.GetValue<string>());
        Assert.NotEmpty(next["payload"]!["data"]!["departments"]!.AsArray());
        Assert.Equal("complete", (await admin.NextOfAsync("q"))["type"]!.GetValue<string>());

        await admin.SubscribeAsync("a", Events);
        await admin.SubscribeAsync("b", Events);
        await admin.SendAsync(new { id = "a", type = "complete" });
        Assert.Empty(await admin.SyncAsync());
        var r = await RegisterAsync(Places.LucknowBlock);

        // 'a' was added first, so had it still listened its message would come before 'b''s.
        var message = await admin.ReceiveAsync();
        Assert.Equal("b", message!["id"]!.GetValue<string>());
        Assert.Equal(("REGISTERED", r.ReferenceNumber), Event(message));

        // With nobody subscribed any more, nothing listens to this silo's tail of the log (so it can go idle).
        await admin.SendAsync(new { id = "b", type = "complete" });
        Assert.DoesNotContain(await admin.SyncAsync(), m => m["type"]?.GetValue<string>() != "next");
        Assert.Equal(0, Host.Services.GetRequiredService<Helpline.Platform.Events.LiveEventTail>().ListenerCount);
    }

    [Fact]
    public async Task An_officer_hears_of_their_own_workload_as_it_changes()
    {
        var r = await RegisterAsync(Places.LucknowBlock);
        await using var officer = await WsTestClient.InitAsync(Url, Token(Role.Officer, r.OfficerId));
        await officer.SubscribeAsync("w", "subscription { workloadChanges { officerId positionId workload { open } } }");
        var now = await officer.NextOfAsync("w");
        Assert.Equal(r.OfficerId, now["payload"]!["data"]!["workloadChanges"]!["officerId"]!.GetValue<string>());
        Assert.Equal(r.PositionId, now["payload"]!["data"]!["workloadChanges"]!["positionId"]!.GetValue<string>());
        var before = now["payload"]!["data"]!["workloadChanges"]!["workload"]!["open"]!.GetValue<int>();

        await RegisterAsync(Places.LucknowBlock);
        var after = await officer.NextOfAsync("w");
        Assert.Equal(before + 1, after["payload"]!["data"]!["workloadChanges"]!["workload"]!["open"]!.GetValue<int>());

        await officer.SubscribeAsync("other", "subscription($o: String) { workloadChanges(officerId: $o) { officerId } }", new { o = "OFF-000001" });
        Assert.Equal("NOT_YOURSELF", (await officer.NextOfAsync("other"))["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_supervisor_hears_of_their_teams_workload()
    {
        var r = await RegisterAsync(Places.LucknowBlock);
        Assert.NotNull(r.SupervisorOfficerId);
        var supervisorSeat = (await SendAsync("query($p: String!) { position(id: $p) { supervisor { id } } }", new { p = r.PositionId }, Token(Role.Administrator, "admin")))
            .Get("position")["supervisor"]!["id"]!.GetValue<string>();
        await using var supervisor = await WsTestClient.InitAsync(Url, Token(Role.Supervisor, r.SupervisorOfficerId!));
        await supervisor.SubscribeAsync("t", "subscription($p: String) { workloadChanges(positionId: $p, depth: 1) { officerId workload { open } } }", new { p = supervisorSeat });
        var figures = new Dictionary<string, int>();
        while (!figures.ContainsKey(r.OfficerId))
        {
            var m = (await supervisor.NextOfAsync("t"))["payload"]!["data"]!["workloadChanges"]!;
            figures[m["officerId"]!.GetValue<string>()] = m["workload"]!["open"]!.GetValue<int>();
        }

        await RegisterAsync(Places.LucknowBlock);
        while (true)
        {
            var m = (await supervisor.NextOfAsync("t"))["payload"]!["data"]!["workloadChanges"]!;
            if (m["officerId"]!.GetValue<string>() == r.OfficerId)
            {
                Assert.Equal(figures[r.OfficerId] + 1, m["workload"]!["open"]!.GetValue<int>());
                break;
            }
        }
    }

    [Fact]
    public async Task Protocol_violations_close_with_the_protocols_codes()
    {
        var token = Token(Role.Administrator, "admin-ws");

        await using (var early = await WsTestClient.ConnectAsync(Url))
        {
            await early.SubscribeAsync("1", Events);
            Assert.Equal(4401, await early.ClosedWithAsync());
        }

        await using (var twice = await WsTestClient.InitAsync(Url, token))
        {
            await twice.SendAsync(new { type = "connection_init" });
            Assert.Equal(4429, await twice.ClosedWithAsync());
        }

        await using (var garbage = await WsTestClient.InitAsync(Url, token))
        {
            await garbage.SendTextAsync("{not json");
            Assert.Equal(4400, await garbage.ClosedWithAsync());
        }

        await using (var unknown = await WsTestClient.InitAsync(Url, token))
        {
            await unknown.SendAsync(new { type = "start", id = "1" });
            Assert.Equal(4400, await unknown.ClosedWithAsync());
            Assert.Contains("unknown type 'start'", unknown.CloseReason, StringComparison.Ordinal);
        }

        await using (var twin = await WsTestClient.InitAsync(Url, token))
        {
            await twin.SubscribeAsync("same", Events);
            await twin.SubscribeAsync("same", Events);
            Assert.Equal(4409, await twin.ClosedWithAsync());
        }

        await using (var old = await WsTestClient.ConnectAsync(Url, subProtocol: "graphql-ws"))
        {
            Assert.Equal(4406, await old.ClosedWithAsync());
        }

        await using (var forged = await WsTestClient.ConnectAsync(Url))
        {
            await forged.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + AccessTestKeys.Mint(Role.Administrator, "x", Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(1), privateJwk: AccessTestKeys.Untrusted.PrivateJwk) } });
            Assert.Equal(4403, await forged.ClosedWithAsync());
        }
    }

    [Fact]
    public async Task A_connection_that_never_initialises_is_closed_and_an_expired_token_ends_its_connection()
    {
        await using var silent = await WsTestClient.ConnectAsync(Url);
        Assert.Empty(await silent.SyncAsync()); // the server runs the connection (and its timer) by now
        Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(4408, await silent.ClosedWithAsync());

        var shortLived = AccessTestKeys.Mint(Role.Partner, "portal", Clock.GetUtcNow(), Clock.GetUtcNow().AddHours(1), null, [Places.Lucknow], null);
        await using var portal = await WsTestClient.InitAsync(Url, shortLived);
        await portal.SubscribeAsync("e", Events);
        Assert.Empty(await portal.SyncAsync());
        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(await portal.SyncAsync());
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(4403, await portal.ClosedWithAsync());
        Assert.Contains("expired", portal.CloseReason, StringComparison.Ordinal);
    }

    private static (string Type, string Reference) Event(JsonObject message)
    {
        var e = message["payload"]!["data"]!["grievanceEvents"]!;
        return (e["type"]!.GetValue<string>(), e["referenceNumber"]!.GetValue<string>());
    }
}
