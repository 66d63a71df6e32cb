using Helpline.Feed;
using Helpline.Grievances;
using Helpline.Grievances.Events;
using Helpline.Platform.Events;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.Feed;

/// <summary>
/// Grievance events as another module receives them (the Feed module, which knows only the Grievances contract):
/// every timeline entry once, in order, naming who held the grievance at that moment.
/// </summary>
public sealed class GrievanceEventsTests : HostedTest
{
    [Fact]
    public async Task A_subscriber_in_another_module_receives_each_fact_of_a_life_once_in_order_with_the_holder_at_that_moment()
    {
        var block = (await Host.GraphQLAsync("{ jurisdictions { children { children { children { id kind } } } } }"))
            .Get("jurisdictions.0.children.0.children.0.children").AsArray().First(j => j!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        var category = (await Host.GraphQLAsync("{ categories { id resolutionLevel } }"))
            .Get("categories").AsArray().First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        var registered = (await Host.GraphQLAsync(
            "mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber dueAt officer { id } position { id } department { id } } }",
            new { i = new { clientRequestId = "events-1", kind = "COMPLAINT", channel = "PHONE", agentId = "agent-9", complainant = new { name = "Sita Devi", mobile = "9415012345" }, jurisdictionId = block, categoryId = category, description = "No water in the hand pump" } }))
            .Get("registerGrievance");
        var reference = registered["referenceNumber"]!.GetValue<string>();
        var l1 = registered["officer"]!["id"]!.GetValue<string>();

        Host.Clock.SetUtcNow(registered["dueAt"]!.GetValue<DateTimeOffset>().AddSeconds(1));
        var l2 = (await Wait.UntilAsync(
            async () => (await Host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { level officer { id } } }", new { r = reference })).Get("grievance"),
            g => g["level"]!.GetValue<int>() == 2,
            "escalation"))["officer"]!["id"]!.GetValue<string>();
        await Host.GraphQLAsync("mutation($r: String!, $o: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: \"Pump repaired\") { status } }", new { r = reference, o = l2 });
        await Host.GraphQLAsync("mutation($r: String!) { reopenGrievance(referenceNumber: $r, actorId: \"callback-3\", reason: \"Still dry\") { status } }", new { r = reference });

        var timeline = (await Host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { timeline { sequence type } } }", new { r = reference }))
            .Get("grievance.timeline").AsArray();
        var feed = Host.Services.GetRequiredService<FeedQueries>();
        var entries = await Wait.UntilAsync(
            () => feed.ListAsync(reference, 0, 100, CancellationToken.None), e => e.Count >= timeline.Count, "every event in the feed");

        var events = entries.Select(e => e.Event).ToList();
        Assert.Equal(Enumerable.Range(1, timeline.Count), events.Select(e => e.Sequence));
        Assert.Equal(
            [TimelineEventType.Registered, TimelineEventType.Routed, TimelineEventType.AtRisk, TimelineEventType.Breached, TimelineEventType.Escalated,
             TimelineEventType.Resolved, TimelineEventType.Reopened, TimelineEventType.Routed],
            events.Select(e => e.Type));
        Assert.All(entries, e => Assert.Equal(1, e.Deliveries));
        Assert.All(events, e => Assert.Equal(EventIds.For(GrievanceEvents.Stream, reference, e.Sequence), e.EventId));
        Assert.All(events, e => Assert.Equal((block, category, registered["department"]!["id"]!.GetValue<string>()), (e.JurisdictionId, e.CategoryId, e.DepartmentId)));

        // Who held it at each moment: the breach is the L1 officer's, the escalation hands it to L2, who resolved.
        var breached = events.Single(e => e.Type == TimelineEventType.Breached);
        Assert.Equal((l1, 1, registered["position"]!["id"]!.GetValue<string>()), (breached.OfficerId, breached.Level, breached.PositionId));
        var escalated = events.Single(e => e.Type == TimelineEventType.Escalated);
        Assert.Equal((l2, 2), (escalated.OfficerId, escalated.Level));
        var resolved = events.Single(e => e.Type == TimelineEventType.Resolved);
        Assert.Equal((l2, "Pump repaired", l2), (resolved.OfficerId, resolved.Note, resolved.Actor));
        Assert.Equal(3, events[^1].Level); // reopened one level up
        Assert.Equal(GrievanceKind.Complaint, events[0].Kind);
    }
}
